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

data "aws_vpc" "this" {
  tags = { Name = "${var.namespace}-${var.stage}-${var.environment}-${var.vpc_name}" }
}

resource "aws_security_group" "this" {
  name        = local.name
  description = var.description
  vpc_id      = data.aws_vpc.this.id
  tags        = merge(var.tags, { Name = local.name })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each = {
    for pair in flatten([
      for rule in var.ingress_rules : [
        for cidr in rule.cidr_blocks : merge(rule, { cidr = cidr })
      ]
    ]) : "${pair.protocol}-${pair.from_port}-${pair.to_port}-${pair.cidr}" => pair
  }

  security_group_id = aws_security_group.this.id
  description       = each.value.description
  ip_protocol       = each.value.protocol
  from_port         = each.value.from_port
  to_port           = each.value.to_port
  cidr_ipv4         = each.value.cidr
  tags              = var.tags
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each = toset(var.egress_cidr_blocks)

  security_group_id = aws_security_group.this.id
  description       = "all outbound"
  ip_protocol       = "-1"
  cidr_ipv4         = each.value
  tags              = var.tags
}
