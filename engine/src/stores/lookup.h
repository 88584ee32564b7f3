/* One module's lookup as the stores see it: what is wanted, the settings the stores read, the
 * state of the search so far, and the host: what the search layer does for the stores (tell the
 * listeners, give the HTTP client). The search fills it and hands it down; the stores never see
 * the session (calls go down only: search -> stores -> formats). */
#ifndef SYMSCOPE_STORES_LOOKUP_H
#define SYMSCOPE_STORES_LOOKUP_H

#include <stdatomic.h>

#include "stores/chain.h"
#include "stores/fsdir.h"
#include "stores/store_write.h"
#include "symscope/http.h"
#include "symscope/session.h"
#include "util/pathmap.h"

struct sym_session; /* opaque here: only the search layer looks inside */
struct module;
struct profile_def;
struct http_client;
struct http_store_state;

/* A candidate that could be used: where it is and what it holds. */
typedef struct candidate {
    char *local;    /* the local file */
    char *location; /* the same in the user's notation */
    sym_step step;
    int element;
    sym_symclass symbols;
} candidate;

typedef struct lookup lookup;

/* What the search layer does for the stores. */
typedef struct lookup_host {
    /* An attempt is about to happen (listeners may hold the search there). */
    void (*emit_begin)(lookup *sr, sym_step step, int element, int store, const char *rule,
                       const char *location);
    /* An attempt happened: numbered, kept with the module, told to the listeners. */
    void (*emit)(lookup *sr, sym_attempt *a);
    /* Any other event about the module (store-query, store-result, message). */
    void (*event)(lookup *sr, sym_event_kind kind, uint32_t code, const char *text);
    /* SymSrv's call number for the next query (per session). */
    uint32_t (*next_call)(lookup *sr);
    /* A private directory for a dry run's downloads; NULL when it cannot be made. */
    const char *(*scratch)(lookup *sr);
    /* The session's HTTP client and what each HTTP store said once; NULL when unavailable. */
    struct http_client *(*http_client)(lookup *sr);
    struct http_store_state *(*http_store)(lookup *sr, const char *url);
} lookup_host;

struct lookup {
    /* The search layer's own (opaque to the stores). */
    struct sym_session *s;
    struct module *m;
    const struct profile_def *pd;
    const lookup_host *host;

    /* What is wanted (the module's, borrowed for the search). */
    const sym_module_info *info;
    _Atomic int *cancel_module, *cancel_all;

    /* The settings the stores read (the session's, borrowed for the search). */
    const bool *options; /* SYM_OPTION_COUNT */
    const sym_http_settings *http;
    const path_element *elements;
    size_t n_elements;
    pathmap_ctx map; /* drive mappings; cwd: the session's current directory */
    const char *home;
    bool plan;            /* list places, look in none (sym_session_set_plan) */
    bool cache_feeds_srv; /* the profile: a srv* chain without a downstream store uses a cache */
    bool symsrv_rules;    /* the profile's stores follow SymSrv 10 (URLs keep a query string) */
    fsdir_cache *dirs;

    /* The state of the search. */
    bool accept_mismatch; /* load_anything, or a forced load */
    bool done;            /* an exact match was accepted */
    const char *missing;  /* why the directory being searched cannot be used, or NULL */
    candidate winner;
    bool have_mismatch; /* the first mismatched candidate, for load_anything */
    candidate mismatch;
    /* Cache elements met so far: what is found after them is copied into them. */
    int caches[CHAIN_MAX_CACHES];
    size_t n_caches;
    /* Stores already probed and missed in this search (a cache that also serves as a srv*
     * chain's downstream store is not looked in twice). */
    char **probed;
    size_t n_probed, cap_probed;
    /* The image's directory when it is not where the image was loaded from (a copy of the
     * image in a cache, for a module loaded without its file handle). */
    char *image_dir, *image_dir_text;
};

/* Frees what the lookup owns (not what it borrows). */
void lookup_free(lookup *sr);

/* Through the host. */
void lookup_emit_begin(lookup *sr, sym_step step, int element, int store, const char *rule,
                       const char *location);
void lookup_emit(lookup *sr, sym_attempt *a);
void lookup_message(lookup *sr, const char *text);
/* Reports a store attempt (SymSrv's wording in the noisy log). */
void lookup_store_emit(lookup *sr, int element, int store, const char *rule, const char *location,
                       const char *local, sym_outcome outcome, const char *detail,
                       const char *source);

/* Reads the file at path and compares it with what the module wants. Fills a->outcome,
 * a->found, a->bytes, a->detail (a static or owned-by-*detail string) and *symbols.
 * *cab is set when the file is a CAB (a compressed store file). */
void lookup_check(lookup *sr, const char *path, sym_attempt *a, sym_symclass *symbols,
                  char **detail, bool *cab);

/* Takes a candidate as the winner (exact) or remembers it as the first mismatch. */
void lookup_accept(lookup *sr, const char *local, const char *location, sym_step step, int element,
                   sym_symclass symbols);
void lookup_note_mismatch(lookup *sr, const char *local, const char *location, sym_step step,
                          int element, sym_symclass symbols);

/* store_put, and the listings under the store forgotten (they changed); a dry run writes
 * nothing and says where it would have (SYM_E_DRY_RUN). */
sym_status lookup_put(lookup *sr, const store_put_args *a, char **final, uint64_t *bytes,
                      sym_error *err);

/* fsdir_find on the session's listings; when the session lists places, every directory is
 * empty. */
fsdir_result lookup_find(lookup *sr, const char *dir, const char *name, char **path, bool *is_dir);
/* A dry run: nothing is written; downloads go to the session's scratch directory. */
bool lookup_dry_run(const lookup *sr);
bool lookup_cancelled(const lookup *sr);

/* The default downstream store's home and tiers (index2.txt through the session's listings,
 * so that asking costs nothing within a pass). */
chain_home lookup_chain_home(lookup *sr);

bool lookup_probed(lookup *sr, const char *store_local);
void lookup_mark_probed(lookup *sr, const char *store_local);

#endif
