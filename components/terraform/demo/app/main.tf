# Offline demo application deployment. terraform_data only; the image triggers a replacement.
terraform {
  required_version = ">= 1.5"
}

locals {
  full_name = "${var.namespace}-${var.stage}-${var.environment}-${var.app_name}"
  host      = "${var.app_name}.${var.stage}.${var.namespace}.internal"
}

resource "terraform_data" "deployment" {
  triggers_replace = [var.image]

  input = {
    name                  = local.full_name
    image                 = var.image
    replicas              = var.replicas
    port                  = var.port
    features              = sort(var.features)
    environment_variables = var.environment_variables
    tags                  = merge(var.tags, { Name = local.full_name })
  }
}

resource "terraform_data" "api_credentials" {
  input = {
    deployment = terraform_data.deployment.output.name
    token      = var.api_token
  }
}
