resource "terraform_data" "net" {}
