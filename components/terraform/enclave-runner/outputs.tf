output "requests_table_name" {
  description = "DynamoDB table that receives run requests."
  value       = aws_dynamodb_table.requests.name
}

output "state_machine_arn" {
  description = "Step Functions state machine that runs one job, or null when state_machine_enabled is false."
  value       = var.state_machine_enabled ? aws_sfn_state_machine.run[0].arn : null
}

output "parent_launch_template_id" {
  description = "Launch template of the Nitro Enclave parent instance."
  value       = aws_launch_template.parent.id
}

output "requests_stream_arn" {
  description = "DynamoDB stream of the requests table."
  value       = aws_dynamodb_table.requests.stream_arn
}
