terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
  }
}

# kit writes providers_override.tf.json (region, default_tags, assume_role) next to this file.
provider "aws" {
  region = var.region
}

locals {
  prefix  = "${var.namespace}-${var.stage}-${var.environment}"
  name    = "${local.prefix}-${var.name}"
  db_id   = "${local.prefix}-${var.rds_instance_identifier}"
  alarms  = !var.dashboard_enabled
  notify  = local.alarms && var.alarm_email != null
  actions = local.notify ? [aws_sns_topic.alarms[0].arn] : []
  namespaces = {
    RDS = "AWS/RDS"
    ECS = "AWS/ECS"
  }
}

resource "aws_sns_topic" "alarms" {
  count             = local.notify ? 1 : 0
  name              = local.name
  kms_master_key_id = "alias/aws/sns"
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  count     = local.notify ? 1 : 0
  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_metric_alarm" "rds_cpu" {
  count               = local.alarms ? 1 : 0
  alarm_name          = "${local.db_id}-cpu-high"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = { DBInstanceIdentifier = local.db_id }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.rds_cpu_threshold_percent
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "rds_free_storage" {
  count               = local.alarms ? 1 : 0
  alarm_name          = "${local.db_id}-free-storage-low"
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  dimensions          = { DBInstanceIdentifier = local.db_id }
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = var.rds_free_storage_threshold_gb * 1024 * 1024 * 1024
  alarm_actions       = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_dashboard" "this" {
  count          = var.dashboard_enabled ? 1 : 0
  dashboard_name = local.name
  dashboard_body = jsonencode({
    widgets = [
      for index, widget in var.dashboard_widgets : {
        type   = "metric"
        x      = (index % 2) * 12
        y      = floor(index / 2) * 6
        width  = 12
        height = 6
        properties = {
          title   = widget
          region  = var.region
          metrics = [[local.namespaces[split(" ", widget)[0]], split(" ", widget)[1]]]
          stat    = "Average"
          period  = 300
        }
      }
    ]
  })
}
