output "cluster_arn" {
  description = "ARN of the runner ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "task_definition_arn" {
  description = "ARN of the runner task definition."
  value       = aws_ecs_task_definition.runner.arn
}

output "state_bucket_name" {
  description = "Name of the hardened artifact/state bucket."
  value       = aws_s3_bucket.state.bucket
}

output "state_kms_key_arn" {
  description = "KMS key encrypting the bucket."
  value       = aws_kms_key.state.arn
}
