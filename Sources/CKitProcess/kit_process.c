#define _GNU_SOURCE
#include "kit_process.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Registered children: 0 is a free slot. Read by the signal handler, so plain atomics only. */
static volatile pid_t kit_children[KIT_MAX_CHILDREN];
/* 1 when the child in the same slot has its own process group (the terminal's signals miss it). */
static volatile sig_atomic_t kit_child_own_group[KIT_MAX_CHILDREN];
static volatile sig_atomic_t kit_signal_total = 0;
static volatile sig_atomic_t kit_sigint_total = 0;
static volatile sig_atomic_t kit_last_signal = 0;
static pthread_once_t kit_install_once = PTHREAD_ONCE_INIT;

/* `from_process`: the signal was sent with kill() by another process (a terminal's signal also
   reached every child that shares kit's process group). */
static void kit_forward(int sig, int from_process) {
    int kill_all = (sig == SIGINT && kit_sigint_total >= 3);
    for (int i = 0; i < KIT_MAX_CHILDREN; i++) {
        pid_t pid = __atomic_load_n(&kit_children[i], __ATOMIC_SEQ_CST);
        if (pid <= 0) continue;
        int own = kit_child_own_group[i];
        if (kill_all) kill(own ? -pid : pid, SIGKILL);
        else if (own || from_process) kill(pid, sig);
    }
}

/* Signals are blocked in the handler (sa_mask), so it cannot re-enter. */
static void kit_handler(int sig, siginfo_t *info, void *context) {
    (void)context;
    int saved = errno;
    kit_signal_total++;
    if (sig == SIGINT) kit_sigint_total++;
    kit_last_signal = sig;
    kit_forward(sig, info == 0 || info->si_code <= 0);
    errno = saved;
}

/* Installs `handler` for SIGINT and SIGTERM, each blocked while it runs (async-signal-safe). */
static void kit_handle_interrupts(void (*handler)(int, siginfo_t *, void *)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_RESTART | SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGINT, &sa, 0);
    sigaction(SIGTERM, &sa, 0);
}

static void kit_install(void) { kit_handle_interrupts(kit_handler); }

void kit_signals_install(void) {
    pthread_once(&kit_install_once, kit_install);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &set, 0);
}

int kit_signals_received(void) { return (int)kit_signal_total; }

static int kit_register(pid_t pid, int own_group) {
    for (int i = 0; i < KIT_MAX_CHILDREN; i++) {
        pid_t expected = 0;
        if (__atomic_load_n(&kit_children[i], __ATOMIC_SEQ_CST) != 0) continue;
        kit_child_own_group[i] = own_group;
        if (__atomic_compare_exchange_n(&kit_children[i], &expected, pid, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) return i;
    }
    return -1;
}

static void kit_unregister(pid_t pid) {
    for (int i = 0; i < KIT_MAX_CHILDREN; i++) {
        pid_t expected = pid;
        if (__atomic_compare_exchange_n(&kit_children[i], &expected, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) return;
    }
}

static int kit_dup_to(int fd, int target) {
    if (fd < 0 || fd == target) return 0;
    while (dup2(fd, target) < 0) { if (errno != EINTR) return -1; }
    return 0;
}

/* Closes every descriptor from `first` up (async-signal-safe). */
static void kit_close_from(int first) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)first, ~0U, 0) == 0) return;
#endif
    struct rlimit limit;
    long top = (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < 65536) ? (long)limit.rlim_cur : 65536;
    for (long fd = first; fd < top; fd++) close((int)fd);
}

/* The relay's child (the real program), for its signal handler. */
static volatile pid_t kit_relay_child = 0;

/* In the relay: a SIGINT/SIGTERM that another process sent with kill() (kit forwarding one) is passed
   to the program; one the terminal sent to the whole group already reached it and is not repeated. */
static void kit_relay_handler(int sig, siginfo_t *info, void *context) {
    (void)context;
    int saved = errno;
    pid_t child = kit_relay_child;
    if (child > 0 && (info == 0 || info->si_code <= 0)) kill(child, sig);
    errno = saved;
}

/* The program's own start, after the relay forked it: async-signal-safe calls only until execve. */
static void kit_exec_child(const char *path, char *const argv[], char *const envp[], const char *cwd,
                           int stdout_fd, int stderr_fd, int stdin_fd, int keep_fd, int report_fd) {
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGINT, &dfl, 0);
    sigaction(SIGTERM, &dfl, 0);
    sigaction(SIGPIPE, &dfl, 0);
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, 0);
    int e = 0;
    if (stdin_fd == KIT_STDIN_NULL) {
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull < 0 || kit_dup_to(devnull, 0) != 0) e = errno;
    } else if (stdin_fd >= 0 && kit_dup_to(stdin_fd, 0) != 0) {
        e = errno;
    }
    if (!e && kit_dup_to(stdout_fd, 1) != 0) e = errno;
    if (!e && kit_dup_to(stderr_fd, 2) != 0) e = errno;
    if (!e && keep_fd >= 0) {
        int flags = fcntl(keep_fd, F_GETFD);
        if (flags >= 0) fcntl(keep_fd, F_SETFD, flags & ~FD_CLOEXEC);
    }
    if (!e && cwd && chdir(cwd) != 0) e = errno;
    if (!e) { execve(path, argv, envp); e = errno; }
    while (write(report_fd, &e, sizeof e) < 0 && errno == EINTR) {}
    _exit(127);
}

