# Passes `upstream` through to an output: the s3-state stack sets it with `!terraform.state slow label`,
# so the value read from the slow component's S3 state shows up in this component's outputs.
terraform {
  required_version = ">= 1.5"
}

variable "upstream" {
  type        = string
  description = "The value read from another component's state."
}

variable "tags" {
  type        = map(string)
  description = "Tags (the AWS plugin requires Owner and CostCenter on S3-backed stacks)."
  default     = {}
}

resource "terraform_data" "relay" {
  input = var.upstream
}

output "upstream" {
  value = terraform_data.relay.output
}
