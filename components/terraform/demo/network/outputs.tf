output "network_id" {
  description = "Identifier of the pretend network."
  value       = terraform_data.network.output.id
}

output "cidr_block" {
  description = "Address space of the network."
  value       = terraform_data.network.output.cidr_block
}

output "subnets" {
  description = "Subnet name to CIDR block."
  value       = { for name, subnet in terraform_data.subnet : name => subnet.output.cidr_block }
}

output "tags" {
  description = "Tags applied to the network."
  value       = terraform_data.network.output.tags
}
