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

variable "app_name" {
  type        = string
  description = "Application name, used in the endpoint host name."
}

variable "image" {
  type        = string
  description = "Container image; changing it replaces the deployment."
}

variable "replicas" {
  type        = number
  description = "Number of running copies."
  default     = 1

  validation {
    condition     = var.replicas >= 1 && var.replicas <= 10
    error_message = "The replicas must be between 1 and 10."
  }
}

variable "port" {
  type        = number
  description = "Port the application listens on."
  default     = 8080
}

variable "features" {
  type        = list(string)
  description = "Feature flags turned on for this deployment."
  default     = []
}

variable "environment_variables" {
  type        = map(string)
  description = "Environment variables passed to the application."
  default     = {}
}

variable "api_token" {
  type        = string
  description = "Token the application presents to its upstream API. Never printed by terraform."
  sensitive   = true
}
