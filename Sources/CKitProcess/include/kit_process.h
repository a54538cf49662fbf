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

/* Spawns `path` with `argv` and `envp` (NULL-terminated) in directory `cwd`, with default signal
   dispositions and an empty signal mask. stdout goes to `stdout_fd` when it is >= 0, else it is
   inherited. Returns the pid, or -errno. No shell is involved. */
pid_t kit_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd, int stdout_fd);

/* Waits for `pid` (blocking, restarted after signals). Returns its exit status, or 128+signal. */
int kit_wait(pid_t pid);
#endif
