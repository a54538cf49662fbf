#include "kit_process.h"
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>

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
