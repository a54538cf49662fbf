# Offline demo: one service of the estate (a database, a cache, the bot API). terraform_data only.
# Its inputs come from other components' outputs through !terraform.state / !terraform.output.
terraform {
  required_version = ">= 1.5"
}

variable "service_name" {
  type        = string
  description = "Service name, used in the endpoint host name."
}

variable "kind" {
  type        = string
  description = "What the service is: database, cache, api."
}

variable "port" {
  type        = number
  description = "Port the service listens on."
}

variable "inputs" {
  type        = map(string)
  description = "Values read from the components this service depends on (endpoints, subnets, secret ARNs)."
  default     = {}
}

resource "terraform_data" "service" {
  input = {
    name   = "${var.namespace}-${var.stage}-${var.service_name}"
    kind   = var.kind
    port   = var.port
    inputs = var.inputs
    tags   = var.tags
  }

  lifecycle {
    precondition {
      condition     = !var.fail
      error_message = "this plan fails on purpose (var.fail is true)."
    }
  }
}

output "endpoint" {
  description = "host:port of the service."
  value       = "${terraform_data.service.output.name}.${var.kind}.internal:${var.port}"
}

output "inputs" {
  description = "The inputs the service was deployed with."
  value       = terraform_data.service.output.inputs
}
