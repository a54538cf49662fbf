output "hostname" {
  description = "Cache host name (resolves privately)."
  value       = azurerm_redis_cache.this.hostname
}

output "ssl_port" {
  description = "TLS port."
  value       = azurerm_redis_cache.this.ssl_port
}

output "primary_connection_string" {
  description = "Connection string with the access key."
  value       = azurerm_redis_cache.this.primary_connection_string
  sensitive   = true
}
