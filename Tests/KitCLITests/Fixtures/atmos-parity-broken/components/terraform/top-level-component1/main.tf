resource "terraform_data" "c1" {}
