# Offline demo queue with an optional dead-letter queue. terraform_data only.
terraform {
  required_version = ">= 1.5"
}

locals {
  full_name = "${var.namespace}-${var.stage}-${var.environment}-${var.queue_name}"
}

resource "terraform_data" "dead_letter" {
  count = var.dead_letter_enabled ? 1 : 0

  input = {
    name              = "${local.full_name}-dlq"
    retention_seconds = 1209600
    tags              = var.tags
  }
}

resource "terraform_data" "queue" {
  input = {
    name              = local.full_name
    retention_seconds = var.retention_seconds
    redrive_policy = var.dead_letter_enabled ? {
      dead_letter_queue = terraform_data.dead_letter[0].output.name
      max_receive_count = var.max_receive_count
    } : null
    tags = var.tags
  }
}
