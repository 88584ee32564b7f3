/* The chain planner: which stores one query looks in, in which order, and which local stores
 * receive copies. The rule sets (documented.c, symsrv.c) ask it; so do `cache ls` and the UI's
 * caches pane, through sym_session_cache_dirs(). */
#include <stdlib.h>
#include <string.h>

#include "stores/chain.h"
#include "util/util.h"

char *chain_default_store(const char *home)
{
    return util_asprintf("%s/sym", home);
}

void chain_default(chain_store *cs, const chain_home *h)
{
    memset(cs, 0, sizeof *cs);
    cs->index = -1;
    cs->own_local = chain_default_store(h->home);
    cs->d.location = "";
    cs->d.local = cs->own_local;
    cs->d.is_default = true;
    cs->d.type = SYM_STORE_LOCAL;
    cs->d.tiers = h->tiers == 2 ? 2 : 1;
    cs->d.state = SYM_STATE_OK;
}

void chain_clear(chain_store *chain, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free(chain[i].own_local);
    *n = 0;
}

static bool add(chain_store *chain, size_t *n, const sym_store_desc *d, int index)
{
    if (*n >= CHAIN_MAX)
        return false;
    chain[(*n)++] = (chain_store){.d = *d, .index = index};
    return true;
}

size_t chain_plan(chain_store chain[CHAIN_MAX], const path_element *e, const path_element *cache,
                  chain_rules rules, const chain_home *h)
{
    size_t n = 0;
    bool srv = e->d.kind == SYM_ELEM_SRV;
    /* A srv* chain with no downstream store of its own uses the cache in effect (SymSrv 10:
     * any srv* chain gets it in front). */
    if (srv && cache && cache->d.n_stores > 0 && (rules == CHAIN_SYMSRV10 || e->d.n_stores == 1))
        add(chain, &n, &cache->d.stores[0], -1);
    if (!srv) {
        if (e->d.n_stores > 0)
            add(chain, &n, &e->d.stores[0], 0);
        return n;
    }
    for (size_t i = 0; i < e->d.n_stores; i++) {
        if (rules == CHAIN_SYMSRV10 && e->d.stores[i].is_default && !e->d.stores[i].location[0])
            continue; /* an empty token: dropped (srv**up uses up in place) */
        if (!add(chain, &n, &e->d.stores[i], (int)i))
            break;
    }
    if (rules == CHAIN_SYMSRV10 && n > 0 && chain[0].d.type == SYM_STORE_HTTP && n < CHAIN_MAX) {
        /* A chain that starts with a server downloads into the default downstream store. */
        memmove(&chain[1], &chain[0], n * sizeof chain[0]);
        n++;
        chain_default(&chain[0], h);
    }
    return n;
}

size_t chain_leftmost_writable(const chain_store *chain, size_t k)
{
    for (size_t j = 0; j < k; j++)
        if (chain_writable(&chain[j]))
            return j;
    return k;
}

bool chain_writable(const chain_store *cs)
{
    return cs->d.type == SYM_STORE_LOCAL && cs->d.local &&
           (cs->d.state == SYM_STATE_OK || cs->d.state == SYM_STATE_MISSING);
}

typedef struct seen_list {
    char **dirs;
    size_t n, cap;
} seen_list;

/* Offers dir (owned) once. */
static void offer(seen_list *seen, char *dir, chain_store_fn fn, void *ctx)
{
    if (!dir)
        return;
    for (size_t j = 0; j < seen->n; j++)
        if (strcmp(seen->dirs[j], dir) == 0) {
            free(dir);
            return;
        }
    if (!util_grow(&seen->dirs, &seen->cap, seen->n + 1, sizeof *seen->dirs)) {
        free(dir);
        return;
    }
    seen->dirs[seen->n++] = dir;
    fn(dir, ctx);
}

void chain_downstream_stores(const path_element *el, size_t n, bool cache_feeds_srv,
                             const char *home, chain_store_fn fn, void *ctx)
{
    seen_list seen = {0};
    bool cache_seen = false;
    for (size_t i = 0; i < n; i++) {
        const sym_element_desc *e = &el[i].d;
        size_t ns = e->n_stores;
        for (size_t k = 0; k < ns; k++) {
            const sym_store_desc *st = &e->stores[k];
            bool downstream = e->kind == SYM_ELEM_CACHE || (e->kind == SYM_ELEM_SRV && k + 1 < ns);
            if (downstream && st->type == SYM_STORE_LOCAL && st->local)
                offer(&seen, util_strdup(st->local), fn, ctx);
        }
        cache_seen = cache_seen || e->kind == SYM_ELEM_CACHE;
        /* A lone HTTP store goes through the default downstream store (unless a cache takes
         * its place). */
        if (e->kind == SYM_ELEM_SRV && ns == 1 && e->stores[0].type == SYM_STORE_HTTP &&
            !(cache_seen && cache_feeds_srv))
            offer(&seen, chain_default_store(home), fn, ctx);
    }
    for (size_t i = 0; i < seen.n; i++)
        free(seen.dirs[i]);
    free(seen.dirs);
}
