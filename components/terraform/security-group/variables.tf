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
  description = "Short name of the security group, e.g. `alb` or `rds`."
}

variable "description" {
  type        = string
  description = "Security group description."
  default     = "managed by kit"
}

variable "vpc_name" {
  type        = string
  description = "Name suffix of the VPC (the `vpc` component's `name`) the group belongs to."
  default     = "core"
}

variable "ingress_rules" {
  type = list(object({
    description = string
    from_port   = number
    to_port     = number
    protocol    = string
    cidr_blocks = list(string)
  }))
  description = "Inbound rules. kit warns on 0.0.0.0/0 and refuses it in prod."
  default     = []
}

variable "egress_cidr_blocks" {
  type        = list(string)
  description = "Destinations allowed for all outbound traffic."
  default     = ["0.0.0.0/0"]
}
