output "launch_template_id" {
  description = "ID of the launch template."
  value       = aws_launch_template.this.id
}

output "latest_version" {
  description = "Latest version number of the launch template."
  value       = aws_launch_template.this.latest_version
}
