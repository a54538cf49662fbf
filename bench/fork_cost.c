/* How long fork+exit+wait takes for a process holding N MB (argument, default 40): the cost of the
   one-thread relay kit starts every program under (CKitProcess). cc -O2 bench/fork_cost.c && ./a.out 100 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
int main(int argc, char **argv) {
    size_t mb = argc > 1 ? atoi(argv[1]) : 40;
    char *p = malloc(mb << 20); memset(p, 1, mb << 20);
    struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
    int n = 100;
    for (int i = 0; i < n; i++) { pid_t c = fork(); if (c == 0) _exit(0); int st; waitpid(c, &st, 0); }
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%zu MB: fork+exit+wait %.3f ms each\n", mb, ((b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6) / n);
    return 0;
}
