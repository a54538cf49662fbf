resource "terraform_data" "vpc" {}
variable "cidr" {}
