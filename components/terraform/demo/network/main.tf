# Offline demo network: no provider, only terraform_data. Works with local state on any machine.
terraform {
  required_version = ">= 1.5"
}

locals {
  network_id = "${var.namespace}-${var.stage}-${var.environment}-network"
  subnets    = { for index, name in var.subnet_names : name => cidrsubnet(var.cidr_block, 8, index) }
}

resource "terraform_data" "network" {
  input = {
    id         = local.network_id
    cidr_block = var.cidr_block
    tags       = merge(var.tags, { Name = local.network_id })
  }
}

resource "terraform_data" "subnet" {
  for_each = local.subnets

  input = {
    id         = "${local.network_id}-${each.key}"
    network_id = terraform_data.network.output.id
    cidr_block = each.value
  }
}
