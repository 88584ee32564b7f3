/* A store has a kind and operations, the way tig's views are a table of operations: the
 * search and the inventory ask a store through its kind's entry, never by testing its type. */
#ifndef SYMSCOPE_STORES_STORE_H
#define SYMSCOPE_STORES_STORE_H

#include "stores/stores.h"

typedef enum store_kind {
    STORE_LOCAL_ONE_TIER, /* <root>/<file>/<key>/ */
    STORE_LOCAL_TWO_TIER, /* <root>/<xx>/<file>/<key>/ (index2.txt) */
    STORE_HTTP,           /* <url>/[<xx>/]<file>/<key>/, asked over HTTP */
    STORE_KIND_COUNT
} store_kind;

typedef struct store_ops {
    store_kind kind;
    bool downloads; /* a file found there arrives in a download directory first */
    /* Probes the lookup's file and key (the documentation's reading: every name of the key
     * directory in order, each checked). True with *hit. */
    bool (*probe)(lookup *sr, int element, const chain_store *cs, const char *download_dir,
                  store_hit *hit);
} store_ops;
/* Writing into a store is store_put() (local kinds only: a download goes to a local store
 * first); listing and verifying one is sym_cache_scan(), which refuses an HTTP store. */

store_kind store_kind_of(const sym_store_desc *d);
const store_ops *store_ops_of(const sym_store_desc *d);
const store_ops *store_ops_kind(store_kind k);

#endif
