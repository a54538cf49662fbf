# A resource that takes `sleep_seconds` to create (a local-exec provisioner), so that runs overlap.
# `exec` makes the shell become `sleep`: when terraform stops on SIGINT it kills the provisioner's
# process, and without `exec` an orphaned `sleep` would keep the output pipe open until it ends.
terraform {
  required_version = ">= 1.5"
}

variable "label" {
  type        = string
  description = "Recorded in the resource and returned as an output."
}

variable "sleep_seconds" {
  type        = number
  description = "How long creating the resource takes."
  default     = 0
}

variable "tags" {
  type        = map(string)
  description = "Tags (the AWS plugin requires Owner and CostCenter on S3-backed stacks)."
  default     = {}
}

resource "terraform_data" "slow" {
  input = var.label

  provisioner "local-exec" {
    command = "exec sleep ${var.sleep_seconds}"
  }
}

output "label" {
  value = terraform_data.slow.output
}
