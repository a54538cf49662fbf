# Variables for dev, shared with plain terraform users.
cidr    = "10.30.0.0/16"
azs     = ["us-east-2a", "us-east-2b"]
nat     = true
subnets = 4
tags = {
  Team        = "network"
  "cost-center" = "1234"
}
notes = <<-EOT
  created by terraform
  kept by kit
EOT
