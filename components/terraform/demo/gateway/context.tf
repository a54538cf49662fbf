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
  description = "Short region code; `local` for the demo."
}

variable "stage" {
  type        = string
  description = "Deployment stage."
}

variable "region" {
  type        = string
  description = "Region name; the demo runs nowhere, so it is `local`."
  default     = "local"
}

variable "tags" {
  type        = map(string)
  description = "Tags recorded on every pretend resource."
  default     = {}
}

variable "fail" {
  type        = bool
  description = "Make the plan fail on purpose (the estate tests use it to prove dependents are skipped)."
  default     = false
}
