/* HTTP symbol stores, in SymSrv's order: index2.txt once per store per session, then the
 * file, the compressed file and file.ptr. Downloads stream into a temporary file in the
 * downstream store; store.c verifies and renames them. */
#include <ctype.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "stores/http_client.h"
#include "stores/negcache.h"
#include "stores/stores.h"
#include "util/util.h"
#include "stores/store_write.h"
#include "symscope/display.h"

/* base + "/" + rel, with the path inserted before a query string (SAS tokens stay last);
 * after_query: appended at the very end, as SymSrv 10 does. */
static char *build_url(const char *base, const char *rel, bool after_query)
{
    if (after_query)
        return util_asprintf("%s/%s", base, rel);
    const char *q = strchr(base, '?');
    size_t n = q ? (size_t)(q - base) : strlen(base);
    while (n > 0 && base[n - 1] == '/')
        n--;
    return util_asprintf("%.*s/%s%s", (int)n, base, rel, q ? q : "");
}

static char *escape(const char *s)
{
    char *e = curl_easy_escape(NULL, s, 0);
    char *out = e ? util_strdup(e) : NULL;
    curl_free(e);
    return out;
}

static void apply_case(char *s, sym_key_case c)
{
    for (; *s; s++)
        *s = (char)(c == SYM_CASE_LOWER   ? tolower((unsigned char)*s)
                    : c == SYM_CASE_UPPER ? toupper((unsigned char)*s)
                                          : *s);
}

static bool cancelled(const lookup *sr)
{
    return lookup_cancelled(sr);
}

static const char *status_text(long status)
{
    switch (status) {
    case 200:
        return "OK";
    case 301:
    case 302:
    case 307:
    case 308:
        return "Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 410:
        return "Gone";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "";
    }
}

/* One GET; the client's loop retries on network errors, 5xx and 429 (Retry-After honoured)
 * and says in r->history what the earlier tries got. */
static void fetch(lookup *sr, http_client *c, http_request *r)
{
    const sym_http_settings *h = sr->http;
    r->retries = h->retries;
    r->retry_base_ms = h->retry_base_ms;
    r->retry_max_ms = h->retry_max_ms;
    http_client_perform(c, r);
}

/* The outcome of a finished request (before the body is looked at). */
static sym_outcome request_outcome(const lookup *sr, const http_request *r, char **detail)
{
    switch (r->result) {
    case HTTP_CANCELLED:
        *detail = util_strdup("cancelled");
        return SYM_OUT_SKIPPED;
    case HTTP_NETWORK:
        *detail = util_strdup(r->error);
        return SYM_OUT_NETWORK;
    case HTTP_REDIRECTS:
        *detail = util_asprintf("redirect loop: more than %d redirects", sr->http->max_redirects);
        return SYM_OUT_NETWORK;
    case HTTP_TOO_LARGE:
        *detail = util_asprintf("larger than the maximum size (%llu bytes)",
                                (unsigned long long)sr->http->max_size);
        return SYM_OUT_BAD_CONTENT;
    case HTTP_LOCAL:
        *detail = util_strdup(r->error);
        return SYM_OUT_SKIPPED;
    case HTTP_DONE:
    default:
        break;
    }
    const char *text = status_text(r->status);
    *detail = util_asprintf("HTTP %ld%s%s", r->status, *text ? " " : "", text);
    if (r->status >= 200 && r->status < 300)
        return SYM_OUT_FOUND;
    if (r->status == 401 || r->status == 403)
        return SYM_OUT_DENIED;
    if (r->status >= 500 || r->status == 429)
        return SYM_OUT_SERVER_ERROR;
    return SYM_OUT_NOT_FOUND;
}

/* Headers and credentials for a store, from its settings. */
typedef struct auth {
    const char *headers[3];
    char *bearer;
    const char *user, *password;
} auth;

static void auth_init(auth *a, const sym_http_store_settings *st)
{
    memset(a, 0, sizeof *a);
    size_t n = 0;
    if (st && st->bearer) {
        a->bearer = util_asprintf("Authorization: Bearer %s", st->bearer);
        if (a->bearer)
            a->headers[n++] = a->bearer;
    }
    if (st && st->header)
        a->headers[n++] = st->header;
    if (st && st->user) {
        a->user = st->user;
        a->password = st->password;
    }
}

/* One HTTP attempt as it is reported. */
typedef struct http_report {
    const char *rule, *url;
    const char *local; /* the file delivered, or NULL */
    sym_outcome outcome;
    const http_request *r; /* the request made; NULL when nothing was asked */
    const char *detail;
    const sym_identity *found; /* what the body holds, or NULL */
} http_report;

