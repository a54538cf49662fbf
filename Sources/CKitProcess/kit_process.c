#define _GNU_SOURCE
#include "kit_process.h"
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <spawn.h>
#include <errno.h>
#include <sys/wait.h>

static volatile sig_atomic_t kit_child = 0;
static volatile sig_atomic_t kit_signals = 0;
static struct sigaction kit_old_int, kit_old_term;

static void kit_handler(int sig, siginfo_t *info, void *ctx) {
    (void)ctx;
    kit_signals++;
    pid_t child = (pid_t)kit_child;
    if (child <= 0) return;
    if (sig == SIGINT && kit_signals >= 3) { kill(child, SIGKILL); return; }
    /* SI_USER (kill) and SI_QUEUE come from another process, and a child in another process group
       does not hear the terminal: in both cases the child did not get the signal. */
    if (info == 0 || info->si_code <= 0 || getpgid(child) != getpgrp()) kill(child, sig);
}

void kit_forward_signals_to(pid_t child) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = kit_handler;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    kit_signals = 0;
    kit_child = child;
    sigaction(SIGINT, &sa, &kit_old_int);
    sigaction(SIGTERM, &sa, &kit_old_term);
    /* kit may have been started with these signals blocked (a parent's mask is inherited): unblock
       them, or an interrupt would wait until terraform finished on its own. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &set, 0);
}

int kit_stop_forwarding(void) {
    kit_child = 0;
    sigaction(SIGINT, &kit_old_int, 0);
    sigaction(SIGTERM, &kit_old_term, 0);
    return (int)kit_signals;
}

pid_t kit_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd, int stdout_fd) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    if (cwd) posix_spawn_file_actions_addchdir_np(&actions, cwd);
    if (stdout_fd >= 0) {
        posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
        posix_spawn_file_actions_addclose(&actions, stdout_fd);
    }
    sigset_t empty, defaults;
    sigemptyset(&empty);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigmask(&attr, &empty);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, path, &actions, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    return rc == 0 ? pid : -rc;
}

int kit_wait(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}
