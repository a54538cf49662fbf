variable "engine" { type = string }
resource "terraform_data" "rds" { input = var.engine }
