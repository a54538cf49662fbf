# Offline demo: the ChatOps estate's secrets (bot token, webhook secret). terraform_data only; the
# "ARNs" are made up from the names, no value is stored.
terraform {
  required_version = ">= 1.5"
}

variable "secret_names" {
  type        = list(string)
  description = "Names of the secrets to create."
}

resource "terraform_data" "secret" {
  for_each = toset(var.secret_names)

  input = {
    arn  = "arn:demo:secretsmanager:${var.region}:000000000000:secret:${var.namespace}-${var.stage}-${each.key}"
    tags = var.tags
  }

  lifecycle {
    precondition {
      condition     = !var.fail
      error_message = "this plan fails on purpose (var.fail is true)."
    }
  }
}

output "secret_arns" {
  description = "Secret name to ARN."
  value       = { for name, s in terraform_data.secret : name => s.output.arn }
}
