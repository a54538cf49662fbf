#ifndef KIT_HTTP_H
#define KIT_HTTP_H
#include <stddef.h>

/*
 * One blocking HTTP GET through libcurl, loaded with dlopen on first use: a plugin that links
 * FoundationNetworking (and with it libcurl and some thirty libraries) pays for loading them on every
 * kit run, even when it never reads state. This keeps that cost to the runs that do.
 */
typedef struct kit_http_response {
    long status;          /* HTTP status; 0 when there is none */
    char *body;           /* malloc'ed, body_len bytes (may be NULL when empty) */
    size_t body_len;
    char *headers;        /* malloc'ed raw header lines as received, headers_len bytes */
    size_t headers_len;
    char error[256];      /* why there is no answer (NUL-terminated), when the call returns non-zero */
} kit_http_response;

/*
 * GETs `url` with `header_count` lines "Name: value", waiting at most `timeout_ms`.
 * Returns 0 with a response, 1 when libcurl cannot be loaded, 2 on a timeout, 3 on any other
 * failure (error says which). Free with kit_http_response_free in every case.
 */
int kit_http_get(const char *url, const char *const *headers, int header_count, long timeout_ms,
                 kit_http_response *out);

/*
 * `method` (GET, POST, PUT, …) with `body_len` bytes of `body` (ignored for GET); otherwise as
 * kit_http_get.
 */
int kit_http_request(const char *method, const char *url, const char *const *headers, int header_count,
                     const char *body, size_t body_len, long timeout_ms, kit_http_response *out);

void kit_http_response_free(kit_http_response *response);

#endif
