terraform {
  required_version = ">= 1.5"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.10"
    }
  }
}

# kit writes providers_override.tf.json (features, subscription_id) next to this file.
provider "azurerm" {
  features {}
}

locals {
  name = "redis-${var.namespace}-${var.stage}-${var.environment}-${var.name}"
}

data "azurerm_subnet" "private_endpoints" {
  name                 = var.private_endpoint_subnet_name
  virtual_network_name = var.virtual_network_name
  resource_group_name  = var.resource_group_name
}

resource "azurerm_redis_cache" "this" {
  name                          = local.name
  location                      = var.location
  resource_group_name           = var.resource_group_name
  sku_name                      = var.sku_name
  family                        = var.family
  capacity                      = var.capacity
  minimum_tls_version           = var.minimum_tls_version
  non_ssl_port_enabled          = var.non_ssl_port_enabled
  public_network_access_enabled = var.public_network_access_enabled
  zones                         = length(var.zones) > 0 ? var.zones : null
  tags                          = var.tags

  redis_configuration {
    maxmemory_policy = "noeviction" # Sidekiq must never lose jobs
  }
}

resource "azurerm_private_dns_zone" "this" {
  name                = "privatelink.redis.cache.windows.net"
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_private_endpoint" "this" {
  name                = "pe-${local.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = data.azurerm_subnet.private_endpoints.id
  tags                = var.tags

  private_service_connection {
    name                           = "psc-${local.name}"
    private_connection_resource_id = azurerm_redis_cache.this.id
    subresource_names              = ["redisCache"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.this.id]
  }
}
