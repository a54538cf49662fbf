output "storage_account_id" {
  description = "Resource ID of the storage account."
  value       = azurerm_storage_account.this.id
}

output "primary_blob_endpoint" {
  description = "Blob endpoint (resolves privately through the private endpoint)."
  value       = azurerm_storage_account.this.primary_blob_endpoint
}

output "container_names" {
  description = "Containers created."
  value       = [for container in azurerm_storage_container.this : container.name]
}
