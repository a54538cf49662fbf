output "queue_name" {
  description = "Full queue name."
  value       = terraform_data.queue.output.name
}

output "queue_url" {
  description = "Pretend URL of the queue."
  value       = "local://${var.region}/${terraform_data.queue.output.name}"
}

output "dead_letter_queue_name" {
  description = "Full name of the dead-letter queue, or null when disabled."
  value       = var.dead_letter_enabled ? terraform_data.dead_letter[0].output.name : null
}
