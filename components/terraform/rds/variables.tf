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
  description = "Instance name inside the stack, e.g. `app`."
}

variable "engine" {
  type        = string
  description = "Database engine."
  default     = "postgres"
}

variable "engine_version" {
  type        = string
  description = "Engine version, e.g. `16.4`."
}

variable "instance_class" {
  type        = string
  description = "Instance class; prod requires db.t3.medium or larger."
}

variable "allocated_storage" {
  type        = number
  description = "Initial storage in GiB (ignored for replicas)."
  default     = 50
}

variable "max_allocated_storage" {
  type        = number
  description = "Storage autoscaling ceiling in GiB."
  default     = 200
}

variable "storage_type" {
  type        = string
  description = "Storage type: gp3, io1 or io2."
  default     = "gp3"
}

variable "storage_encrypted" {
  type        = bool
  description = "Encrypt storage with KMS. Always true; kit refuses false."
  default     = true
}

variable "multi_az" {
  type        = bool
  description = "Standby in a second availability zone. Required in prod."
  default     = false
}

variable "publicly_accessible" {
  type        = bool
  description = "Give the instance a public address. Must be false."
  default     = false
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse deletion of the instance. Required in prod."
  default     = true
}

variable "backup_retention_period" {
  type        = number
  description = "Days of automated backups; prod requires at least 7."
  default     = 7
}

variable "backup_window" {
  type        = string
  description = "Daily UTC window for automated backups."
  default     = "03:00-04:00"
}

variable "maintenance_window" {
  type        = string
  description = "Weekly UTC maintenance window."
  default     = "sun:04:30-sun:05:30"
}

variable "port" {
  type        = number
  description = "Database port."
  default     = 5432
}

variable "database_name" {
  type        = string
  description = "Initial database (primaries only)."
  default     = null
}

variable "master_username" {
  type        = string
  description = "Master user name (primaries only)."
  default     = "app_admin"
}

variable "manage_master_user_password" {
  type        = bool
  description = "Let RDS keep the master password in Secrets Manager."
  default     = true
}

variable "master_password_rotation_days" {
  type        = number
  description = "Rotate the managed master password every N days; null disables rotation."
  default     = 30
}

variable "performance_insights_enabled" {
  type        = bool
  description = "Turn on Performance Insights."
  default     = true
}

variable "replicate_source_db" {
  type        = string
  description = "Name (inside the stack) of the primary to replicate; null for a primary."
  default     = null
}

variable "vpc_name" {
  type        = string
  description = "Name suffix of the VPC the instance lives in."
  default     = "core"
}
