#include "kit_http.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The few libcurl names this file uses (curl/curl.h, stable since libcurl 7). */
typedef void CURL;
struct curl_slist;
#define KIT_CURLOPT_WRITEDATA 10001
#define KIT_CURLOPT_URL 10002
#define KIT_CURLOPT_ERRORBUFFER 10010
#define KIT_CURLOPT_WRITEFUNCTION 20011
#define KIT_CURLOPT_HTTPHEADER 10023
#define KIT_CURLOPT_HEADERDATA 10029
#define KIT_CURLOPT_HEADERFUNCTION 20079
#define KIT_CURLOPT_NOSIGNAL 99
#define KIT_CURLOPT_TIMEOUT_MS 155
#define KIT_CURLOPT_POSTFIELDS 10015
#define KIT_CURLOPT_POSTFIELDSIZE 60
#define KIT_CURLOPT_CUSTOMREQUEST 10036
#define KIT_CURLINFO_RESPONSE_CODE (0x200000 + 2)
#define KIT_CURLE_OPERATION_TIMEDOUT 28
#define KIT_CURL_GLOBAL_DEFAULT 3

static struct {
    int loaded;
    char why[200];
    int (*global_init)(long);
    CURL *(*easy_init)(void);
    int (*easy_setopt)(CURL *, int, ...);
    int (*easy_perform)(CURL *);
    int (*easy_getinfo)(CURL *, int, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(int);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} curl;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void load_curl(void) {
    const char *names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so", "libcurl.4.dylib", NULL};
    void *lib = NULL;
    for (int i = 0; names[i] && !lib; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(curl.why, sizeof curl.why, "libcurl could not be loaded (%s); install libcurl4", dlerror());
        return;
    }
#define KIT_SYM(field, name) \
    if (!(*(void **)&curl.field = dlsym(lib, name))) { \
        snprintf(curl.why, sizeof curl.why, "libcurl lacks %s", name); \
        return; \
    }
    KIT_SYM(global_init, "curl_global_init")
    KIT_SYM(easy_init, "curl_easy_init")
    KIT_SYM(easy_setopt, "curl_easy_setopt")
    KIT_SYM(easy_perform, "curl_easy_perform")
    KIT_SYM(easy_getinfo, "curl_easy_getinfo")
    KIT_SYM(easy_cleanup, "curl_easy_cleanup")
    KIT_SYM(easy_strerror, "curl_easy_strerror")
    KIT_SYM(slist_append, "curl_slist_append")
    KIT_SYM(slist_free_all, "curl_slist_free_all")
#undef KIT_SYM
    if (curl.global_init(KIT_CURL_GLOBAL_DEFAULT) != 0) {
        snprintf(curl.why, sizeof curl.why, "curl_global_init failed");
        return;
    }
    curl.loaded = 1;
}

typedef struct {
    char *data;
    size_t len;
    size_t cap;
} buffer;

static size_t append(char *ptr, size_t size, size_t count, void *target) {
    buffer *b = target;
    size_t n = size * count;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) return 0; /* libcurl then fails the transfer */
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    return n;
}

int kit_http_get(const char *url, const char *const *headers, int header_count, long timeout_ms,
                 kit_http_response *out) {
    return kit_http_request("GET", url, headers, header_count, NULL, 0, timeout_ms, out);
}

int kit_http_request(const char *method, const char *url, const char *const *headers, int header_count,
                     const char *body_bytes, size_t body_len, long timeout_ms, kit_http_response *out) {
    memset(out, 0, sizeof *out);
    pthread_once(&curl_once, load_curl);
    if (!curl.loaded) {
        snprintf(out->error, sizeof out->error, "%s", curl.why);
        return 1;
    }
    CURL *handle = curl.easy_init();
    if (!handle) {
        snprintf(out->error, sizeof out->error, "curl_easy_init failed");
        return 3;
    }
    struct curl_slist *list = NULL;
    for (int i = 0; i < header_count; i++) list = curl.slist_append(list, headers[i]);
    buffer body = {0}, head = {0};
    char error[256] = {0};
    curl.easy_setopt(handle, KIT_CURLOPT_URL, url);
    curl.easy_setopt(handle, KIT_CURLOPT_HTTPHEADER, list);
    curl.easy_setopt(handle, KIT_CURLOPT_WRITEFUNCTION, append);
    curl.easy_setopt(handle, KIT_CURLOPT_WRITEDATA, (void *)&body);
    curl.easy_setopt(handle, KIT_CURLOPT_HEADERFUNCTION, append);
    curl.easy_setopt(handle, KIT_CURLOPT_HEADERDATA, (void *)&head);
    curl.easy_setopt(handle, KIT_CURLOPT_ERRORBUFFER, error);
    curl.easy_setopt(handle, KIT_CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(handle, KIT_CURLOPT_TIMEOUT_MS, timeout_ms);
    if (strcmp(method, "GET") != 0) {
        curl.easy_setopt(handle, KIT_CURLOPT_POSTFIELDS, body_bytes ? body_bytes : "");
        curl.easy_setopt(handle, KIT_CURLOPT_POSTFIELDSIZE, (long)body_len);
        if (strcmp(method, "POST") != 0) curl.easy_setopt(handle, KIT_CURLOPT_CUSTOMREQUEST, method);
    }
    int code = curl.easy_perform(handle);
    int result = 0;
    if (code == 0) {
        long status = 0;
        curl.easy_getinfo(handle, KIT_CURLINFO_RESPONSE_CODE, &status);
        out->status = status;
    } else {
        result = code == KIT_CURLE_OPERATION_TIMEDOUT ? 2 : 3;
        snprintf(out->error, sizeof out->error, "%s", error[0] ? error : curl.easy_strerror(code));
    }
    out->body = body.data;
    out->body_len = body.len;
    out->headers = head.data;
    out->headers_len = head.len;
    curl.easy_cleanup(handle);
    if (list) curl.slist_free_all(list);
    return result;
}

void kit_http_response_free(kit_http_response *response) {
    free(response->body);
    free(response->headers);
    response->body = NULL;
    response->headers = NULL;
}
