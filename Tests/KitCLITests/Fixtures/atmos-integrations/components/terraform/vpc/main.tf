variable "cidr" { type = string }
variable "tags" { type = map(string) }
