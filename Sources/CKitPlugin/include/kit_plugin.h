/*
 * kit provider plugin ABI, major version 1.
 *
 * A provider plugin is a shared library that exports one C function, `kit_plugin_v1`, returning a
 * pointer to a static `kit_plugin_v1` table. Only fixed-width integers, C strings, byte buffers and
 * function pointers cross the boundary; every request, response, error and event is UTF-8 JSON.
 * See docs/plugins.md for the messages.
 *
 * This is the public header for plugin authors: copy it into a C plugin's project. It declares only
 * what a plugin defines or receives; kit's own bridging helpers are in kit_plugin_bridge.h.
 *
 * Compatibility rules:
 *  - The fixed prefix (magic, abi_major, abi_minor, struct_size, reserved0) never changes in major 1.
 *  - Minor versions only append fields to the end of the tables; `struct_size` tells the reader how
 *    much the writer knows about, and nobody reads a field beyond it.
 *  - A breaking change is a new struct and a new symbol (`kit_plugin_v2`).
 */
#ifndef KIT_PLUGIN_H
#define KIT_PLUGIN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The table's magic number: the 8 ASCII bytes "KITPLUG1" read as a LITTLE-ENDIAN uint64, so that on
 * a little-endian machine (x86_64, aarch64) the first 8 bytes of the table spell "KITPLUG1" in memory.
 * 'K' (0x4B) is the least significant byte, '1' (0x31) the most significant.
 */
#define KIT_PLUGIN_MAGIC 0x3147554C5054494BULL

/* The ABI major version this header describes. The host refuses any other major. */
#define KIT_PLUGIN_ABI_MAJOR 1u

/*
 * The ABI minor version this header describes (additive changes only).
 *   1.0  the table below; ops describe, adapt, review, validate, after.
 *   1.1  a new request op, read_state (no table change). A host sends read_state only to plugins
 *        whose abi_minor is at least 1; a 1.1 plugin that cannot read a backend answers the error
 *        code "unsupported_op". A host accepts every minor up to its own.
 *  Optional ops (no minor bump): fetch_source (vendor sources), store (atmos stores), function
 *        (provider YAML functions such as !aws.account_id). A host may send them to any plugin;
 *        "unsupported_op" or status 2 (an op the plugin predates) both mean "not served here".
 */
#define KIT_PLUGIN_ABI_MINOR 1u

/* Status codes returned by `handle`. */
#define KIT_STATUS_OK 0          /* `out` holds {"ok": true, ...} */
#define KIT_STATUS_ERROR 1       /* `out` holds {"ok": false, "error": {"code", "message", "hint"}} */
#define KIT_STATUS_BAD_REQUEST 2 /* the request was not valid JSON or not a known op; `out` may hold an error body */
#define KIT_STATUS_INTERNAL 3    /* the plugin failed internally; `out` may hold an error body or be empty */

/*
 * A byte buffer handed from the plugin to the host. The plugin allocates it inside `handle`; the
 * host reads `len` bytes at `data` and then passes the same buffer to the plugin's `free_buffer`
 * exactly once (whoever allocates frees).
 */
typedef struct kit_buffer {
    uint8_t *data;  /* UTF-8 JSON bytes, not NUL-terminated; may be NULL when len is 0 */
    uint64_t len;   /* number of bytes at data */
    void *owner;    /* the plugin's private bookkeeping for free_buffer (e.g. an allocator handle); the host never reads it */
} kit_buffer;

/*
 * What the host passes into every `handle` call. Valid only for the duration of that call: a plugin
 * must not keep the pointer or call `emit` after `handle` returns.
 */
typedef struct kit_host_v1 {
    uint32_t struct_size;  /* sizeof(kit_host_v1) as the host compiled it; read no field beyond it */
    uint32_t abi_major;    /* the host's ABI major (1) */
    void *ctx;             /* opaque host context; pass it back to emit unchanged */
    /*
     * Streams one event to the host during the call: `json` points at `len` bytes of one UTF-8 JSON
     * object such as {"event": "log", "level": "info", "message": "..."}. The host copies the bytes
     * before returning. May be called any number of times, from the calling thread only.
     */
    void (*emit)(void *ctx, const char *json, uint64_t len);
} kit_host_v1;

/*
 * The plugin's table (`struct kit_plugin_v1`). `kit_plugin_v1()` returns a pointer to one instance with static storage that
 * lives as long as the process (the host never unloads a plugin).
 */
struct kit_plugin_v1 {
    /* ---- fixed prefix, identical for every minor version of major 1 ---- */
    uint64_t magic;         /* KIT_PLUGIN_MAGIC */
    uint32_t abi_major;     /* KIT_PLUGIN_ABI_MAJOR; must equal the host's major */
    uint32_t abi_minor;     /* KIT_PLUGIN_ABI_MINOR the plugin was built against */
    uint32_t struct_size;   /* sizeof(kit_plugin_v1) as the plugin compiled it */
    uint32_t reserved0;     /* zero */

    /* ---- ABI 1.0 fields ---- */
    const char *name;           /* the plugin's name, e.g. "aws" (static, NUL-terminated UTF-8) */
    const char *plugin_version; /* the plugin's own version, e.g. "1.2.0" */
    const char *sdk_version;    /* KitPluginSDK version it was built with, e.g. "1.0.0"; "" for non-SDK plugins */
    const char *swift_version;  /* Swift compiler "major.minor" it was built with, e.g. "6.3"; "" when it does not use the Swift runtime */

    /*
     * Handles one request: `req` points at `req_len` bytes of one UTF-8 JSON object {"op": "...", ...}.
     * The plugin fills `out` with the JSON response (allocated by the plugin) and returns a
     * KIT_STATUS_* code. May block; the host calls it from a thread outside its async runtime, and
     * never concurrently on the same plugin.
     */
    int32_t (*handle)(const kit_host_v1 *host, const uint8_t *req, uint64_t req_len, kit_buffer *out);

    /* Releases a buffer the plugin filled in `handle`. */
    void (*free_buffer)(kit_buffer *buffer);
};

/*
 * The entry point every plugin exports, with C linkage and default visibility:
 *
 *     const struct kit_plugin_v1 *kit_plugin_v1(void);
 *
 * It returns the same pointer on every call. (The table is a struct tag, not a typedef, so that the
 * type and the function can share the name `kit_plugin_v1` in C.) This is the pointer type the host
 * gets from dlsym.
 */
typedef const struct kit_plugin_v1 *(*kit_plugin_v1_entry)(void);

/* Size of the ABI 1.0 table: the smallest struct_size a host accepts. */
#define KIT_PLUGIN_V1_0_SIZE ((uint32_t)(sizeof(struct kit_plugin_v1)))

#ifdef __cplusplus
}
#endif

#endif /* KIT_PLUGIN_H */
