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
  description = "Existing resource group for the cluster."
}

variable "virtual_network_name" {
  type        = string
  description = "Existing virtual network."
}

variable "name" {
  type        = string
  description = "Cluster name suffix, e.g. `chatwoot`."
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor version."
}

variable "node_subnet_name" {
  type        = string
  description = "Subnet (in virtual_network_name) for nodes and pods (Azure CNI overlay)."
}

variable "private_cluster_enabled" {
  type        = bool
  description = "API server reachable only from the virtual network. Required in prod."
  default     = true
}

variable "sku_tier" {
  type        = string
  description = "Free or Standard (uptime SLA)."
  default     = "Standard"
}

variable "system_node_pool" {
  type = object({
    vm_size   = string
    min_count = number
    max_count = number
    zones     = list(string)
  })
  description = "Autoscaling system node pool."
}

variable "workload_identity_enabled" {
  type        = bool
  description = "OIDC issuer + workload identity (pods read Key Vault without secrets)."
  default     = true
}

variable "azure_policy_enabled" {
  type        = bool
  description = "Azure Policy add-on (SOC2 CC7 configuration monitoring)."
  default     = true
}

variable "log_analytics_retention_days" {
  type        = number
  description = "Retention of container insights logs."
  default     = 90
}

variable "authorized_admin_group_object_ids" {
  type        = list(string)
  description = "Entra ID groups with cluster-admin (Azure RBAC)."
}
