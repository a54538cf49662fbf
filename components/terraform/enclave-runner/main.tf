terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
  }
}

# kit writes providers_override.tf.json (region, default_tags, assume_role) next to this file.
provider "aws" {
  region = var.region
}

locals {
  prefix = "${var.namespace}-${var.stage}-${var.environment}"
  name   = "${local.prefix}-${var.name}"
}

# ---- 1. run requests land in DynamoDB
resource "aws_dynamodb_table" "requests" {
  name             = "${local.prefix}-${var.requests_table_name}"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "run_id"
  stream_enabled   = true
  stream_view_type = var.stream_view_type

  attribute {
    name = "run_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }

  tags = var.tags
}

# ---- 2. the stream starts a Step Functions execution (EventBridge Pipes)
locals {
  # Roles: the parent instance always; the state machine and the pipe when they exist.
  roles = var.state_machine_enabled ? ["states", "pipes", "ec2"] : ["ec2"]
}

data "aws_iam_policy_document" "assume" {
  for_each = toset(local.roles)
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["${each.key}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each             = toset(local.roles)
  name                 = "${local.name}-${each.key}"
  assume_role_policy   = data.aws_iam_policy_document.assume[each.key].json
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

resource "aws_iam_role_policy" "states" {
  count = var.state_machine_enabled ? 1 : 0
  name  = "run-ecs-task"
  role  = aws_iam_role.this["states"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["ecs:RunTask", "ecs:StopTask", "ecs:DescribeTasks"], Resource = "*" },
      { Effect = "Allow", Action = ["iam:PassRole"], Resource = "*", Condition = { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } } },
      { Effect = "Allow", Action = ["events:PutTargets", "events:PutRule", "events:DescribeRule"], Resource = "*" }
    ]
  })
}

resource "aws_sfn_state_machine" "run" {
  count    = var.state_machine_enabled ? 1 : 0
  name     = local.name
  role_arn = aws_iam_role.this["states"].arn
  definition = jsonencode({
    Comment        = "run one terraform job on the ECS Fargate runner"
    TimeoutSeconds = var.state_machine_timeout_seconds
    StartAt        = "RunTerraform"
    States = {
      RunTerraform = {
        Type     = "Task"
        Resource = "arn:aws:states:::ecs:runTask.sync"
        Parameters = {
          Cluster        = var.runner_cluster_arn
          TaskDefinition = var.runner_task_definition_arn
          LaunchType     = "FARGATE"
          NetworkConfiguration = {
            AwsvpcConfiguration = { Subnets = var.subnet_ids, AssignPublicIp = "DISABLED" }
          }
          Overrides = {
            ContainerOverrides = [{
              Name            = "runner"
              "Environment.$" = "States.Array(States.JsonToString($[0].dynamodb.NewImage))"
            }]
          }
        }
        End = true
      }
    }
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "pipes" {
  count = var.state_machine_enabled ? 1 : 0
  name  = "stream-to-state-machine"
  role  = aws_iam_role.this["pipes"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"]
        Resource = aws_dynamodb_table.requests.stream_arn
      },
      { Effect = "Allow", Action = ["states:StartExecution"], Resource = aws_sfn_state_machine.run[0].arn }
    ]
  })
}

resource "aws_pipes_pipe" "requests" {
  count    = var.state_machine_enabled ? 1 : 0
  name     = local.name
  role_arn = aws_iam_role.this["pipes"].arn
  source   = aws_dynamodb_table.requests.stream_arn
  target   = aws_sfn_state_machine.run[0].arn

  source_parameters {
    dynamodb_stream_parameters {
      starting_position      = "LATEST"
      batch_size             = 1
      parallelization_factor = var.max_concurrent_runs
    }
    filter_criteria {
      filter {
        pattern = jsonencode({ eventName = ["INSERT"] })
      }
    }
  }

  target_parameters {
    step_function_state_machine_parameters {
      invocation_type = "FIRE_AND_FORGET"
    }
  }

  tags = var.tags
}

# ---- 3. the Nitro Enclave parent instance (signing key never leaves the enclave)
resource "aws_iam_instance_profile" "parent" {
  name = "${local.name}-parent"
  role = aws_iam_role.this["ec2"].name
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

resource "aws_launch_template" "parent" {
  name_prefix   = "${local.name}-parent-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = var.parent_instance_type
  user_data     = base64encode(var.user_data)

  enclave_options {
    enabled = true
  }

  iam_instance_profile {
    arn = aws_iam_instance_profile.parent.arn
  }

  metadata_options {
    http_endpoint               = var.metadata_options.http_endpoint
    http_tokens                 = var.metadata_options.http_tokens
    http_put_response_hop_limit = var.metadata_options.http_put_response_hop_limit
  }

  tag_specifications {
    resource_type = "instance"
    tags = merge(var.tags, {
      Name             = "${local.name}-parent"
      EnclaveCpuCount  = tostring(var.enclave_cpu_count)
      EnclaveMemoryMiB = tostring(var.enclave_memory_mib)
    })
  }

  tags = var.tags
}
