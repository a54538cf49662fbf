variable "namespace" {
  type        = string
  description = "Organisation short name, e.g. `acme`."
}

variable "tenant" {
  type        = string
  description = "Tenant that owns the stack, e.g. `plat`."
}

variable "environment" {
  type        = string
  description = "Short region code used in names, e.g. `use1`."
}

variable "stage" {
  type        = string
  description = "Deployment stage: dev, staging or prod."
}

variable "region" {
  type        = string
  description = "Cloud region, e.g. `us-east-1` or `eastus`."
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource; must include Environment, Owner and CostCenter."
  default     = {}
}

variable "name" {
  type        = string
  description = "Vault and plan name inside the stack, e.g. `default`."
}

variable "vault_kms_key_alias" {
  type        = string
  description = "Alias of the KMS key created for the vault."
}

variable "vault_lock_enabled" {
  type        = bool
  description = "Apply AWS Backup Vault Lock (governance mode) to the vault."
  default     = false
}

variable "selection_tags" {
  type        = map(string)
  description = "Resources carrying all these tags are backed up; empty: no selection (the plan backs up nothing until one is added)."
  default     = { Backup = "true" }
}

variable "rules" {
  type = list(object({
    name                    = string
    schedule                = string
    delete_after_days       = number
    cold_storage_after_days = optional(number)
  }))
  description = "Backup rules (name, cron schedule, retention)."
}

variable "copy_destination_vault_arn" {
  type        = string
  description = "Vault in another region that receives a copy of every recovery point; null for none."
  default     = null
}

variable "permissions_boundary" {
  type        = string
  description = "IAM permissions boundary ARN for every role; kit fills it from settings.kit.aws."
  default     = null
}
