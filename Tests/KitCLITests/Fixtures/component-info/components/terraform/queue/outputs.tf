output "queue_url" {
  description = "Where producers send messages"
  value       = aws_sqs_queue.this.url
}

output "webhook" {
  value     = var.webhook_url
  sensitive = true
}
