variable "name" { type = string }
variable "cidr" { type = string }
variable "nat_gateways" { type = number }
variable "tags" { type = map(string) }
variable "tenant" { type = string }
variable "stage" { type = string }

output "cidr" { value = var.cidr }
