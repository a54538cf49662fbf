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
  prefix     = "${var.namespace}-${var.stage}-${var.environment}"
  identifier = "${local.prefix}-${var.name}"
  is_replica = var.replicate_source_db != null
  rotate     = !local.is_replica && var.manage_master_user_password && var.master_password_rotation_days != null
}

data "aws_vpc" "this" {
  tags = { Name = "${local.prefix}-${var.vpc_name}" }
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.this.id]
  }
  tags = { Tier = "private" }
}

data "aws_security_group" "rds" {
  name = "${local.prefix}-rds"
}

resource "aws_db_subnet_group" "this" {
  count      = local.is_replica ? 0 : 1
  name       = local.identifier
  subnet_ids = data.aws_subnets.private.ids
  tags       = var.tags
}

resource "aws_kms_key" "this" {
  description         = "storage encryption for ${local.identifier}"
  enable_key_rotation = true
  tags                = var.tags
}

resource "aws_db_instance" "this" {
  identifier          = local.identifier
  replicate_source_db = local.is_replica ? "${local.prefix}-${var.replicate_source_db}" : null

  engine         = local.is_replica ? null : var.engine
  engine_version = local.is_replica ? null : var.engine_version
  instance_class = var.instance_class
  port           = var.port

  allocated_storage     = local.is_replica ? null : var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = var.storage_type
  storage_encrypted     = var.storage_encrypted
  kms_key_id            = aws_kms_key.this.arn

  db_name                     = local.is_replica ? null : var.database_name
  username                    = local.is_replica ? null : var.master_username
  manage_master_user_password = local.is_replica ? null : var.manage_master_user_password

  db_subnet_group_name   = local.is_replica ? null : aws_db_subnet_group.this[0].name
  vpc_security_group_ids = [data.aws_security_group.rds.id]
  publicly_accessible    = var.publicly_accessible
  multi_az               = var.multi_az

  backup_retention_period   = var.backup_retention_period
  backup_window             = var.backup_window
  maintenance_window        = var.maintenance_window
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = !var.deletion_protection
  final_snapshot_identifier = var.deletion_protection ? "${local.identifier}-final" : null
  copy_tags_to_snapshot     = true

  performance_insights_enabled    = var.performance_insights_enabled
  performance_insights_kms_key_id = var.performance_insights_enabled ? aws_kms_key.this.arn : null
  auto_minor_version_upgrade      = true

  tags = var.tags
}

# Rotation of the RDS-managed master secret (Secrets Manager managed rotation).
resource "aws_secretsmanager_secret_rotation" "master" {
  count     = local.rotate ? 1 : 0
  secret_id = aws_db_instance.this.master_user_secret[0].secret_arn

  rotation_rules {
    automatically_after_days = var.master_password_rotation_days
  }
}
