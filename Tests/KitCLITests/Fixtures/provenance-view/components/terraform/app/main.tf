variable "replicas" { type = number }
