# Offline demo: a DNS zone shared by every stage (it lives in the demo-shared stack). terraform_data only.
terraform {
  required_version = ">= 1.5"
}

variable "zone_name" {
  type        = string
  description = "The zone's name."
}

resource "terraform_data" "zone" {
  input = {
    name = var.zone_name
    tags = var.tags
  }

  lifecycle {
    precondition {
      condition     = !var.fail
      error_message = "this plan fails on purpose (var.fail is true)."
    }
  }
}

output "zone_name" {
  description = "The zone's name."
  value       = terraform_data.zone.output.name
}
