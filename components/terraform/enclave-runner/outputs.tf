output "requests_table_name" {
  description = "DynamoDB table that receives run requests."
  value       = aws_dynamodb_table.requests.name
}

output "state_machine_arn" {
  description = "Step Functions state machine that runs one job."
  value       = aws_sfn_state_machine.run.arn
}

output "parent_launch_template_id" {
  description = "Launch template of the Nitro Enclave parent instance."
  value       = aws_launch_template.parent.id
}
