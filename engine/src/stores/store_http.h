/* HTTP symbol stores: what one store said once per session, and the two rule sets' requests
 * (store_http.c). */
#ifndef SYMSCOPE_STORES_STORE_HTTP_H
#define SYMSCOPE_STORES_STORE_HTTP_H

#include <pthread.h>

#include "stores/chain.h"
#include "stores/lookup.h"

/* What one HTTP store said once per session: whether it is two-tier (index2.txt). */
typedef struct http_store_state {
    char *url;
    int tiers;             /* 0: not asked yet */
    bool unreachable;      /* a network failure: not asked again this session */
    char why[256];         /* under lock */
    pthread_mutex_t lock;  /* unreachable and why, read and set from parallel searches */
    pthread_mutex_t probe; /* one index2.txt request per store, whatever the concurrency */
    char shown[1024];      /* the URL as shown: credentials hidden (set once, under probe) */
} http_store_state;

http_store_state *http_store_state_new(const char *url);
void http_store_state_free(http_store_state *st);

/* The per-store settings of the store at url (longest url_prefix), or NULL. */
const sym_http_store_settings *http_settings_for(const sym_http_settings *h, const char *url);

/* A usable file found in a store. */
typedef struct store_hit {
    char *path;        /* local file */
    char *location;    /* user's notation */
    const char *store; /* the store it was found in, as written ("\\\\symbols\\symbols") */
    bool compressed;
    bool temporary; /* a download: removed once delivered */
    sym_symclass symbols;
} store_hit;

/* Looks the module's file up in the HTTP store cs (the documented rules); downloads go into
 * download_dir. True with *hit filled (hit->temporary) when a usable file arrived. */
bool store_http_probe(lookup *sr, int element, const chain_store *cs, const char *download_dir,
                      store_hit *hit);

/* SymSrv 10's requests to one HTTP store: index2.txt once, then the names in order until one
 * answers 200, which is final. A file arrives in download_dir (hit->temporary); a file.ptr's
 * text in *ptr_text. *hr: SymSrv's HRESULT for a miss. */
bool store_http_symsrv10(lookup *sr, int element, const chain_store *cs, const char *download_dir,
                         store_hit *hit, char **ptr_text, uint32_t *hr);

/* A downloaded mismatch that load_anything may take, kept in the store under its own key (a
 * correct entry there), so that the file reported exists. NULL when it is not kept. */
char *store_keep_mismatch(lookup *sr, const char *download_dir, const char *src, bool move,
                          const sym_identity *found);

#endif
