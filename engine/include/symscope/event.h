/* Events: every attempt the search makes, and what happens to modules and the path. The noisy
 * log, the JSON output and the terminal UI are all listeners of these. */
#ifndef SYMSCOPE_EVENT_H
#define SYMSCOPE_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api.h"
#include "identity.h"
#include "vocab.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sym_session;
struct sym_module_info;

/* One attempt: a file or URL looked at for a module, the rule that chose it, what came back. */
typedef struct sym_attempt {
    unsigned n; /* 1-based within the module's search */
    sym_step step;
    int element;          /* index into the parsed path; -1 for cv-path and image-dir */
    int store;            /* index into the element's stores; -1 when not a store */
    const char *rule;     /* "D", "D\\<ext>", "D\\symbols\\<ext>", "store", "compressed", ... */
    const char *location; /* in the user's notation ("c:\\myCache\\ntdll.pdb\\<key>\\...") */
    const char *local;    /* the local path it maps to; NULL when it maps to none */
    const char *file;     /* the file name looked for ("ntdll.pdb") */
    sym_outcome outcome;
    sym_identity expected;
    sym_identity found; /* SYM_ID_NONE unless a file was read */
    uint64_t bytes;
    double ms;
    const char *detail; /* a reason ("drive C: is not mapped"), "" when none */
    bool symsrv;        /* a SymSrv (store) attempt rather than a DbgHelp one */
    int http_status;    /* the HTTP status of an HTTP attempt; 0 when none */
    const char *source; /* copies: where the file came from (user's notation) */
} sym_attempt;

#define SYM_EVENT_LIST(X)                                                                          \
    X(SYM_EV_PATH_SET, "path-set")           /* text: the expanded path */                         \
    X(SYM_EV_MODULE_LOADED, "module-loaded") /* module: registered (maybe deferred) */             \
    X(SYM_EV_SEARCH_BEGIN, "search-begin")   /* module: a search starts */                         \
    X(SYM_EV_ATTEMPT_BEGIN, "attempt-begin") /* attempt: about to happen (no outcome yet) */       \
    X(SYM_EV_ATTEMPT, "attempt")             /* attempt */                                         \
    X(SYM_EV_SEARCH_END, "search-end")       /* module: the result */                              \
    X(SYM_EV_MODULE_UNLOADED, "module-unloaded")                                                   \
    X(SYM_EV_CLEANUP, "cleanup")                                                                   \
    X(SYM_EV_MESSAGE, "message")           /* text: a line about the session (not an attempt) */   \
    X(SYM_EV_STORE_QUERY, "store-query")   /* text: the chain; code: SymSrv's call number */       \
    X(SYM_EV_STORE_RESULT, "store-result") /* text: the file returned; code: an HRESULT */

typedef enum sym_event_kind {
#define SYM_X(e, name) e,
    SYM_EVENT_LIST(SYM_X)
#undef SYM_X
} sym_event_kind;

typedef struct sym_event {
    sym_event_kind kind;
    const struct sym_session *session;
    const struct sym_module_info *module; /* NULL for path-set, cleanup, message */
    const sym_attempt *attempt;           /* SYM_EV_ATTEMPT only */
    const char *text;
    uint32_t code;       /* store-query: the call's number; store-result: SymSrv's HRESULT */
    sym_profile profile; /* the profile the session searched with (its log's wording) */
} sym_event;

/* A listener is called on the thread that searches, and the search waits for it: a listener
 * that blocks on SYM_EV_ATTEMPT_BEGIN until told to go on steps through a search one attempt
 * at a time (the UI's step mode).
 * A listener is called on the thread that searches. Every pointer an event carries (the
 * event, its module, its attempt and their strings, its text) is valid only until the
 * listener returns: copy what is to be kept. */
typedef void (*sym_listener_fn)(const sym_event *ev, void *ctx);

SYM_API const char *sym_event_kind_name(sym_event_kind k);

/* The noisy log: turns an event into DbgHelp's and SymSrv's own words (decisions.md 6), one
 * call of emit per line (without a newline). Events that print nothing call emit zero times. */
typedef void (*sym_line_fn)(const char *line, void *ctx);
SYM_API void sym_noisy_format(const sym_event *ev, sym_line_fn emit, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
