output "api_endpoint" {
  description = "Base URL of the webhook API (append /telegram or /github)."
  value       = "${aws_apigatewayv2_api.this.api_endpoint}/${aws_apigatewayv2_stage.this.name}"
}

output "lambda_function_name" {
  description = "Name of the bot Lambda function."
  value       = aws_lambda_function.bot.function_name
}

output "github_deploy_role_arn" {
  description = "Role GitHub Actions assumes through OIDC to deploy the bot."
  value       = aws_iam_role.github_deploy.arn
}

output "secret_arns" {
  description = "Secrets Manager ARNs by secret key."
  value       = { for key, secret in aws_secretsmanager_secret.this : key => secret.arn }
}
