variable "cidr" { type = string }
