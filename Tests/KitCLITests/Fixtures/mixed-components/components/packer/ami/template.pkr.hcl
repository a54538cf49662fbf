source "null" "ami" { communicator = "none" }