/* kit_spawn without touching the calling thread's signal mask (the session thread keeps all blocked).
 *
 * The program is not kit's direct child but the child of a small relay process, a fork of kit that
 * runs no Swift and has exactly one thread. Why: PR_SET_PDEATHSIG is sent each time a child is
 * re-parented, and when a multi-threaded kit is killed (SIGKILL) its children are handed from dying
 * thread to dying thread, so terraform could hear SIGTERM two or three times — and terraform treats a
 * second signal as "exit immediately", leaving its state file empty. The relay dies with kit
 * (its own death signal is SIGKILL, however often it comes); the program's death signal (SIGTERM)
 * then fires exactly once, when the single-threaded relay is gone, and terraform shuts down
 * gracefully. While kit lives, the relay passes on the signals kit forwards and ends with the
 * program's own status (exit code, or the same signal). */
static pid_t kit_spawn_in_thread(const char *path, char *const argv[], char *const envp[], const char *cwd,
                                 int stdout_fd, int stderr_fd, int stdin_fd, int keep_fd, int own_group) {
    pthread_once(&kit_install_once, kit_install);
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return -errno;
    int before = (int)kit_signal_total;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(report[0]);
        close(report[1]);
        return -e;
    }
    if (pid == 0) {
        /* The relay: async-signal-safe calls only. Signals stay blocked until the program's pid is known. */
        sigset_t all;
        sigfillset(&all);
        sigprocmask(SIG_SETMASK, &all, 0);
        if (own_group) setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127);
        kit_handle_interrupts(kit_relay_handler);
        struct sigaction ign;
        memset(&ign, 0, sizeof ign);
        ign.sa_handler = SIG_IGN;
        sigaction(SIGPIPE, &ign, 0);
        pid_t relay_pid = getpid();
        pid_t child = fork();
        if (child < 0) {
            int e = errno;
            while (write(report[1], &e, sizeof e) < 0 && errno == EINTR) {}
            _exit(127);
        }
        if (child == 0) {
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (getppid() != relay_pid) _exit(127);
            kit_exec_child(path, argv, envp, cwd, stdout_fd, stderr_fd, stdin_fd, keep_fd, report[1]);
        }
        kit_relay_child = child;
        /* The relay holds nothing anyone waits on: not the program's pipes or lock, and not kit's
           other descriptors (a plugin host's socket must see end of file when kit closes its end). */
        kit_close_from(3);
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) { kit_dup_to(devnull, 0); kit_dup_to(devnull, 1); kit_dup_to(devnull, 2); if (devnull > 2) close(devnull); }
        sigset_t open_set;
        sigemptyset(&open_set);
        sigprocmask(SIG_SETMASK, &open_set, 0);
        int status = 0;
        while (waitpid(child, &status, 0) < 0) { if (errno != EINTR) _exit(127); }
        if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
        if (WIFSIGNALED(status)) {
            int sig = WTERMSIG(status);
            struct rlimit none = { 0, 0 };
            setrlimit(RLIMIT_CORE, &none);
            struct sigaction dfl;
            memset(&dfl, 0, sizeof dfl);
            dfl.sa_handler = SIG_DFL;
            sigaction(sig, &dfl, 0);
            kill(relay_pid, sig);
            _exit(128 + sig);
        }
        _exit(127);
    }
    /* The parent: the child may not have reached setpgid yet; set it here too (whichever is first). */
    if (own_group) setpgid(pid, pid);
    close(report[1]);
    int child_errno = 0;
    long n;
    while ((n = read(report[0], &child_errno, sizeof child_errno)) < 0 && errno == EINTR) {}
    close(report[0]);
    if (n == (long)sizeof child_errno && child_errno != 0) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        return -child_errno;
    }
    kit_register(pid, own_group);
    /* Signals that arrived between fork and registration were not forwarded to this child. */
    int missed = (int)kit_signal_total - before;
    if (own_group) for (int i = 0; i < missed; i++) kill(pid, kit_last_signal ? kit_last_signal : SIGINT);
    return pid;
}

pid_t kit_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
                int stdout_fd, int stderr_fd, int stdin_fd, int keep_fd, int own_group) {
    kit_signals_install();
    return kit_spawn_in_thread(path, argv, envp, cwd, stdout_fd, stderr_fd, stdin_fd, keep_fd, own_group);
}

