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
  description = "Name inside the stack, e.g. `enclave-runner`."
}

variable "requests_table_name" {
  type        = string
  description = "DynamoDB table of run requests (suffix)."
}

variable "stream_view_type" {
  type        = string
  description = "DynamoDB stream view type."
  default     = "NEW_AND_OLD_IMAGES"
}

variable "state_machine_timeout_seconds" {
  type        = number
  description = "Maximum duration of one run."
  default     = 3600
}

variable "max_concurrent_runs" {
  type        = number
  description = "Stream batches processed in parallel per shard."
  default     = 2
}

variable "parent_instance_type" {
  type        = string
  description = "Nitro-capable EC2 instance type that hosts the enclave."
}

variable "enclave_cpu_count" {
  type        = number
  description = "vCPUs reserved for the enclave."
  default     = 2
}

variable "enclave_memory_mib" {
  type        = number
  description = "Memory reserved for the enclave in MiB."
  default     = 3072
}

variable "metadata_options" {
  type = object({
    http_endpoint               = string
    http_tokens                 = string
    http_put_response_hop_limit = number
  })
  description = "Instance metadata settings of the parent instance; IMDSv2 only."

  validation {
    condition     = var.metadata_options.http_tokens == "required"
    error_message = "The metadata_options.http_tokens must be \"required\" (IMDSv2 only)."
  }
}

variable "user_data" {
  type        = string
  description = "Parent-instance user data; must stay under 16 KB once base64-encoded."

  validation {
    condition     = length(base64encode(var.user_data)) <= 16384
    error_message = "The user_data exceeds 16 KB once base64-encoded; move scripts to S3 or the AMI."
  }
}

variable "permissions_boundary" {
  type        = string
  description = "IAM permissions boundary ARN for every role; kit fills it from settings.kit.aws."
  default     = null
}

variable "runner_cluster_arn" {
  type        = string
  description = "ARN of the ECS cluster the state machine starts runs on (the ecs-runner's `cluster_arn` output)."
}

variable "runner_task_definition_arn" {
  type        = string
  description = "Task definition of one run (the ecs-runner's `task_definition_arn` output)."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets the runs start in (the vpc's `private_subnet_ids` output)."
}

variable "state_machine_enabled" {
  type        = bool
  description = "Start a run for every new request (EventBridge Pipe from the table's stream to a Step Functions state machine). False: requests are only recorded; runs start another way (e.g. the ecs-runner's always-on service)."
  default     = true
}
