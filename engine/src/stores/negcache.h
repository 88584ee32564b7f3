/* The negative cache of HTTP misses (see negcache.c). */
#ifndef SYMSCOPE_NEGCACHE_H
#define SYMSCOPE_NEGCACHE_H

#include "search/session_internal.h"

/* True when a miss of file/key at the store is remembered and younger than the TTL. */
bool negcache_check(const sym_session *s, const char *url, const char *file, const char *key,
                    long *age_s);
void negcache_remember(const sym_session *s, const char *url, const char *file, const char *key);

#endif
