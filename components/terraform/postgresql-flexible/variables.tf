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

variable "name" {
  type        = string
  description = "Server name suffix, e.g. `chatwoot`."
}

variable "postgresql_version" {
  type        = string
  description = "PostgreSQL major version."
  default     = "16"
}

variable "sku_name" {
  type        = string
  description = "Compute SKU, e.g. GP_Standard_D2ds_v5."
}

variable "storage_mb" {
  type        = number
  description = "Storage in MB."
  default     = 65536
}

variable "high_availability_mode" {
  type        = string
  description = "ZoneRedundant, SameZone, or null for none."
  default     = "ZoneRedundant"
}

variable "backup_retention_days" {
  type        = number
  description = "Point-in-time restore window (7-35 days); prod requires 35."
  default     = 35
}

variable "geo_redundant_backup_enabled" {
  type        = bool
  description = "Copy backups to the paired region. Required in prod."
  default     = true
}

variable "database_names" {
  type        = list(string)
  description = "Databases to create."
}

variable "administrator_login" {
  type        = string
  description = "Administrator login name."
}

variable "key_vault_secret_name" {
  type        = string
  description = "Key Vault secret that receives the generated administrator password."
}

variable "key_vault_name" {
  type        = string
  description = "Key Vault holding the administrator password (the `key-vault` component)."
  default     = null
}
