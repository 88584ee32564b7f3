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

/* Every local store a search of this path may copy into, once each, in path order: the
 * downstream stores of srv* chains, cache* elements, and the default downstream store of a lone
 * HTTP store (unless a cache takes its place, cache_feeds_srv). Calls fn for each (dir is
 * valid during the call). */
typedef void (*chain_store_fn)(const char *dir, void *ctx);
void chain_downstream_stores(const path_element *el, size_t n, bool cache_feeds_srv,
                             const char *home, chain_store_fn fn, void *ctx);

#endif
