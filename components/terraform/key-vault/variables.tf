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

variable "location" {
  type        = string
  description = "Azure region, e.g. `eastus`."
}

variable "resource_group_name" {
  type        = string
  description = "Existing resource group for the component."
}

variable "virtual_network_name" {
  type        = string
  description = "Existing virtual network."
}

variable "private_endpoint_subnet_name" {
  type        = string
  description = "Subnet (in virtual_network_name) that hosts private endpoints."
}

variable "public_network_access_enabled" {
  type        = bool
  description = "Allow access from public networks. Must be false in prod."
  default     = false
}

variable "key_vault_name" {
  type        = string
  description = "Globally unique vault name: 3-24 letters, digits and hyphens."

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$", var.key_vault_name))
    error_message = "The key_vault_name must be 3-24 letters, digits and hyphens."
  }
}

variable "sku_name" {
  type        = string
  description = "standard or premium (HSM-backed keys)."
  default     = "standard"
}

variable "soft_delete_retention_days" {
  type        = number
  description = "Days a deleted vault or secret can be recovered."
  default     = 90
}

variable "purge_protection_enabled" {
  type        = bool
  description = "Refuse purging deleted secrets before retention ends."
  default     = true
}

variable "rbac_authorization_enabled" {
  type        = bool
  description = "Use Azure RBAC instead of access policies."
  default     = true
}
