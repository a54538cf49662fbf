output "name" {
  description = "Full deployment name."
  value       = terraform_data.deployment.output.name
}

output "endpoint" {
  description = "URL the application answers on."
  value       = "http://${local.host}:${terraform_data.deployment.output.port}"
}

output "replicas" {
  description = "Number of running copies."
  value       = terraform_data.deployment.output.replicas
}

output "features" {
  description = "Feature flags turned on (sorted)."
  value       = terraform_data.deployment.output.features
}

output "authorization_header" {
  description = "HTTP Authorization header for the upstream API."
  value       = "Bearer ${terraform_data.api_credentials.output.token}"
  sensitive   = true
}
