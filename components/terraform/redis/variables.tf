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
  description = "Cache name suffix, e.g. `chatwoot`."
}

variable "sku_name" {
  type        = string
  description = "Basic, Standard or Premium."
  default     = "Premium"
}

variable "family" {
  type        = string
  description = "C (Basic/Standard) or P (Premium)."
  default     = "P"
}

variable "capacity" {
  type        = number
  description = "Cache size within the family."
  default     = 1
}

variable "minimum_tls_version" {
  type        = string
  description = "Minimum TLS version."
  default     = "1.2"
}

variable "non_ssl_port_enabled" {
  type        = bool
  description = "Open the plain-text port 6379. Must stay false."
  default     = false
}

variable "zones" {
  type        = list(string)
  description = "Availability zones (Premium only)."
  default     = []
}
