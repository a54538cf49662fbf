variable "name" {
  type        = string
  description = "The queue's name"
}

variable "retention_days" {
  type    = number
  default = 14
  description = <<-EOT
    How long messages are kept.
  EOT
}

variable "tags" {
  type    = map(string)
  default = {}
}

# A multi-line type is kept as written.
variable "subnets" {
  type = list(object({
    id = string
    az = string
  }))
  default = [{ id = "subnet-1", az = "a" }]
}

variable "webhook_url" {
  type      = string
  sensitive = true
}

variable "ratio" {
  default = -0.5
}

variable "region" { type = string }
variable "namespace" { type = string }
variable "stage" { type = string }
variable "managed_by" { type = string }
