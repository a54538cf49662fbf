variable "cidr" {
  type = string
}

variable "stage" {
  type = string
}
