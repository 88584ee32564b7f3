/* A store has a kind and operations, the way tig's views are a table of operations: the
 * search and the inventory ask a store through its kind's entry, never by testing its type. */
#ifndef SYMSCOPE_STORES_STORE_H
#define SYMSCOPE_STORES_STORE_H

#include "stores/stores.h"
#include "symscope/cache.h"

typedef enum store_kind {
    STORE_LOCAL_ONE_TIER, /* <root>/<file>/<key>/ */
    STORE_LOCAL_TWO_TIER, /* <root>/<xx>/<file>/<key>/ (index2.txt) */
    STORE_HTTP,           /* <url>/[<xx>/]<file>/<key>/, asked over HTTP */
    STORE_KIND_COUNT
} store_kind;

typedef struct store_ops {
    store_kind kind;
    const char *name; /* "local, 1-tier", "local, 2-tier", "http" */
    bool downloads;   /* a file found there arrives in a download directory first */
    /* Probes the lookup's file and key (the documentation's reading: every name of the key
     * directory in order, each checked). True with *hit. */
    bool (*probe)(lookup *sr, int element, const chain_store *cs, const char *download_dir,
                  store_hit *hit);
    /* Fetches a file into the store's key directory (checked, then renamed into place);
     * NULL when the kind cannot be written. */
    sym_status (*put)(const store_put_args *a, char **final_path, uint64_t *bytes, sym_error *err);
    /* Lists the entries, verifying each against its key directory when asked; NULL when the
     * kind cannot be listed. */
    sym_status (*scan)(const char *root, bool verify, sym_cache **out, sym_error *err);
} store_ops;

store_kind store_kind_of(const sym_store_desc *d);
const store_ops *store_ops_of(const sym_store_desc *d);
const store_ops *store_ops_kind(store_kind k);

#endif
