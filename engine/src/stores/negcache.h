/* The negative cache of HTTP misses (see negcache.c). */
#ifndef SYMSCOPE_STORES_NEGCACHE_H
#define SYMSCOPE_STORES_NEGCACHE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct negcache {
    const char *home; /* entries live under <home>/negative */
    long ttl_s;       /* how long a miss is remembered; 0: not at all */
    bool dry_run;     /* remember nothing */
} negcache;

/* True when a miss of file/key at the store is remembered and younger than the TTL. */
bool negcache_check(const negcache *nc, const char *url, const char *file, const char *key,
                    long *age_s);
void negcache_remember(const negcache *nc, const char *url, const char *file, const char *key);
/* Forgets the misses of one store (or all, store_url NULL) for one file (or all, file NULL);
 * returns how many. */
size_t negcache_forget(const char *home, const char *store_url, const char *file);

#endif
