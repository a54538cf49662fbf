/* Guards around in-process plugin calls (async-signal-safe parts live in C).
 *
 * While a call into an in-process plugin is running, kit knows the plugin's name and the op it is
 * handling. If the plugin crashes (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT), calls exit(), or does
 * not return before the deadline, kit writes one line naming the plugin and the op to stderr and
 * ends with status 1 instead of the plugin's status or a signal (children get PR_SET_PDEATHSIG). */
#ifndef KIT_PLUGIN_GUARD_H
#define KIT_PLUGIN_GUARD_H
#include <stdint.h>

/* Installs the crash handlers, the exit hook and the watchdog thread (idempotent). */
void kit_guard_install(void);

/* Marks the start of a call: `plugin` and `op` are copied (truncated to 127 bytes each);
   `timeout_ms` 0 means no deadline. Calls do not nest. */
void kit_guard_begin(const char *plugin, const char *op, uint64_t timeout_ms);

/* Marks the end of the call started by kit_guard_begin. */
void kit_guard_end(void);

/* Redirects fd 1 into a private non-blocking pipe (1 MiB) until kit_stdout_capture_end; returns 0
   or -1. Buffered stdio output is flushed on both sides of the switch. */
int kit_stdout_capture_begin(void);

/* Restores fd 1 (flushing stdio first). */
void kit_stdout_capture_end(void);

/* Reads up to `capacity` bytes of what was captured (non-blocking); 0 when nothing is left. */
long kit_stdout_capture_read(void *buffer, unsigned long capacity);
#endif
