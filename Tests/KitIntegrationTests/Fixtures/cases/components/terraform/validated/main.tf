# Plans fail when `replicas` is outside 1..10 (the stack sets 99).
terraform {
  required_version = ">= 1.5"
}

variable "replicas" {
  type = number

  validation {
    condition     = var.replicas >= 1 && var.replicas <= 10
    error_message = "The replicas must be between 1 and 10."
  }
}

resource "terraform_data" "validated" {
  input = var.replicas
}
