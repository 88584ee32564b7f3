/* HTTP symbol servers: how a session talks to them (libcurl), per session. */
#ifndef SYMSCOPE_HTTP_H
#define SYMSCOPE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sym_session;

/* What SymSrv itself sends; some servers turn other clients away. */
#define SYM_DEFAULT_USER_AGENT "Microsoft-Symbol-Server/10.1710.0.0"

typedef enum sym_key_case { SYM_CASE_AS_IS, SYM_CASE_LOWER, SYM_CASE_UPPER } sym_key_case;

/* The settings structs carry a version, as libgit2's options do: a program built against
 * another layout of them is told so (SYM_E_ARG) instead of being misread. Start from
 * sym_http_settings_default() and SYM_HTTP_STORE_SETTINGS_INIT, then set fields by name. */
#define SYM_HTTP_SETTINGS_VERSION 1
#define SYM_HTTP_STORE_SETTINGS_VERSION 1
#define SYM_HTTP_STORE_SETTINGS_INIT                                                               \
    {                                                                                              \
        .version = SYM_HTTP_STORE_SETTINGS_VERSION                                                 \
    }

/* Settings of the HTTP stores whose URL starts with url_prefix. Credentials are sent, never
 * printed or logged. */
typedef struct sym_http_store_settings {
    unsigned int version; /* SYM_HTTP_STORE_SETTINGS_VERSION */
    const char *url_prefix;
    sym_key_case key_case;
    bool disabled;
    const char *user, *password; /* basic authentication */
    const char *bearer;          /* Authorization: Bearer <token> */
    const char *header;          /* any header, "Name: value" */
} sym_http_store_settings;

typedef struct sym_http_settings {
    unsigned int version;       /* SYM_HTTP_SETTINGS_VERSION (sym_http_settings_default) */
    const char *user_agent;     /* default: SymSrv 10.0.18362's own */
    long connect_timeout_ms;    /* default 10 s */
    long first_byte_timeout_ms; /* from the request to the first byte of the body; 30 s */
    long low_speed_bytes;       /* abort below this many bytes per second ... */
    long low_speed_ms;          /* ... for this long; default 1000 B/s for 30 s */
    long total_timeout_ms;      /* default 10 min; 0 none */
    uint64_t max_size;          /* default 4 GiB */
    int retries;                /* on network errors, 5xx and 429; default 2 */
    long retry_base_ms;         /* back-off: base * 2^n, or Retry-After; default 500 ms */
    long retry_max_ms;          /* the longest wait before a retry; default 30 s */
    int max_redirects;          /* default 10 */
    const char *proxy;          /* else the usual environment variables */
    const char *ca_file;        /* an extra CA bundle; verification stays on */
    bool netrc;                 /* credentials from ~/.netrc */
    int per_host;               /* transfers to one host at once; 0 (default): no limit
                                   beyond the number of jobs */
    long negative_ttl_s;        /* remember a 404 this long; default 1 day; 0: never */
    bool offline;               /* no network at all: HTTP stores are skipped */
    size_t n_stores;
    const sym_http_store_settings *stores;
} sym_http_settings;

/* The defaults, with the version set. */
SYM_API void sym_http_settings_default(sym_http_settings *out);

/* Copies the settings into the session. SYM_E_ARG when h or one of its stores was made for
 * another version of the struct. */
SYM_API sym_status sym_session_set_http(struct sym_session *s, const sym_http_settings *h,
                                        sym_error *err);

/* Searches every deferred module, `jobs` at once (HTTP transfers of all of them share one
 * libcurl multi loop). Events are delivered one at a time, in the order they happen. */
SYM_API sym_status sym_session_resolve(struct sym_session *s, int jobs, sym_error *err);

/* Cancels the search of one module (base) or of everything (base 0), from any thread:
 * attempts under way end as skipped ("cancelled"). */
SYM_API void sym_session_cancel(struct sym_session *s, uint64_t base);

/* Forgets remembered misses (the negative cache): of one store (NULL: all) and one file
 * name (NULL: all). Returns how many were forgotten. */
SYM_API size_t sym_session_forget_misses(struct sym_session *s, const char *store_url,
                                         const char *file);

/* HTTP requests sent and bytes received by this session. */
SYM_API void sym_session_http_stats(const struct sym_session *s, uint64_t *requests,
                                    uint64_t *bytes);

#ifdef __cplusplus
}
#endif

#endif
