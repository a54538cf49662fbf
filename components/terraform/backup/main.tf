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
  name = "${var.namespace}-${var.stage}-${var.environment}-${var.name}"
}

resource "aws_kms_key" "vault" {
  description         = "aws backup vault ${local.name}"
  enable_key_rotation = true
  tags                = var.tags
}

resource "aws_kms_alias" "vault" {
  name          = "${var.vault_kms_key_alias}-${var.stage}-${var.environment}"
  target_key_id = aws_kms_key.vault.key_id
}

resource "aws_backup_vault" "this" {
  name          = local.name
  kms_key_arn   = aws_kms_key.vault.arn
  force_destroy = false
  tags          = var.tags
}

resource "aws_backup_vault_lock_configuration" "this" {
  count              = var.vault_lock_enabled ? 1 : 0
  backup_vault_name  = aws_backup_vault.this.name
  min_retention_days = 7
  max_retention_days = 365
}

resource "aws_backup_plan" "this" {
  name = local.name

  dynamic "rule" {
    for_each = var.rules
    content {
      rule_name         = rule.value.name
      target_vault_name = aws_backup_vault.this.name
      schedule          = rule.value.schedule

      lifecycle {
        cold_storage_after = rule.value.cold_storage_after_days
        delete_after       = rule.value.delete_after_days
      }

      dynamic "copy_action" {
        for_each = var.copy_destination_vault_arn == null ? [] : [var.copy_destination_vault_arn]
        content {
          destination_vault_arn = copy_action.value
          lifecycle {
            delete_after = rule.value.delete_after_days
          }
        }
      }
    }
  }

  tags = var.tags
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "backup" {
  name                 = "${local.name}-backup"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

resource "aws_iam_role_policy_attachment" "backup" {
  role       = aws_iam_role.backup.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

# No selection tags, no selection: a selection without conditions would back up every resource.
resource "aws_backup_selection" "tagged" {
  count        = length(var.selection_tags) > 0 ? 1 : 0
  name         = "${local.name}-tagged"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = ["*"]

  dynamic "condition" {
    for_each = [1]
    content {
      dynamic "string_equals" {
        for_each = var.selection_tags
        content {
          key   = "aws:ResourceTag/${string_equals.key}"
          value = string_equals.value
        }
      }
    }
  }
}
