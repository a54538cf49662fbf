output "identifier" {
  description = "RDS instance identifier."
  value       = aws_db_instance.this.identifier
}

output "endpoint" {
  description = "Connection endpoint (host:port)."
  value       = aws_db_instance.this.endpoint
}

output "arn" {
  description = "ARN of the instance."
  value       = aws_db_instance.this.arn
}

output "master_user_secret_arn" {
  description = "Secrets Manager ARN of the managed master password, or null for replicas."
  value       = local.is_replica ? null : try(aws_db_instance.this.master_user_secret[0].secret_arn, null)
}
