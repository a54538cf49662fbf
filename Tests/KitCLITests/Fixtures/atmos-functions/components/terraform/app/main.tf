variable "stage" { type = string }
variable "home_dir" { type = string }
variable "region" { type = string }
variable "greeting" { type = string }
variable "sizes" { type = list(number) }
variable "answer" { type = number }
variable "label" { type = string }
variable "tags" { type = map(string) }
variable "repo" { type = string }
variable "vpc_id" {
  type    = string
  default = ""
}
resource "terraform_data" "app" { input = var.label }
