/* One module's search in progress, shared by the planner (search.c) and the stores
 * (store.c). */
#ifndef SYMSCOPE_SEARCH_INTERNAL_H
#define SYMSCOPE_SEARCH_INTERNAL_H

#include "fsdir.h"
#include "session_internal.h"

/* A candidate that could be used: where it is and what it holds. */
typedef struct candidate {
    char *local;    /* the local file */
    char *location; /* the same in the user's notation */
    sym_step step;
    int element;
    sym_symclass symbols;
} candidate;

typedef struct search {
    sym_session *s;
    module *m;
    const profile_def *pd;
    fsdir_cache *dirs;
    bool accept_mismatch; /* load_anything, or a forced load */
    bool done;            /* an exact match was accepted */
    const char *missing;  /* why the directory being searched cannot be used, or NULL */
    candidate winner;
    bool have_mismatch; /* the first mismatched candidate, for load_anything */
    candidate mismatch;
    /* Cache elements met so far: what is found after them is copied into them. */
    int caches[16];
    size_t n_caches;
    /* Stores already probed and missed in this search (a cache that also serves as a srv*
     * chain's downstream store is not looked in twice). */
    char **probed;
    size_t n_probed, cap_probed;
} search;

/* Reports an attempt: numbers it, copies it into the module's list, tells the listeners. */
void search_emit(search *sr, sym_attempt *a);

/* Reads the file at path and compares it with what the module wants. Fills a->outcome,
 * a->found, a->bytes, a->detail (a static or owned-by-*detail string) and *symbols.
 * *cab is set when the file is a CAB (a compressed store file). */
void search_check(search *sr, const char *path, sym_attempt *a, sym_symclass *symbols,
                  char **detail, bool *cab);

/* Takes a candidate as the winner (exact) or remembers it as the first mismatch. */
void search_accept(search *sr, const char *local, const char *location, sym_step step, int element,
                   sym_symclass symbols);
void search_note_mismatch(search *sr, const char *local, const char *location, sym_step step,
                          int element, sym_symclass symbols);

bool search_probed(search *sr, const char *store_local);
bool search_cancelled(const search *sr);
void search_mark_probed(search *sr, const char *store_local);

/* ---- store.c ---- */

/* One store of the chain being searched. */
typedef struct chain_store {
    sym_store_desc d; /* a copy; strings borrowed (or owned via own_local) */
    int index;        /* in the element's stores; -1 for an inserted cache or default store */
    char *own_local;
} chain_store;

/* A usable file found in a store. */
typedef struct store_hit {
    char *path;        /* local file */
    char *location;    /* user's notation */
    const char *store; /* the store it was found in, as written ("\\\\symbols\\symbols") */
    bool compressed;
    bool temporary; /* a download: removed once delivered */
    sym_symclass symbols;
} store_hit;

/* Follows file.ptr (and pointers it points to) to a file; relative targets are relative to
 * dir. On failure fills *outcome and *detail. */
char *store_follow_pointer(search *sr, const char *ptr_path, const char *dir, sym_outcome *outcome,
                           char **detail, char **target_text);

/* ---- store_http.c ---- */

/* Looks the module's file up in the HTTP store cs (chain position k); downloads go into
 * download_dir. True with *hit filled (hit->temporary) when a usable file arrived. */
bool store_http_probe(search *sr, int element, const chain_store *cs, const char *download_dir,
                      store_hit *hit);

/* ---- store_guard.c ---- */

/* False (with a skipped attempt) when the module's file name cannot be used in a store. */
bool store_guard_name(search *sr, int element);

/* Looks the module's file up in element e (srv*, cache* or a pingme.txt store). */
void store_search_element(search *sr, int element_index);
/* Copies the winner into every cache element met so far ("cached to" / "already cached"),
 * and opens it from the first cache that holds it. */
void store_cache_winner(search *sr);

#endif
