/* The table of store kinds and their operations. */
#include "stores/store.h"

static const store_ops table[STORE_KIND_COUNT] = {
    [STORE_LOCAL_ONE_TIER] = {.kind = STORE_LOCAL_ONE_TIER, .probe = local_probe},
    [STORE_LOCAL_TWO_TIER] = {.kind = STORE_LOCAL_TWO_TIER, .probe = local_probe},
    [STORE_HTTP] = {.kind = STORE_HTTP, .downloads = true, .probe = store_http_probe},
};

store_kind store_kind_of(const sym_store_desc *d)
{
    if (d->type == SYM_STORE_HTTP)
        return STORE_HTTP;
    return d->tiers == 2 ? STORE_LOCAL_TWO_TIER : STORE_LOCAL_ONE_TIER;
}

const store_ops *store_ops_of(const sym_store_desc *d)
{
    return &table[store_kind_of(d)];
}

const store_ops *store_ops_kind(store_kind k)
{
    return &table[k < STORE_KIND_COUNT ? k : STORE_LOCAL_ONE_TIER];
}
