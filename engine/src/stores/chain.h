/* The chain planner: which stores one query looks in, in which order, and where copies go. */
#ifndef SYMSCOPE_STORES_CHAIN_H
#define SYMSCOPE_STORES_CHAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "symscope/session.h"

/* SymSrv's own limit on the stores of one srv* element; an element with more is invalid (its
 * reason names the count). */
#define CHAIN_MAX_STORES 10
/* One query's chain: the element's stores, plus a cache put in front and the default
 * downstream store. */
#define CHAIN_MAX (CHAIN_MAX_STORES + 2)
/* The most cache* elements one path has; an element past it is invalid. */
#define CHAIN_MAX_CACHES 16

/* A parsed path element: the public description plus the strings it owns. */
typedef struct path_element {
    sym_element_desc d;
    char sep; /* the separator of the user's notation: '\\' or '/' */
} path_element;

/* One store of the chain being searched. */
typedef struct chain_store {
    sym_store_desc d; /* a copy; strings borrowed (or owned via own_local) */
    int index;        /* in the element's stores; -1 for an inserted cache or default store */
    char *own_local;
} chain_store;

/* The default downstream store: <home>/sym. */
char *chain_default_store(const char *home);

/* The default downstream store: where it is and how it is laid out (the caller knows how to
 * look at index2.txt cheaply: through the session's listings). */
typedef struct chain_home {
    const char *home; /* the store is <home>/sym */
    int tiers;
} chain_home;

/* The default downstream store as a chain store (cs->own_local to free). */
void chain_default(chain_store *cs, const chain_home *h);

/* How a rule set builds chains: the documentation's reading, or SymSrv 10's. */
typedef enum chain_rules { CHAIN_DOCUMENTED, CHAIN_SYMSRV10 } chain_rules;

/* The stores one query of element e looks in, left to right; returns how many. cache: the
 * cache* element in effect for this element (NULL: none, or the profile does not feed srv*
 * chains from caches). Documented: a srv* element with a single store gets the cache in front.
 * SymSrv 10: every srv* chain gets the cache in front, empty tokens are dropped, and a chain
 * that starts with a server gets the default downstream store in front. Past CHAIN_MAX the
 * chain is cut; path parsing has already refused an element with more than CHAIN_MAX_STORES. */
size_t chain_plan(chain_store chain[CHAIN_MAX], const path_element *e, const path_element *cache,
                  chain_rules rules, const chain_home *h);
/* Frees what the chain owns; *n becomes 0. */
void chain_clear(chain_store *chain, size_t *n);

/* Usable as a downstream store: a local directory that is not unmapped or invalid. */
bool chain_writable(const chain_store *cs);
/* The leftmost writable store left of position k (copies go there last, decompressed); k when
 * there is none. */
size_t chain_leftmost_writable(const chain_store *chain, size_t k);

/* Every local store a search of this path may copy into, once each, in path order: the
 * downstream stores of srv* chains, cache* elements, and the default downstream store of a lone
 * HTTP store (unless a cache takes its place, cache_feeds_srv). Calls fn for each (dir is
 * valid during the call). */
typedef void (*chain_store_fn)(const char *dir, void *ctx);
void chain_downstream_stores(const path_element *el, size_t n, bool cache_feeds_srv,
                             const char *home, chain_store_fn fn, void *ctx);

#endif
