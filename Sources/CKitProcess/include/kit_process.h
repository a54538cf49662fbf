/* Signal forwarding for kit's terraform child process (async-signal-safe, so it lives in C). */
#ifndef KIT_PROCESS_H
#define KIT_PROCESS_H
#include <sys/types.h>

/* Starts forwarding SIGINT and SIGTERM to `child`. A signal from the terminal already reaches the
   child (same process group) and is not sent twice; a signal sent with kill() to kit is forwarded.
   The third SIGINT kills the child with SIGKILL. */
void kit_forward_signals_to(pid_t child);

/* Stops forwarding and restores the previous handlers. Returns how many SIGINT/SIGTERM arrived. */
int kit_stop_forwarding(void);
#endif
