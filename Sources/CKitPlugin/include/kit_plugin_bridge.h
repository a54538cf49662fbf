/*
 * kit's bridging helpers for the plugin ABI: C functions that call through the tables' function
 * pointers, for Swift code (kit's loader and host, and KitPluginSDK inside a Swift plugin), which
 * cannot call them directly without an unsafe cast. Compiled into CKitPlugin (kit_plugin.c).
 *
 * Not part of the plugin contract: a C plugin must not call these (they exist only where CKitPlugin
 * is linked, and a plugin that refers to them fails to load). Plugin authors use kit_plugin.h alone.
 */
#ifndef KIT_PLUGIN_BRIDGE_H
#define KIT_PLUGIN_BRIDGE_H

#include "kit_plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Host helper: calls `host->emit` through a C function pointer (Swift cannot call the pointer
 * directly without an unsafe cast). Defined in CKitPlugin's kit_plugin.c.
 */
void kit_host_emit(const kit_host_v1 *host, const char *json, uint64_t len);

/*
 * Host helper: calls `plugin->handle`. Defined in CKitPlugin's kit_plugin.c.
 */
int32_t kit_plugin_call_handle(const struct kit_plugin_v1 *plugin, const kit_host_v1 *host,
                               const uint8_t *req, uint64_t req_len, kit_buffer *out);

/* Host helper: calls `plugin->free_buffer`. */
void kit_plugin_call_free(const struct kit_plugin_v1 *plugin, kit_buffer *buffer);

#ifdef __cplusplus
}
#endif

#endif /* KIT_PLUGIN_BRIDGE_H */
