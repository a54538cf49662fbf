/* Small C helpers for the kit plugin ABI v1 (see include/kit_plugin_bridge.h). */
#include "kit_plugin_bridge.h"

void kit_host_emit(const kit_host_v1 *host, const char *json, uint64_t len) {
    if (host != 0 && host->emit != 0) host->emit(host->ctx, json, len);
}

int32_t kit_plugin_call_handle(const struct kit_plugin_v1 *plugin, const kit_host_v1 *host,
                               const uint8_t *req, uint64_t req_len, kit_buffer *out) {
    return plugin->handle(host, req, req_len, out);
}

void kit_plugin_call_free(const struct kit_plugin_v1 *plugin, kit_buffer *buffer) {
    if (plugin->free_buffer != 0) plugin->free_buffer(buffer);
}
