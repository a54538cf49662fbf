/* The parse floor of issue 23: parse every manifest under a directory once with libyaml (events only,
 * nothing kept), the least work any command that reads every stack must do. Prints the number of
 * files, bytes and events, and the elapsed milliseconds (CLOCK_MONOTONIC) of parsing alone.
 * Build: cc -O2 -o parse_floor bench/parse_floor.c -lyaml      Usage: parse_floor <stacks dir> */
#define _GNU_SOURCE
#include <yaml.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static long files = 0, bytes = 0, events = 0;

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int parse_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return 1; }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buffer = malloc(size > 0 ? size : 1);
    if (fread(buffer, 1, size, f) != (size_t)size) { fclose(f); free(buffer); return 1; }
    fclose(f);
    yaml_parser_t parser;
    yaml_event_t event;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, buffer, size);
    int done = 0, status = 0;
    while (!done) {
        if (!yaml_parser_parse(&parser, &event)) { fprintf(stderr, "%s: parse error\n", path); status = 1; break; }
        done = event.type == YAML_STREAM_END_EVENT;
        events++;
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    free(buffer);
    files++;
    bytes += size;
    return status;
}

static int walk(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) { perror(dir); return 1; }
    struct dirent *e;
    int status = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) status |= walk(path);
        else if (ends_with(e->d_name, ".yaml") || ends_with(e->d_name, ".yml")) status |= parse_file(path);
    }
    closedir(d);
    return status;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: parse_floor <stacks dir>\n"); return 64; }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int status = walk(argv[1]);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
    printf("files=%ld bytes=%ld events=%ld ms=%.3f\n", files, bytes, events, ms);
    return status;
}
