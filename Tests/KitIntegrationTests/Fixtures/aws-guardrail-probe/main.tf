# One root module whose plan breaks every seed plan guardrail at once (AWSSeedTests): the real aws
# provider plans it against the local API, kit's AWS plugin reviews the plan and blocks it, and nothing
# is created. The stack's vars say nothing about these settings, so the configuration checks pass and
# only the plan shows the violations — the case the plan checks exist for.
terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  type = string
}

variable "name" {
  type = string
}

# The stack's other vars (kit passes them all).
variable "namespace" {
  type = string
}

variable "tenant" {
  type = string
}

variable "environment" {
  type = string
}

variable "stage" {
  type = string
}

variable "tags" {
  type = map(string)
}

locals {
  name = "guardrail-${var.name}"
}

# aws.iam.permissions-boundary: another boundary than the stack's.
resource "aws_iam_role" "probe" {
  name                 = local.name
  tags                 = var.tags
  permissions_boundary = "arn:aws:iam::123456789012:policy/not-the-workload-boundary"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

# aws.s3.force-destroy (production): force_destroy on, no versioning, no encryption configuration.
resource "aws_s3_bucket" "probe" {
  bucket        = local.name
  tags          = var.tags
  force_destroy = true
}

# aws.ec2.imdsv2 and aws.ec2.user-data-size: IMDSv1 allowed, 22,684 bytes of base64 user data.
resource "aws_launch_template" "probe" {
  name      = local.name
  tags      = var.tags
  user_data = base64encode(format("#!/bin/bash\n%-17000s", "# padding"))

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional"
  }
}

# aws.sg.public-ingress: ssh from anywhere.
resource "aws_security_group" "probe" {
  name        = local.name
  tags        = var.tags
  description = "guardrail probe"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# aws.rds.production: small, single-az, public, unencrypted, one day of backups, no deletion protection.
resource "aws_db_instance" "probe" {
  identifier                  = local.name
  tags                        = var.tags
  engine                      = "postgres"
  instance_class              = "db.t3.micro"
  allocated_storage           = 20
  username                    = "probe"
  manage_master_user_password = true
  multi_az                    = false
  publicly_accessible         = true
  storage_encrypted           = false
  backup_retention_period     = 1
  deletion_protection         = false
  skip_final_snapshot         = true
}