static void emit_http(lookup *sr, int element, const chain_store *cs, const http_report *rep)
{
    const http_request *r = rep->r;
    const char *detail = rep->detail ? rep->detail : "";
    char *full =
        r && r->history[0] ? util_asprintf("%s; earlier tries: %s", detail, r->history) : NULL;
    /* Credentials and query values (SAS tokens) never leave in an event. */
    char *shown_url = sym_redact_urls(rep->url);
    char *shown_detail = sym_redact_urls(full ? full : detail);
    sym_attempt a = {.step = SYM_STEP_ELEMENT,
                     .element = element,
                     .store = cs->index,
                     .rule = rep->rule,
                     .location = shown_url,
                     .local = rep->local,
                     .outcome = rep->outcome,
                     .detail = shown_detail ? shown_detail : "",
                     .symsrv = true,
                     .http_status = r ? (int)r->status : 0,
                     .ms = r ? r->ms : 0,
                     .bytes = r ? r->bytes : 0};
    if (rep->found)
        a.found = *rep->found;
    lookup_emit(sr, &a);
    free(full);
    free(shown_url);
    free(shown_detail);
}

/* The store was not asked: why. */
static void skip_http(lookup *sr, int element, const chain_store *cs, const char *url,
                      const char *why)
{
    emit_http(
        sr, element, cs,
        &(http_report){.rule = "http", .url = url, .outcome = SYM_OUT_SKIPPED, .detail = why});
}

/* A mismatch load_anything may take: kept in the download store under its own key (where it
 * is a correct entry), so the file reported is one that exists. NULL when it cannot be. */
char *store_keep_mismatch(lookup *sr, const char *download_dir, const char *src, bool move,
                          const sym_identity *found)
{
    if (!sr->accept_mismatch || sr->have_mismatch || found->kind == SYM_ID_NONE)
        return NULL;
    store_put_args args = {.root = download_dir,
                           .tiers = layout_tiers(download_dir),
                           .file = sr->info->wanted_file,
                           .id = *found,
                           .src = src,
                           .move = move,
                           .max_size = sr->http->max_size};
    char *final = NULL;
    uint64_t bytes;
    sym_error err;
    if (store_put(&args, &final, &bytes, &err) != SYM_OK)
        return NULL;
    return final;
}

/* "[fo/]foo.pdb/<key>/<name>", escaped, the two-tier prefix lower-cased. */
static char *request_rel(int tiers, const char *file, const char *efile, const char *key,
                         const char *ename)
{
    char tier[3] = "", prefix[4] = "";
    if (tiers == 2) {
        layout_tier_prefix(file, tier);
        snprintf(prefix, sizeof prefix, "%s/", tier);
    }
    return efile && ename ? util_asprintf("%s%s/%s/%s", prefix, efile, key, ename) : NULL;
}

/* Listing the places (sym_session_set_plan): the URLs SymSrv would ask, one-tier (index2.txt
 * is not asked either), each an attempt that asks nothing. */
static void list_places(lookup *sr, int element, const chain_store *cs, const char *file,
                        const char *key)
{
    layout_names kn; /* the plain order: a list of places does not favor */
    layout_key_names(&kn, file, false, "http");
    for (int i = 0; i < 3; i++) {
        const char *const *names = kn.name;
        char *rel = util_asprintf("%s/%s/%s", file, key, names[i]);
        char *url = rel ? build_url(cs->d.location, rel, sr->symsrv_rules) : NULL;
        emit_http(sr, element, cs,
                  &(http_report){.rule = kn.rule[i],
                                 .url = url ? url : cs->d.location,
                                 .outcome = SYM_OUT_SKIPPED,
                                 .detail = "not asked: a list of places"});
        free(url);
        free(rel);
    }
}

/* Whether the store failed earlier in this session (and why): searches of other modules on
 * other threads read and set it, under the store's lock. */
static bool unreachable(http_store_state *state, char *why, size_t n)
{
    pthread_mutex_lock(&state->lock);
    bool u = state->unreachable;
    if (u && why)
        snprintf(why, n, "%s", state->why);
    pthread_mutex_unlock(&state->lock);
    return u;
}

static void mark_unreachable(http_store_state *state, const char *why)
{
    pthread_mutex_lock(&state->lock);
    state->unreachable = true;
    snprintf(state->why, sizeof state->why, "%s", why ? why : "");
    pthread_mutex_unlock(&state->lock);
}

