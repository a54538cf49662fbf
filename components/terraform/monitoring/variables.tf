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
  description = "Name inside the stack, e.g. `alarms` or `dashboard`."
}

variable "alarm_email" {
  type        = string
  description = "Address subscribed to the alarm topic; null creates no topic."
  default     = null
}

variable "rds_instance_identifier" {
  type        = string
  description = "Name (inside the stack) of the RDS instance to watch."
  default     = "app"
}

variable "rds_cpu_threshold_percent" {
  type        = number
  description = "Alarm when average CPU stays above this for 15 minutes."
  default     = 80
}

variable "rds_free_storage_threshold_gb" {
  type        = number
  description = "Alarm when free storage drops below this many GiB."
  default     = 10
}

variable "dashboard_enabled" {
  type        = bool
  description = "Create the CloudWatch dashboard instead of alarms."
  default     = false
}

variable "dashboard_widgets" {
  type        = list(string)
  description = "Dashboard widgets as \"<SERVICE> <MetricName>\"."
  default     = []
}
