variable "namespace" {
  type        = string
  description = "Organisation short name (first part of the stack name)."
}

variable "tenant" {
  type        = string
  description = "Tenant (team or business unit) that owns the stack."
  default     = "sandbox"
}

variable "environment" {
  type        = string
  description = "Short region code, e.g. `use1`; `local` for the demo."
}

variable "stage" {
  type        = string
  description = "Deployment stage: dev, staging or prod."
}

variable "region" {
  type        = string
  description = "Region name; the demo runs nowhere, so it is `local`."
  default     = "local"
}

variable "tags" {
  type        = map(string)
  description = "Tags recorded on every pretend resource (Environment, Owner, CostCenter, ...)."
  default     = {}
}

variable "cidr_block" {
  type        = string
  description = "Address space of the pretend network."
  default     = "10.42.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr_block, 0))
    error_message = "The cidr_block must be a valid IPv4 CIDR, e.g. 10.42.0.0/16."
  }
}

variable "subnet_names" {
  type        = list(string)
  description = "One /24 subnet is carved out of cidr_block per name, in order."
  default     = ["public", "app"]
}