/* The session's spawning thread.
 *
 * On Linux, PR_SET_PDEATHSIG fires when the *thread* that forked the child exits, not the process.
 * A child spawned from a job's worker thread is therefore killed (SIGTERM) as soon as that worker
 * ends. That is right for terraform (the job waits for it anyway), and wrong for a child that
 * outlives the job that first needed it: the isolated plugin host, reused by every later call. So
 * kit_spawn_session hands the spawn to one detached thread created on first use that never exits;
 * the death signal then fires only when the process ends (exit, crash, SIGKILL), which is the host's
 * real lifetime. This keeps the guarantee that matters most (a kit killed with SIGKILL never leaves
 * a host behind, even one stuck inside a plugin call), which a host watching for end of file on its
 * protocol socket alone could not give. The thread blocks every signal, so kit's handler never runs
 * on it and it never interrupts a caller. */
struct kit_session_spawn {
    const char *path;
    char *const *argv;
    char *const *envp;
    const char *cwd;
    int stdout_fd, stderr_fd, stdin_fd, keep_fd, own_group;
    pid_t result;
    int done;
};
static pthread_mutex_t kit_session_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t kit_session_cond = PTHREAD_COND_INITIALIZER;
/* Serializes callers: one request is in flight at a time. */
static pthread_mutex_t kit_session_callers = PTHREAD_MUTEX_INITIALIZER;
static struct kit_session_spawn *kit_session_pending = 0;
static pthread_once_t kit_session_once = PTHREAD_ONCE_INIT;
static int kit_session_start_error = 0;

static void *kit_session_main(void *unused) {
    (void)unused;
    pthread_mutex_lock(&kit_session_mutex);
    for (;;) {
        while (kit_session_pending == 0 || kit_session_pending->done) pthread_cond_wait(&kit_session_cond, &kit_session_mutex);
        struct kit_session_spawn *r = kit_session_pending;
        pthread_mutex_unlock(&kit_session_mutex);
        pid_t pid = kit_spawn_in_thread(r->path, r->argv, r->envp, r->cwd, r->stdout_fd, r->stderr_fd, r->stdin_fd,
                                        r->keep_fd, r->own_group);
        pthread_mutex_lock(&kit_session_mutex);
        r->result = pid;
        r->done = 1;
        pthread_cond_broadcast(&kit_session_cond);
    }
    return 0;
}

static void kit_session_start(void) {
    sigset_t all, previous;
    sigfillset(&all);
    /* The new thread inherits this mask: every signal blocked. */
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    kit_session_start_error = pthread_create(&thread, &attr, kit_session_main, 0);
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &previous, 0);
}

pid_t kit_spawn_session(const char *path, char *const argv[], char *const envp[], const char *cwd,
                        int stdout_fd, int stderr_fd, int stdin_fd, int keep_fd, int own_group) {
    kit_signals_install();
    pthread_once(&kit_session_once, kit_session_start);
    if (kit_session_start_error != 0) return -kit_session_start_error;
    struct kit_session_spawn request = { path, argv, envp, cwd, stdout_fd, stderr_fd, stdin_fd, keep_fd, own_group, 0, 0 };
    pthread_mutex_lock(&kit_session_callers);
    pthread_mutex_lock(&kit_session_mutex);
    kit_session_pending = &request;
    pthread_cond_broadcast(&kit_session_cond);
    while (!request.done) pthread_cond_wait(&kit_session_cond, &kit_session_mutex);
    kit_session_pending = 0;
    pthread_mutex_unlock(&kit_session_mutex);
    pthread_mutex_unlock(&kit_session_callers);
    return request.result;
}

int kit_wait(pid_t pid, int *signal_number) {
    int status = 0;
    if (signal_number) *signal_number = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) { kit_unregister(pid); return -1; }
    }
    kit_unregister(pid);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) {
        if (signal_number) *signal_number = WTERMSIG(status);
        return 128 + WTERMSIG(status);
    }
    return -1;
}

long kit_read(int fd, void *buffer, unsigned long count) {
    long n;
    while ((n = read(fd, buffer, count)) < 0 && errno == EINTR) {}
    return n;
}

long kit_write_all(int fd, const void *buffer, unsigned long count) {
    unsigned long done = 0;
    while (done < count) {
        long n = write(fd, (const char *)buffer + done, count - done);
        if (n < 0) { if (errno == EINTR) continue; return -1; }
        done += (unsigned long)n;
    }
    return (long)done;
}

int kit_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

long kit_stderr_write_buffer(const void *buffer, unsigned long count) { return kit_write_all(2, buffer, count); }

static long kit_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000000000L + ts.tv_nsec;
}

int kit_current_cpu(void) {
    return sched_getcpu();
}

int kit_spin_readable(int fd, long spin_ns) {
    if (spin_ns <= 0) return 0;
    long until = kit_monotonic_ns() + spin_ns;
    struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
    do {
        p.revents = 0;
        if (poll(&p, 1, 0) > 0) return 1;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    } while (kit_monotonic_ns() < until);
    return 0;
}

int kit_temp_file(char *path_template) {
    return mkostemp(path_template, O_CLOEXEC);
}
