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
  description = "Name inside the stack, e.g. `chatops`."
}

variable "lambda_runtime" {
  type        = string
  description = "Lambda runtime of the bot handler."
  default     = "python3.12"
}

variable "lambda_memory_mb" {
  type        = number
  description = "Lambda memory in MB."
  default     = 512
}

variable "lambda_timeout_seconds" {
  type        = number
  description = "Lambda timeout in seconds (API Gateway caps requests at 29 s)."
  default     = 30
}

variable "lambda_architecture" {
  type        = string
  description = "Lambda architecture: arm64 or x86_64."
  default     = "arm64"
}

variable "lambda_package_path" {
  type        = string
  description = "Zip of the first deployment's handler; default the placeholder handler.zip beside this module (CI deploys the real code)."
  default     = null
}

variable "log_level" {
  type        = string
  description = "Handler log level (debug, info, warning, error)."
  default     = "info"
}

variable "api_stage_name" {
  type        = string
  description = "API Gateway stage name."
  default     = "v1"
}

variable "api_throttle_rate_limit" {
  type        = number
  description = "Steady-state requests per second."
  default     = 20
}

variable "api_throttle_burst_limit" {
  type        = number
  description = "Burst requests."
  default     = 40
}

variable "secret_names" {
  type = object({
    telegram_bot_token     = string
    github_webhook_secret  = string
    github_app_private_key = string
  })
  description = "Secrets Manager names of the bot's secrets (values are set out of band)."
}

variable "telegram_allowed_chat_ids" {
  type        = list(string)
  description = "Telegram chats allowed to issue commands."
}

variable "github_oidc" {
  type = object({
    repositories = list(string)
    allowed_refs = list(string)
  })
  description = "GitHub repositories and refs whose Actions workflows may deploy the bot via OIDC."
}

variable "permissions_boundary" {
  type        = string
  description = "IAM permissions boundary ARN for every role; kit fills it from settings.kit.aws."
  default     = null
}
