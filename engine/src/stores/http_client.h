/* One libcurl multi loop per session: requests from any thread, transfers in flight at once
 * up to a limit, connections reused, retries waited out by the loop. Callers block until
 * their transfer ends. */
#ifndef SYMSCOPE_HTTP_CLIENT_H
#define SYMSCOPE_HTTP_CLIENT_H

#include <stdbool.h>
#include <stdatomic.h>
#include <stdint.h>

#include "symscope/http.h"

typedef enum http_result {
    HTTP_DONE,      /* a response arrived: see status */
    HTTP_NETWORK,   /* DNS, connect, TLS, reset, timeout, truncated body */
    HTTP_TOO_LARGE, /* more than max_size */
    HTTP_REDIRECTS, /* more redirects than allowed (a loop) */
    HTTP_CANCELLED,
    HTTP_LOCAL, /* writing the body failed here */
} http_result;

typedef struct http_request {
    /* in */
    const char *url;
    int fd;                      /* the body goes here */
    const char *const *headers;  /* extra headers (authentication), NULL-terminated */
    const char *user, *password; /* basic authentication, or NULL */
    const _Atomic int *cancel_a; /* cancel flags to watch (may be NULL), set by other threads */
    const _Atomic int *cancel_b;
    /* Retries on network errors, 5xx and 429, made by the loop without holding up other
     * transfers: after retry_base_ms * 2^n, or the server's Retry-After (seconds or an HTTP
     * date), at most retry_max_ms. The body is written again from the start of fd. */
    int retries;
    long retry_base_ms, retry_max_ms;
    /* out */
    http_result result;
    long status;
    uint64_t bytes;
    double ms;
    int tries;         /* 1 + the retries made */
    char history[512]; /* what the earlier tries got: "503 (retried after 500 ms), ..." */
    char content_type[128];
    char error[256];
} http_request;

typedef struct http_client http_client;

/* A client with its loop thread; settings are copied. */
http_client *http_client_new(const sym_http_settings *h, int max_transfers);
void http_client_free(http_client *c);
/* Performs one request (blocking). */
void http_client_perform(http_client *c, http_request *r);
/* Wakes the loop so that cancel flags are looked at now. */
void http_client_wakeup(http_client *c);
uint64_t http_client_requests(const http_client *c);
uint64_t http_client_bytes(const http_client *c);

#endif
