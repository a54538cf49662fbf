# Plans fail: the resource refers to a local value that does not exist.
terraform {
  required_version = ">= 1.5"
}

resource "terraform_data" "broken" {
  input = local.does_not_exist
}
