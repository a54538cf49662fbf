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
  description = "Name of the VPC inside the stack, e.g. `core`."
}

variable "cidr_block" {
  type        = string
  description = "IPv4 address space of the VPC."
}

variable "availability_zone_count" {
  type        = number
  description = "Number of availability zones with one public and one private subnet each."
  default     = 3
}

variable "nat_gateway_enabled" {
  type        = bool
  description = "Give private subnets outbound internet access through NAT gateways."
  default     = true
}

variable "single_nat_gateway" {
  type        = bool
  description = "One shared NAT gateway (cheap) instead of one per availability zone (resilient)."
  default     = false
}

variable "flow_logs_enabled" {
  type        = bool
  description = "Send VPC flow logs to CloudWatch Logs."
  default     = true
}

variable "flow_logs_traffic_type" {
  type        = string
  description = "Traffic captured by flow logs: ACCEPT, REJECT or ALL."
  default     = "ALL"
}

variable "flow_logs_retention_days" {
  type        = number
  description = "Retention of the flow log group in days."
  default     = 90
}

variable "permissions_boundary" {
  type        = string
  description = "IAM permissions boundary ARN for every role; kit fills it from settings.kit.aws."
  default     = null
}
