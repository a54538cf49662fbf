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

variable "storage_account_name" {
  type        = string
  description = "Globally unique account name: 3-24 lowercase letters and digits."

  validation {
    condition     = can(regex("^[a-z0-9]{3,24}$", var.storage_account_name))
    error_message = "The storage_account_name must be 3-24 lowercase letters and digits."
  }
}

variable "account_tier" {
  type        = string
  description = "Standard or Premium."
  default     = "Standard"
}

variable "account_replication_type" {
  type        = string
  description = "LRS, ZRS, GRS, GZRS, ..."
  default     = "GZRS"
}

variable "min_tls_version" {
  type        = string
  description = "Minimum TLS version accepted; SOC2 requires TLS1_2."
  default     = "TLS1_2"
}

variable "https_traffic_only_enabled" {
  type        = bool
  description = "Refuse plain HTTP."
  default     = true
}

variable "allow_nested_items_to_be_public" {
  type        = bool
  description = "Allow public containers/blobs."
  default     = false
}

variable "blob_soft_delete_retention_days" {
  type        = number
  description = "Days deleted blobs and containers can be recovered."
  default     = 30
}

variable "container_names" {
  type        = list(string)
  description = "Private blob containers to create."
  default     = []
}
