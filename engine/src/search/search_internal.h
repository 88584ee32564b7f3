/* One module's search in progress, shared by the planner (search.c) and the stores
 * (store.c). */
#ifndef SYMSCOPE_SEARCH_INTERNAL_H
#define SYMSCOPE_SEARCH_INTERNAL_H

#include "stores/fsdir.h"
#include "search/session_internal.h"
#include "stores/store_write.h"

/* A candidate that could be used: where it is and what it holds. */
typedef struct candidate {
    char *local;    /* the local file */
    char *location; /* the same in the user's notation */
    sym_step step;
    int element;
    sym_symclass symbols;
} candidate;

/* The most stores one query looks in, and the most cache* elements one search meets. */
#define SYMSRV_MAX_CHAIN 16

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
    int caches[SYMSRV_MAX_CHAIN];
    size_t n_caches;
    /* Stores already probed and missed in this search (a cache that also serves as a srv*
     * chain's downstream store is not looked in twice). */
    char **probed;
    size_t n_probed, cap_probed;
    /* The image's directory when it is not where the image was loaded from (a copy of the
     * image in a cache, for a module loaded without its file handle). */
    char *image_dir, *image_dir_text;
} search;

/* Tells the listeners an attempt is about to happen (they may hold the search there). */
void search_emit_begin(search *sr, sym_step step, int element, int store, const char *rule,
                       const char *location);
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

/* store_put, and the listings under the store forgotten (they changed). */
sym_status search_store_put(search *sr, const store_put_args *a, char **final, uint64_t *bytes,
                            sym_error *err);

/* fsdir_find on the session's listings; when the session lists places (sym_session_set_plan),
 * every directory is empty. */
fsdir_result search_find(search *sr, const char *dir, const char *name, char **path, bool *is_dir);
/* A dry run: nothing is written; downloads go to the session's scratch directory. */
bool search_dry_run(const search *sr);

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

/* "c:\\myCache\\ntdll.pdb\\<key>\\ntdll.pdb": the file `name` of the key directory, in
 * the notation the store was written in. */
char *store_location(const sym_store_desc *d, const char *file, const sym_identity *id,
                     const char *name);
/* The key directory of file in a local store, found case-insensitively; NULL when absent. */
char *store_find_key_dir(search *sr, const chain_store *cs, const char *file, const char *key);

/* A downloaded mismatch that load_anything may take, kept in the store under its own key (a
 * correct entry there), so that the file reported exists. NULL when it is not kept. */
char *store_keep_mismatch(search *sr, const char *download_dir, const char *src, bool move,
                          const sym_identity *found);
/* Reports a store attempt (SymSrv's). */
void store_emit(search *sr, int element, int store, const char *rule, const char *location,
                const char *local, sym_outcome outcome, const char *detail, const char *source);
/* The default downstream store (<home>/sym) as a chain store; cs->own_local to free. */
void store_chain_default(search *sr, chain_store *cs);
/* A file.ptr's first line: a small regular file only (never a FIFO or a device). */
char *store_pointer_text(const char *path);

/* Follows file.ptr (and pointers it points to) to a file; relative targets are relative to
 * dir. On failure fills *outcome and *detail. */
char *store_follow_pointer(search *sr, const char *ptr_path, const char *dir, sym_outcome *outcome,
                           char **detail, char **target_text);

/* ---- store_http.c ---- */

/* Looks the module's file up in the HTTP store cs (chain position k); downloads go into
 * download_dir. True with *hit filled (hit->temporary) when a usable file arrived. */
bool store_http_probe(search *sr, int element, const chain_store *cs, const char *download_dir,
                      store_hit *hit);

/* SymSrv 10's requests to one HTTP store: index2.txt once, then the names in order until one
 * answers 200, which is final. A file arrives in download_dir (hit->temporary); a file.ptr's
 * text in *ptr_text. *hr: SymSrv's HRESULT for a miss. */
bool store_http_symsrv10(search *sr, int element, const chain_store *cs, const char *download_dir,
                         store_hit *hit, char **ptr_text, uint32_t *hr);

/* ---- store_guard.c ---- */

/* False (with a skipped attempt) when the module's file name cannot be used in a store. */
bool store_guard_name(search *sr, int element);

/* Looks the module's file up in element e (srv*, cache* or a pingme.txt store). */
void store_search_element(search *sr, int element_index);
/* Copies the winner into every cache element met so far ("cached to" / "already cached"),
 * and opens it from the first cache that holds it. */
void store_cache_winner(search *sr);

/* ---- symsrv.c: SymSrv 10's rules, for profiles whose rules are PROFILE_RULES_SYMSRV10 ---- */

/* One SymSrv query for element e (srv*, cache* or a pingme.txt store). */
void symsrv_search_element(search *sr, int element_index);
/* Copies the winner into the caches met, as DbgHelp does ("cached to"). */
void symsrv_cache_winner(search *sr);
/* A module loaded without its image's file handle: DbgHelp opens the image by its name, then
 * copies it into the caches of the path; the first copy's directory is the image directory. */
void symsrv_image_without_handle(search *sr);

#endif
