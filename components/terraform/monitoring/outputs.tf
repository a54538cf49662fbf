output "alarm_topic_arn" {
  description = "SNS topic receiving alarms, or null."
  value       = local.notify ? aws_sns_topic.alarms[0].arn : null
}

output "alarm_names" {
  description = "Names of the alarms created."
  value       = concat(aws_cloudwatch_metric_alarm.rds_cpu[*].alarm_name, aws_cloudwatch_metric_alarm.rds_free_storage[*].alarm_name)
}

output "dashboard_name" {
  description = "Name of the dashboard, or null."
  value       = var.dashboard_enabled ? aws_cloudwatch_dashboard.this[0].dashboard_name : null
}
