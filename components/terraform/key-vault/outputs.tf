output "key_vault_id" {
  description = "Resource ID of the vault."
  value       = azurerm_key_vault.this.id
}

output "key_vault_uri" {
  description = "Vault URI for SDKs and the CSI secrets driver."
  value       = azurerm_key_vault.this.vault_uri
}
