variable "replicas" { type = number }
variable "image" { type = string }
variable "tenant" { type = string }
variable "stage" { type = string }
