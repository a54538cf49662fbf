output "server_id" {
  description = "Resource ID of the server."
  value       = azurerm_postgresql_flexible_server.this.id
}

output "fqdn" {
  description = "Server host name (resolves privately)."
  value       = azurerm_postgresql_flexible_server.this.fqdn
}

output "administrator_password_secret_id" {
  description = "Key Vault secret ID holding the administrator password."
  value       = azurerm_key_vault_secret.administrator.id
}
