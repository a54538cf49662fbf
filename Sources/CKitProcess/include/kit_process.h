/* kit's child processes: spawning and signal forwarding (async-signal-safe, so it lives in C).
 *
 * Every child kit starts runs in its own process group (unless it is an interactive run) and receives SIGTERM if kit dies
 * (PR_SET_PDEATHSIG), so a killed kit never leaves terraform running and holding a state lock. The
 * program runs under a one-thread relay process (a fork of kit) so that this SIGTERM arrives exactly
 * once: a second one makes terraform exit at once, without writing its state.
 * Because a child is not in the terminal's process group, a Ctrl-C reaches it only through kit:
 * each SIGINT/SIGTERM kit receives is forwarded once to every registered child; the third SIGINT
 * kills every child's process group with SIGKILL. Many children may be registered at once. */
#ifndef KIT_PROCESS_H
#define KIT_PROCESS_H
#include <sys/types.h>

/* The most children kit tracks at once. */
#define KIT_MAX_CHILDREN 256

/* Installs the process-wide SIGINT/SIGTERM handler (idempotent) and unblocks both signals in the
   calling thread (kit may have been started with them blocked). */
void kit_signals_install(void);

/* How many SIGINT/SIGTERM kit has received since kit_signals_install. */
int kit_signals_received(void);

/* Spawns `path` with `argv` and `envp` (NULL-terminated) in directory `cwd` (NULL: inherit), in a
   new process group, with default signal dispositions and an empty mask, and PR_SET_PDEATHSIG.
   stdout/stderr go to the given descriptors when they are >= 0, else they are inherited; stdin is
   `stdin_fd` when it is >= 0, /dev/null for KIT_STDIN_NULL and inherited for KIT_STDIN_INHERIT.
   `keep_fd` (>= 0) stays open in the child (a lock it must hold until it exits). The child is registered for signal forwarding before this returns, and any
   signal that arrived while it was being started is forwarded to it. Returns the pid, or -errno
   (the exec failure's errno when the program could not be started). No shell is involved.
   `own_group` zero keeps the child in kit's process group (an interactive run on a terminal, where
   terraform reads its approval prompt): a Ctrl-C from the terminal then reaches it directly, and
   kit forwards only signals sent to kit by another process. */
#define KIT_STDIN_INHERIT (-1)
#define KIT_STDIN_NULL (-2)
pid_t kit_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
                int stdout_fd, int stderr_fd, int stdin_fd, int keep_fd, int own_group);

/* kit_spawn, performed by one long-lived thread of the process instead of the calling thread.
   On Linux PR_SET_PDEATHSIG fires when the thread that forked exits, so a child spawned by a
   short-lived worker thread dies with that worker. Use this for a child that outlives the job that
   first needed it (the isolated plugin host): its death signal then fires only when kit exits.
   terraform runs use kit_spawn from their job's thread, which waits for them. Same arguments and
   result as kit_spawn; callers are served one at a time. */
pid_t kit_spawn_session(const char *path, char *const argv[], char *const envp[], const char *cwd,
                        int stdout_fd, int stderr_fd, int stdin_fd, int keep_fd, int own_group);

/* Waits for `pid` (blocking, restarted after EINTR) and unregisters it. Sets *signal_number to the
   terminating signal (0 when it exited) and returns the exit code, or 128+signal. */
int kit_wait(pid_t pid, int *signal_number);

/* Writes a whole buffer to stderr (EINTR retried); -1 on failure. For Swift's raw-buffer callers. */
long kit_stderr_write_buffer(const void *buffer, unsigned long count);

/* mkostemp(template, O_CLOEXEC): the descriptor, or -1 with errno. */
int kit_temp_file(char *path_template);

/* pipe2(fds, O_CLOEXEC): 0 or -1 with errno. */
int kit_pipe(int fds[2]);

/* Retries `close` and friends are not needed; one EINTR-safe read/write pair for Swift callers. */
long kit_read(int fd, void *buffer, unsigned long count);
long kit_write_all(int fd, const void *buffer, unsigned long count);
/* Polls `fd` for input without sleeping for at most `spin_ns` nanoseconds: 1 when it became
   readable (or hung up), 0 when the time passed. Used on the plugin channel, only while the peer
   runs on another CPU, so that a quick answer does not pay for waking an idle CPU. */
int kit_spin_readable(int fd, long spin_ns);
/* The CPU the calling thread runs on (sched_getcpu), or -1. */
int kit_current_cpu(void);
#endif
