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