/* index2.txt, once per store per session: 200 makes the store two-tier. 0 when this search
 * was cancelled while another one asked. */
static int store_tiers(lookup *sr, http_client *c, int element, const chain_store *cs,
                       http_store_state *state, const auth *au)
{
    /* Another module's search may be asking for index2.txt right now: wait for it, but not
     * past a cancel of this module (a mutex wait could not be cancelled). */
    while (pthread_mutex_trylock(&state->probe) != 0) {
        if (cancelled(sr))
            return 0;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (!state->shown[0]) {
        char *shown = sym_redact_urls(cs->d.location);
        snprintf(state->shown, sizeof state->shown, "%s", shown ? shown : "(store)");
        free(shown);
    }
    if (state->tiers == 0) {
        char *url = build_url(cs->d.location, "index2.txt", sr->symsrv_rules);
        int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
        http_request r = {.url = url,
                          .fd = fd,
                          .headers = au->headers,
                          .user = au->user,
                          .password = au->password,
                          .cancel_a = sr->cancel_module,
                          .cancel_b = sr->cancel_all};
        if (url && fd >= 0)
            fetch(sr, c, &r);
        char *detail = NULL;
        sym_outcome out = request_outcome(sr, &r, &detail);
        state->tiers = out == SYM_OUT_FOUND ? 2 : 1;
        if (out == SYM_OUT_NETWORK) {
            mark_unreachable(state, detail);
        }
        emit_http(sr, element, cs,
                  &(http_report){
                      .rule = "index2", .url = url, .outcome = out, .r = &r, .detail = detail});
        free(detail);
        free(url);
        if (fd >= 0)
            close(fd);
    }
    int tiers = state->tiers;
    pthread_mutex_unlock(&state->probe);
    return tiers;
}

/* One GET of url into a new temporary file in download_dir (*tmp, locked while written):
 * the request's outcome before the body is looked at. */
static sym_outcome request_one(lookup *sr, http_client *c, const auth *au, const char *url,
                               const char *download_dir, char **tmp, http_request *r, char **detail)
{
    *tmp = util_asprintf("%s/.download.symscope-XXXXXX", download_dir);
    int fd = *tmp && store_mkdir(download_dir) == SYM_OK ? mkstemp(*tmp) : -1;
    if (fd >= 0)
        flock(fd, LOCK_EX); /* "being written": cache prune and verify --fix leave it */
    *r = (http_request){.url = url,
                        .fd = fd,
                        .headers = au->headers,
                        .user = au->user,
                        .password = au->password,
                        .cancel_a = sr->cancel_module,
                        .cancel_b = sr->cancel_all};
    if (fd < 0 || !url) {
        *detail = util_asprintf("cannot create a download file in %s", download_dir);
        return SYM_OUT_SKIPPED;
    }
    fetch(sr, c, r);
    close(fd);
    return request_outcome(sr, r, detail);
}

/* The store's settings, and the module's key as that store spells it. */
static const sym_http_store_settings *store_key(lookup *sr, const char *base, char key[SYM_KEY_MAX])
{
    const sym_http_store_settings *st = http_settings_for(sr->http, base);
    sym_identity_key(&sr->info->wanted, key);
    apply_case(key, st ? st->key_case : SYM_CASE_AS_IS);
    return st;
}

/* The negative cache as this lookup uses it. */
static negcache negcache_of(const lookup *sr)
{
    return (negcache){.home = sr->home,
                      .ttl_s = sr->http->negative_ttl_s,
                      .dry_run = sr->options[SYM_OPT_DRY_RUN]};
}

bool store_http_probe(lookup *sr, int element, const chain_store *cs, const char *download_dir,
                      store_hit *hit)
{
    const negcache nc = negcache_of(sr);
    const sym_module_info *mi = sr->info;
    const char *base = cs->d.location;
    char key[SYM_KEY_MAX];
    const sym_http_store_settings *st = store_key(sr, base, key);
    const char *file = mi->wanted_file;
    if (sr->plan) {
        list_places(sr, element, cs, file, key);
        return false;
    }
    if (sr->http->offline || (st && st->disabled)) {
        skip_http(sr, element, cs, base,
                  sr->http->offline ? "offline" : "disabled in the configuration");
        return false;
    }
    http_store_state *state = sr->host->http_store(sr, base);
    long age;
    if (negcache_check(&nc, base, file, key, &age)) {
        char *d = util_asprintf("remembered miss from %ld min ago (negative cache)", age / 60);
        skip_http(sr, element, cs, base, d);
        free(d);
        return false;
    }
    http_client *c = sr->host->http_client(sr);
    if (!c || !state) {
        skip_http(sr, element, cs, base, "the HTTP client could not be started");
        return false;
    }
    char earlier[sizeof state->why];
    if (unreachable(state, earlier, sizeof earlier)) {
        char *d = util_asprintf("unreachable earlier in this session: %s", earlier);
        skip_http(sr, element, cs, base, d);
        free(d);
        return false;
    }
    auth au;
    auth_init(&au, st);
    int tiers = store_tiers(sr, c, element, cs, state, &au);
    layout_names kn;
    layout_key_names(&kn, file, sr->options[SYM_OPT_FAVOR_COMPRESSED], "http");
    const char *const *names = kn.name;
    char *efile = escape(file);
    bool found = false, all_missing = true;
    int asked = 0;
    for (int i = 0; i < 3 && !found && !unreachable(state, NULL, 0) && !cancelled(sr); i++) {
        char *ename = escape(names[i]);
        char *rel = request_rel(tiers, file, efile, key, ename);
        char *url = rel ? build_url(base, rel, false) : NULL;
        char *tmp = NULL, *detail = NULL;
        http_request r;
        sym_outcome out = request_one(sr, c, &au, url, download_dir, &tmp, &r, &detail);
        if (out == SYM_OUT_NETWORK) {
            mark_unreachable(state, detail);
        }
        asked++;
        if (out != SYM_OUT_NOT_FOUND)
            all_missing = false;
        const char *use = tmp;
        char *target = NULL, *target_text = NULL;
        sym_symclass symbols = SYM_CLASS_NONE;
        bool cab = false;
        sym_identity found_id = {.kind = SYM_ID_NONE};
        if (out == SYM_OUT_FOUND && strcmp(names[i], "file.ptr") == 0) {
            char *why = NULL;
            target = store_follow_pointer(sr, tmp, sr->map.cwd, &out, &why, &target_text);
            if (!target) {
                free(detail);
                detail = why;
            }
            use = target;
        }
        if (out == SYM_OUT_FOUND) {
            sym_attempt probe = {0};
            char *why = NULL;
            lookup_check(sr, use, &probe, &symbols, &why, &cab);
            out = probe.outcome;
            found_id = probe.found;
            if (why) {
                free(detail);
                detail = util_asprintf("HTTP %ld: %s", r.status, why);
                free(why);
            } else if (out == SYM_OUT_FOUND && names[i] == kn.compressed && !cab) {
                out = SYM_OUT_BAD_CONTENT;
                free(detail);
                detail = util_strdup("a compressed name holding an uncompressed file");
            }
        }
        emit_http(sr, element, cs,
                  &(http_report){.rule = kn.rule[i],
                                 .url = url,
                                 .local = out == SYM_OUT_FOUND ? use : NULL,
                                 .outcome = out,
                                 .r = &r,
                                 .detail = detail,
                                 .found = &found_id});
        char *shown = sym_redact_urls(url);
        if (out == SYM_OUT_MISMATCH && !cab) {
            char *kept = store_keep_mismatch(sr, download_dir, use, use == tmp, &found_id);
            lookup_note_mismatch(sr, kept ? kept : use, shown, SYM_STEP_ELEMENT, element, symbols);
            free(kept);
        }
        if (out == SYM_OUT_FOUND) {
            hit->path = util_strdup(use);
            hit->location = util_strdup(shown);
            hit->store = state->shown;
            hit->compressed = cab;
            hit->symbols = symbols;
            hit->temporary = use == tmp;
            found = hit->path != NULL;
        }
        if (!found || use != tmp)
            unlink(tmp);
        free(detail);
        free(target);
        free(target_text);
        free(tmp);
        free(url);
        free(shown);
        free(rel);
        free(ename);
    }
    free(efile);
    free(au.bearer);
    /* Remembered only when the server said 404 to all three names. */
    if (!found && all_missing && asked == 3 && !cancelled(sr))
        negcache_remember(&nc, base, file, key);
    return found;
}

/* SymSrv's HRESULT for a request that got no answer. */
static uint32_t network_hr(const http_request *r)
{
    return strstr(r->error, "resolve") ? 0x800C2EE7u : 0x800C2EFDu;
}

bool store_http_symsrv10(lookup *sr, int element, const chain_store *cs, const char *download_dir,
                         store_hit *hit, char **ptr_text, uint32_t *hr)
{
    const negcache nc = negcache_of(sr);
    const sym_module_info *mi = sr->info;
    const char *base = cs->d.location;
    char key[SYM_KEY_MAX];
    const sym_http_store_settings *st = store_key(sr, base, key);
    const char *file = mi->wanted_file;
    *hr = 0x80070002u;
    *ptr_text = NULL;
    const char *skip = sr->http->offline            ? "offline"
                       : (st && st->disabled)       ? "disabled in the configuration"
                       : !sr->host->http_client(sr) ? "the HTTP client could not be started"
                                                    : NULL;
    if (sr->plan) {
        list_places(sr, element, cs, file, key);
        return false;
    }
    http_store_state *state = sr->host->http_store(sr, base);
    char earlier[sizeof state->why];
    long age;
    char *why = NULL;
    if (!skip && negcache_check(&nc, base, file, key, &age))
        skip = why = util_asprintf("remembered miss from %ld min ago (negative cache)", age / 60);
    else if (!skip && state && unreachable(state, earlier, sizeof earlier))
        skip = why = util_asprintf("unreachable earlier in this session: %s", earlier);
    if (skip || !state) {
        skip_http(sr, element, cs, base, skip ? skip : "out of memory");
        free(why);
        return false;
    }
    http_client *c = sr->host->http_client(sr);
    auth au;
    auth_init(&au, st);
    int tiers = store_tiers(sr, c, element, cs, state, &au);
    layout_names kn;
    layout_key_names(&kn, file, sr->options[SYM_OPT_FAVOR_COMPRESSED], "http");
    const char *const *names = kn.name;
    char *efile = escape(file);
    bool found = false, all_missing = true, stop = false;
    for (int i = 0; i < 3 && !found && !stop && !cancelled(sr); i++) {
        char *ename = escape(names[i]);
        char *rel = request_rel(tiers, file, efile, key, ename);
        char *url = rel ? build_url(base, rel, true) : NULL;
        char *tmp = NULL, *detail = NULL;
        http_request r;
        sym_outcome out = request_one(sr, c, &au, url, download_dir, &tmp, &r, &detail);
        stop = stop || (out == SYM_OUT_SKIPPED && (r.fd < 0 || !url));
        if (out == SYM_OUT_NETWORK) {
            /* No answer: the query ends here (SymSrv asks for the file once more after a
             * failed index2.txt, then gives up). */
            mark_unreachable(state, detail);
            *hr = network_hr(&r);
            stop = true;
        }
        if (out != SYM_OUT_NOT_FOUND)
            all_missing = false;
        emit_http(sr, element, cs,
                  &(http_report){
                      .rule = kn.rule[i], .url = url, .outcome = out, .r = &r, .detail = detail});
        if (out == SYM_OUT_FOUND || (out == SYM_OUT_BAD_CONTENT && r.result == HTTP_DONE)) {
            /* The first answer is final, whatever it holds. */
            if (strcmp(names[i], "file.ptr") == 0) {
                *ptr_text = layout_pointer_text(tmp);
                found = *ptr_text != NULL;
                hit->location = sym_redact_urls(url);
            } else {
                hit->path = util_strdup(tmp);
                hit->location = sym_redact_urls(url);
                hit->store = base;
                hit->compressed = names[i] == kn.compressed;
                hit->temporary = true;
                found = hit->path != NULL;
            }
        } else if (out != SYM_OUT_NOT_FOUND) {
            stop = true;
        }
        if (!hit->path || strcmp(hit->path, tmp) != 0)
            unlink(tmp);
        free(detail);
        free(tmp);
        free(url);
        free(rel);
        free(ename);
    }
    free(efile);
    free(au.bearer);
    if (!found && all_missing && !stop && !cancelled(sr))
        negcache_remember(&nc, base, file, key);
    return found;
}

http_store_state *http_store_state_new(const char *url)
{
    http_store_state *st = calloc(1, sizeof *st);
    if (!st || !(st->url = util_strdup(url))) {
        free(st);
        return NULL;
    }
    pthread_mutex_init(&st->lock, NULL);
    pthread_mutex_init(&st->probe, NULL);
    return st;
}

void http_store_state_free(http_store_state *st)
{
    if (!st)
        return;
    pthread_mutex_destroy(&st->lock);
    pthread_mutex_destroy(&st->probe);
    free(st->url);
    free(st);
}

const sym_http_store_settings *http_settings_for(const sym_http_settings *h, const char *url)
{
    const sym_http_store_settings *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < h->n_stores; i++) {
        const char *p = h->stores[i].url_prefix;
        size_t n = strlen(p);
        if (strncasecmp(url, p, n) == 0 && (!best || n > best_len)) {
            best = &h->stores[i];
            best_len = n;
        }
    }
    return best;
}
