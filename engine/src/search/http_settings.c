/* HTTP settings of a session, its libcurl client, and what each HTTP store said once. */
#include <stdlib.h>
#include <strings.h>

#include "stores/http_client.h"
#include "search/session_internal.h"
#include "stores/negcache.h"

void sym_http_settings_default(sym_http_settings *h)
{
    memset(h, 0, sizeof *h);
    h->version = SYM_HTTP_SETTINGS_VERSION;
    h->user_agent = SYM_DEFAULT_USER_AGENT;
    h->connect_timeout_ms = 10000;
    h->first_byte_timeout_ms = 30000;
    h->low_speed_bytes = 1000;
    h->low_speed_ms = 30000;
    h->total_timeout_ms = 600000;
    h->max_size = 4ull << 30;
    h->retries = 2;
    h->retry_base_ms = 500;
    h->retry_max_ms = 30000;
    h->max_redirects = 10;
    h->per_host = 0; /* as many as transfers at once */
    h->negative_ttl_s = 86400;
}

void http_settings_free(sym_http_settings *h)
{
    free((char *)h->user_agent);
    free((char *)h->proxy);
    free((char *)h->ca_file);
    for (size_t i = 0; i < h->n_stores; i++) {
        const sym_http_store_settings *st = &h->stores[i];
        free((char *)st->url_prefix);
        free((char *)st->user);
        free((char *)st->password);
        free((char *)st->bearer);
        free((char *)st->header);
    }
    free((sym_http_store_settings *)h->stores);
    memset(h, 0, sizeof *h);
}

sym_status sym_session_set_http(sym_session *s, const sym_http_settings *h, sym_error *err)
{
    if (!h || h->version != SYM_HTTP_SETTINGS_VERSION)
        return err_set(err, SYM_E_ARG,
                       "sym_http_settings of version %u; this library reads version %u "
                       "(start from sym_http_settings_default)",
                       h ? h->version : 0, SYM_HTTP_SETTINGS_VERSION);
    for (size_t i = 0; i < h->n_stores; i++)
        if (h->stores[i].version != SYM_HTTP_STORE_SETTINGS_VERSION)
            return err_set(err, SYM_E_ARG,
                           "sym_http_store_settings %zu is of version %u; this library reads "
                           "version %u (start from SYM_HTTP_STORE_SETTINGS_INIT)",
                           i, h->stores[i].version, SYM_HTTP_STORE_SETTINGS_VERSION);
    sym_http_settings c = *h;
    c.user_agent = util_strdup(h->user_agent ? h->user_agent : SYM_DEFAULT_USER_AGENT);
    c.proxy = util_strdup(h->proxy);
    c.ca_file = util_strdup(h->ca_file);
    sym_http_store_settings *stores = calloc(h->n_stores ? h->n_stores : 1, sizeof *stores);
    c.stores = stores;
    bool ok = c.user_agent && stores && (!h->proxy || c.proxy) && (!h->ca_file || c.ca_file);
    for (size_t i = 0; ok && i < h->n_stores; i++) {
        const sym_http_store_settings *in = &h->stores[i];
        stores[i] = *in;
        stores[i].url_prefix = util_strdup(in->url_prefix ? in->url_prefix : "");
        stores[i].user = util_strdup(in->user);
        stores[i].password = util_strdup(in->password);
        stores[i].bearer = util_strdup(in->bearer);
        stores[i].header = util_strdup(in->header);
        ok = stores[i].url_prefix != NULL;
    }
    if (!ok) {
        http_settings_free(&c);
        return err_set(err, SYM_E_NOMEM, "out of memory");
    }
    pthread_mutex_lock(&s->lock);
    http_settings_free(&s->http);
    s->http = c;
    /* A new client picks the settings up on its next use. */
    struct http_client *old = s->http_client;
    s->http_client = NULL;
    pthread_mutex_unlock(&s->lock);
    http_client_free(old);
    return SYM_OK;
}

struct http_client *session_http_client(sym_session *s)
{
    pthread_mutex_lock(&s->lock);
    if (!s->http_client)
        s->http_client = http_client_new(&s->http, s->jobs > 0 ? s->jobs : 1);
    struct http_client *c = s->http_client;
    pthread_mutex_unlock(&s->lock);
    return c;
}

http_store_state *session_http_store(sym_session *s, const char *url)
{
    pthread_mutex_lock(&s->lock);
    http_store_state *found = NULL;
    for (size_t i = 0; i < s->n_http_stores && !found; i++)
        if (strcmp(s->http_stores[i]->url, url) == 0)
            found = s->http_stores[i];
    if (!found && util_grow(&s->http_stores, &s->cap_http_stores, s->n_http_stores + 1,
                            sizeof *s->http_stores)) {
        found = http_store_state_new(url);
        if (found)
            s->http_stores[s->n_http_stores++] = found;
    }
    pthread_mutex_unlock(&s->lock);
    return found;
}

void sym_session_http_stats(const sym_session *s, uint64_t *requests, uint64_t *bytes)
{
    pthread_mutex_t *lock = (pthread_mutex_t *)&s->lock; /* the client may be replaced */
    pthread_mutex_lock(lock);
    if (requests)
        *requests = http_client_requests(s->http_client);
    if (bytes)
        *bytes = http_client_bytes(s->http_client);
    pthread_mutex_unlock(lock);
}

size_t sym_session_forget_misses(sym_session *s, const char *store_url, const char *file)
{
    return negcache_forget(s->home, store_url, file);
}
