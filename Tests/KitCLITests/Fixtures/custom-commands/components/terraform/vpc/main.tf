variable "stage" {}
variable "region" {}
