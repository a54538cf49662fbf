resource "aws_sqs_queue" "this" {
  name                      = var.name
  message_retention_seconds = var.retention_days * 86400
  tags                      = var.tags
}

resource "aws_sqs_queue" "replica" {
  provider = aws.replica
  name     = "${var.name}-replica"
}

data "aws_caller_identity" "current" {}

module "label" {
  source  = "cloudposse/label/null"
  version = "0.25.0"
  name    = var.name
}
