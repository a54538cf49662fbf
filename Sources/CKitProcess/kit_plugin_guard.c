#define _GNU_SOURCE
#include "kit_plugin_guard.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char guard_plugin[128];
static char guard_op[128];
static volatile sig_atomic_t guard_active = 0;
static volatile uint64_t guard_deadline_ms = 0; /* CLOCK_MONOTONIC ms; 0: none */
static volatile uint64_t guard_timeout_ms = 0;
static pthread_once_t guard_once = PTHREAD_ONCE_INIT;
static struct sigaction guard_previous[32];
static const int guard_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void put(const char *s) {
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(2, s, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

static void put_number(unsigned long v) {
    char digits[24];
    int i = 23;
    digits[i] = 0;
    do { digits[--i] = (char)('0' + v % 10); v /= 10; } while (v && i > 0);
    put(digits + i);
}

static void report(const char *what, unsigned long number, const char *tail) {
    put("error: plugin '");
    put(guard_plugin);
    put("' ");
    put(what);
    if (number != (unsigned long)-1) put_number(number);
    put(tail);
    put(" while handling '");
    put(guard_op);
    put("' — kit stopped; run the plugin isolated ('plugins.isolated: true') to keep kit running\n");
}

static void crash_handler(int sig) {
    if (guard_active) {
        guard_active = 0;
        report("crashed (signal ", (unsigned long)sig, ")");
        _exit(1);
    }
    /* Not ours: put the previous handler back; the fault repeats (or abort re-raises) into it. */
    sigaction(sig, &guard_previous[sig], 0);
    if (sig == SIGABRT) raise(sig);
}

static void exit_hook(int status, void *arg) {
    (void)arg;
    if (guard_active) {
        guard_active = 0;
        report("called exit(", (unsigned long)(unsigned)status, ")");
        _exit(1);
    }
}

static void *watchdog(void *arg) {
    (void)arg;
    for (;;) {
        struct timespec pause = {0, 50 * 1000 * 1000};
        nanosleep(&pause, 0);
        uint64_t deadline = guard_deadline_ms;
        if (guard_active && deadline != 0 && now_ms() > deadline) {
            guard_active = 0;
            put("error: plugin '");
            put(guard_plugin);
            put("' did not answer '");
            put(guard_op);
            put("' within ");
            put_number((unsigned long)(guard_timeout_ms / 1000));
            put(" s — kit stopped; raise 'plugins.timeout' in kit.yaml or fix the plugin\n");
            _exit(1);
        }
    }
    return 0;
}

static void install(void) {
    for (size_t i = 0; i < sizeof guard_signals / sizeof guard_signals[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = crash_handler;
        sa.sa_flags = SA_NODEFER | SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        sigaction(guard_signals[i], &sa, &guard_previous[guard_signals[i]]);
    }
    on_exit(exit_hook, 0);
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old); /* the watchdog never takes kit's signals */
    pthread_create(&thread, &attr, watchdog, 0);
    pthread_sigmask(SIG_SETMASK, &old, 0);
    pthread_attr_destroy(&attr);
}

void kit_guard_install(void) { pthread_once(&guard_once, install); }

void kit_guard_begin(const char *plugin, const char *op, uint64_t timeout_ms) {
    strncpy(guard_plugin, plugin ? plugin : "?", sizeof guard_plugin - 1);
    strncpy(guard_op, op ? op : "?", sizeof guard_op - 1);
    guard_timeout_ms = timeout_ms;
    guard_deadline_ms = timeout_ms ? now_ms() + timeout_ms : 0;
    __atomic_store_n(&guard_active, 1, __ATOMIC_SEQ_CST);
}

void kit_guard_end(void) {
    __atomic_store_n(&guard_active, 0, __ATOMIC_SEQ_CST);
    guard_deadline_ms = 0;
}

static int capture_pipe[2] = {-1, -1};
static int saved_stdout = -1;

int kit_stdout_capture_begin(void) {
    if (capture_pipe[0] < 0) {
        if (pipe2(capture_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return -1;
        fcntl(capture_pipe[1], F_SETPIPE_SZ, 1 << 20);
    }
    fflush(stdout);
    saved_stdout = fcntl(1, F_DUPFD_CLOEXEC, 3);
    if (saved_stdout < 0) return -1;
    if (dup2(capture_pipe[1], 1) < 0) { close(saved_stdout); saved_stdout = -1; return -1; }
    return 0;
}

void kit_stdout_capture_end(void) {
    if (saved_stdout < 0) return;
    fflush(stdout);
    dup2(saved_stdout, 1);
    close(saved_stdout);
    saved_stdout = -1;
}

long kit_stdout_capture_read(void *buffer, unsigned long capacity) {
    if (capture_pipe[0] < 0) return 0;
    for (;;) {
        ssize_t n = read(capture_pipe[0], buffer, capacity);
        if (n < 0 && errno == EINTR) continue;
        return n < 0 ? 0 : (long)n;
    }
}
