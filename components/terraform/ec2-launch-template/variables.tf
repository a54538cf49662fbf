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
  description = "Launch template name inside the stack, e.g. `bastion`."
}

variable "instance_type" {
  type        = string
  description = "EC2 instance type."
}

variable "ami_ssm_parameter" {
  type        = string
  description = "SSM public parameter holding the AMI ID."
}

variable "metadata_options" {
  type = object({
    http_endpoint               = string
    http_tokens                 = string
    http_put_response_hop_limit = number
    instance_metadata_tags      = optional(string, "disabled")
  })
  description = "Instance metadata service settings. http_tokens must be `required` (IMDSv2)."

  validation {
    condition     = var.metadata_options.http_tokens == "required"
    error_message = "The metadata_options.http_tokens must be \"required\" (IMDSv2 only)."
  }
}

variable "root_volume_size" {
  type        = number
  description = "Root EBS volume size in GiB."
  default     = 30
}

variable "root_volume_encrypted" {
  type        = bool
  description = "Encrypt the root EBS volume."
  default     = true
}

variable "detailed_monitoring" {
  type        = bool
  description = "One-minute CloudWatch metrics."
  default     = true
}

variable "user_data" {
  type        = string
  description = "Cloud-init user data (plain text; must stay under 16 KB once base64-encoded)."
  default     = ""

  validation {
    condition     = length(base64encode(var.user_data)) <= 16384
    error_message = "The user_data exceeds 16 KB once base64-encoded."
  }
}
