# Offline demo: the API gateway in front of the bot API, under the shared DNS zone. terraform_data only.
terraform {
  required_version = ">= 1.5"
}

variable "api_endpoint" {
  type        = string
  description = "The API service's endpoint (from the api component)."
}

variable "zone_name" {
  type        = string
  description = "DNS zone the gateway's host name lives in (from the shared dns component, another stack)."
}

variable "throttle_rate_limit" {
  type        = number
  description = "Requests per second allowed through the gateway stage."
  default     = 50
}

resource "terraform_data" "gateway" {
  input = {
    host       = "chatops.${var.stage}.${var.zone_name}"
    upstream   = var.api_endpoint
    rate_limit = var.throttle_rate_limit
    tags       = var.tags
  }

  lifecycle {
    precondition {
      condition     = !var.fail
      error_message = "this plan fails on purpose (var.fail is true)."
    }
  }
}

output "url" {
  description = "Public URL of the webhook."
  value       = "https://${terraform_data.gateway.output.host}/webhook"
}
