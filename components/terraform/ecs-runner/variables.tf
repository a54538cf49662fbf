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
  description = "Name inside the stack, e.g. `ecs-runner`."
}

variable "cluster_name" {
  type        = string
  description = "ECS cluster name suffix."
}

variable "container_image" {
  type        = string
  description = "Runner image (terraform + kit)."
}

variable "task_cpu" {
  type        = number
  description = "Fargate task CPU units."
  default     = 1024
}

variable "task_memory" {
  type        = number
  description = "Fargate task memory in MiB."
  default     = 2048
}

variable "desired_count" {
  type        = number
  description = "Always-on runner tasks (0: tasks are started on demand by Step Functions)."
  default     = 0
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the runner log group."
  default     = 90
}

variable "state_bucket_name" {
  type        = string
  description = "S3 bucket for run artifacts and plan files."

  validation {
    condition     = length(var.state_bucket_name) >= 3
    error_message = "Set state_bucket_name in the stack."
  }
}

variable "kms_key_deletion_window_days" {
  type        = number
  description = "Waiting period before the bucket's KMS key is deleted."
  default     = 30
}

variable "versioning_enabled" {
  type        = bool
  description = "Keep every version of every object."
  default     = true
}

variable "noncurrent_version_expiration_days" {
  type        = number
  description = "Delete non-current object versions after this many days."
  default     = 90
}

variable "abort_incomplete_multipart_upload_days" {
  type        = number
  description = "Abort incomplete multipart uploads after this many days."
  default     = 7
}

variable "force_destroy" {
  type        = bool
  description = "Allow deleting the bucket with objects in it. Must be false in prod."
  default     = false
}

variable "permissions_boundary" {
  type        = string
  description = "IAM permissions boundary ARN for every role; kit fills it from settings.kit.aws."
  default     = null
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets of the always-on runner service (the vpc's `private_subnet_ids` output)."
  default     = []
}
