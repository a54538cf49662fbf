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

variable "queue_name" {
  type        = string
  description = "Queue name; the full name is prefixed with namespace, stage and environment."
}

variable "retention_seconds" {
  type        = number
  description = "How long a message is kept, in seconds (60 to 1209600)."
  default     = 345600

  validation {
    condition     = var.retention_seconds >= 60 && var.retention_seconds <= 1209600
    error_message = "The retention_seconds must be between 60 and 1209600."
  }
}

variable "dead_letter_enabled" {
  type        = bool
  description = "Create a dead-letter queue for messages that fail max_receive_count times."
  default     = true
}

variable "max_receive_count" {
  type        = number
  description = "Receives before a message moves to the dead-letter queue."
  default     = 5
}
