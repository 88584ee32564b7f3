/* Symbol path text -> elements: standard directories, srv* / symsrv*dll* chains, cache*
 * elements and pingme.txt stores, each with where it came from and its state. Also the
 * default path and the expanded form WinDbg's .sympath shows. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>

#include "search/session_internal.h"
#include "stores/layout.h"

#define MSDL_URL "https://msdl.microsoft.com/download/symbols"

typedef struct path_piece {
    const char *text;
    sym_elem_source source;
} path_piece;

static void store_free(sym_store_desc *st)
{
    free((char *)st->location);
    free((char *)st->local);
    free((char *)st->reason);
}

void elements_free(path_element *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free((char *)e[i].d.text);
        free((char *)e[i].d.local);
        free((char *)e[i].d.reason);
        for (size_t k = 0; k < e[i].d.n_stores; k++)
            store_free((sym_store_desc *)&e[i].d.stores[k]);
        free((sym_store_desc *)e[i].d.stores);
    }
    free(e);
}

char *path_default_store(const sym_session *s)
{
    return chain_default_store(s->home);
}

/* ok / missing for a local directory, with a reason when missing. */
static sym_elem_state dir_state(const char *local, char **reason)
{
    struct stat st;
    if (stat(local, &st) != 0) {
        int e = errno;
        *reason = e == ELOOP    ? util_strdup("symbolic link loop")
                  : e == EACCES ? util_strdup("permission denied")
                                : util_strdup("no such directory");
        return SYM_STATE_MISSING;
    }
    if (!S_ISDIR(st.st_mode)) {
        *reason = util_strdup("not a directory");
        return SYM_STATE_MISSING;
    }
    return SYM_STATE_OK;
}

/* Describes one store of a chain: the default downstream store, an HTTP URL or a directory. */
static void store_describe(const sym_session *s, const pathmap_ctx *pm, const char *token,
                           sym_store_desc *st)
{
    char *reason = NULL;
    memset(st, 0, sizeof *st);
    st->location = util_strdup(token);
    st->tiers = 1;
    if (token[0] == '\0') {
        st->is_default = true;
        st->local = path_default_store(s);
        if (dir_state(st->local, &reason) != SYM_STATE_OK) {
            free(reason);
            reason = util_strdup("created when a file is first copied into it");
        }
        st->state = SYM_STATE_OK;
    } else if (strncasecmp(token, "http://", 7) == 0 || strncasecmp(token, "https://", 8) == 0) {
        st->type = SYM_STORE_HTTP;
        st->state = SYM_STATE_OK;
    } else {
        char *local = NULL;
        pathmap_result r = pathmap_resolve(pm, token, &local, &reason);
        st->local = local;
        if (r == PATHMAP_UNMAPPED)
            st->state = SYM_STATE_UNMAPPED;
        else if (r == PATHMAP_INVALID)
            st->state = SYM_STATE_INVALID;
        else
            st->state = dir_state(local, &reason);
    }
    if (st->local && st->state == SYM_STATE_OK && layout_tiers(st->local) == 2)
        st->tiers = 2;
    st->reason = reason;
}

static bool add_store(path_element *e, size_t *cap, const sym_session *s, const pathmap_ctx *pm,
                      const char *token)
{
    sym_store_desc *stores = (sym_store_desc *)e->d.stores;
    if (!util_grow(&stores, cap, e->d.n_stores + 1, sizeof *stores))
        return false;
    e->d.stores = stores;
    store_describe(s, pm, token, &stores[e->d.n_stores++]);
    return true;
}

/* The element's state from its stores: unmapped or invalid if any store is; missing when no
 * store can be read; ok otherwise. */
static void chain_state(path_element *e)
{
    bool any_usable = false;
    for (size_t i = 0; i < e->d.n_stores; i++) {
        const sym_store_desc *st = &e->d.stores[i];
        if (st->state == SYM_STATE_UNMAPPED || st->state == SYM_STATE_INVALID) {
            e->d.state = st->state;
            e->d.reason = util_strdup(st->reason);
            return;
        }
        if (st->state == SYM_STATE_OK)
            any_usable = true;
    }
    if (!any_usable) {
        e->d.state = SYM_STATE_MISSING;
        e->d.reason = util_strdup(e->d.n_stores ? e->d.stores[0].reason : "no store");
    }
}

static void parse_srv(path_element *e, const sym_session *s, const pathmap_ctx *pm,
                      const char *rest)
{
    size_t cap = 0;
    if (rest[0] == '\0') {
        /* Bare srv*: the default downstream store plus Microsoft's public server. */
        add_store(e, &cap, s, pm, "");
        add_store(e, &cap, s, pm, MSDL_URL);
        return;
    }
    const char *p = rest;
    for (;;) {
        const char *star = strchr(p, '*');
        size_t n = star ? (size_t)(star - p) : strlen(p);
        char *token = util_strndup(p, n, NULL);
        if (!token || !add_store(e, &cap, s, pm, token)) {
            free(token);
            e->d.state = SYM_STATE_INVALID;
            e->d.reason = util_strdup("out of memory");
            return;
        }
        free(token);
        if (!star)
            break;
        p = star + 1;
    }
    if (e->d.n_stores > CHAIN_MAX_STORES) {
        e->d.state = SYM_STATE_INVALID;
        e->d.reason =
            util_asprintf("%zu stores; SymSrv takes at most %d", e->d.n_stores, CHAIN_MAX_STORES);
        return;
    }
    for (size_t i = 0; i + 1 < e->d.n_stores; i++)
        if (e->d.stores[i].type == SYM_STORE_HTTP) {
            e->d.state = SYM_STATE_INVALID;
            e->d.reason = util_strdup("an HTTP store can only be the rightmost store of a chain");
            return;
        }
    chain_state(e);
}

static void parse_standard(path_element *e, const sym_session *s, const pathmap_ctx *pm)
{
    char *local = NULL, *reason = NULL;
    pathmap_result r = pathmap_resolve(pm, e->d.text, &local, &reason);
    e->d.local = local;
    if (r == PATHMAP_UNMAPPED)
        e->d.state = SYM_STATE_UNMAPPED;
    else if (r == PATHMAP_INVALID)
        e->d.state = SYM_STATE_INVALID;
    else
        e->d.state = dir_state(local, &reason);
    e->d.reason = reason;
    const profile_def *pd = profile_get(s->profile);
    if (e->d.state == SYM_STATE_OK && pd->stores &&
        !s->options[SYM_OPT_DISABLE_SYMSRV_AUTODETECT] && layout_dir_has(local, LAYOUT_PINGME)) {
        size_t cap = 0;
        e->d.kind = SYM_ELEM_STORE;
        add_store(e, &cap, s, pm, e->d.text);
    }
}

static void parse_element(const sym_session *s, const pathmap_ctx *pm, const char *text,
                          sym_elem_source source, path_element *e)
{
    memset(e, 0, sizeof *e);
    e->d.text = util_strdup(text);
    e->d.source = source;
    e->d.enabled = true;
    e->d.state = SYM_STATE_OK;
    e->sep = '\\';
    const char *star = strchr(text, '*');
    size_t kw = star ? (size_t)(star - text) : 0;
    const profile_def *pd = profile_get(s->profile);
    if (star && ((kw == 3 && strncasecmp(text, "srv", 3) == 0) ||
                 (kw == 6 && strncasecmp(text, "symsrv", 6) == 0) ||
                 (kw == 5 && strncasecmp(text, "cache", 5) == 0))) {
        e->d.kind = kw == 5 ? SYM_ELEM_CACHE : SYM_ELEM_SRV;
        if (!pd->stores) {
            e->d.state = SYM_STATE_UNSUPPORTED;
            e->d.reason = util_asprintf("the %s profile has no symbol stores: it reads '%s' as a "
                                        "directory name",
                                        sym_profile_name(s->profile), text);
            return;
        }
        const char *rest = star + 1;
        if (kw == 6) { /* symsrv*<dll>*stores */
            const char *dll_end = strchr(rest, '*');
            size_t n = dll_end ? (size_t)(dll_end - rest) : strlen(rest);
            if (n != 10 || strncasecmp(rest, "symsrv.dll", 10) != 0) {
                e->d.state = SYM_STATE_UNSUPPORTED;
                e->d.reason = util_asprintf("symbol server DLL '%.*s': only symsrv.dll is "
                                            "implemented",
                                            (int)n, rest);
                return;
            }
            rest = dll_end ? dll_end + 1 : "";
        }
        if (e->d.kind == SYM_ELEM_CACHE) {
            size_t cap = 0;
            add_store(e, &cap, s, pm, rest);
            e->sep = pathmap_notation_sep(rest);
            chain_state(e);
        } else {
            parse_srv(e, s, pm, rest);
        }
        return;
    }
    e->d.kind = SYM_ELEM_STANDARD;
    e->sep = pathmap_notation_sep(text);
    parse_standard(e, s, pm);
}

/* The element as WinDbg's expanded path shows it. */
static void expand_element(strbuf *b, const path_element *e)
{
    const char *t = e->d.text;
    if (e->d.kind == SYM_ELEM_SRV && e->d.state != SYM_STATE_UNSUPPORTED) {
        const char *rest = strchr(t, '*') + 1;
        if (strncasecmp(t, "srv*", 4) == 0 && rest[0] == '\0')
            sb_add(b, "cache*;SRV*" MSDL_URL);
        else if (strncasecmp(t, "srv*", 4) == 0)
            sb_printf(b, "SRV*%s", rest);
        else
            sb_add(b, t);
    } else if (e->d.kind == SYM_ELEM_CACHE) {
        sb_printf(b, "cache*%s", strchr(t, '*') + 1);
    } else {
        /* WinDbg lower-cases plain directories in the expanded path. */
        for (const char *p = t; *p; p++)
            sb_addc(b, (char)tolower((unsigned char)*p));
    }
}

static sym_status parse_pieces(sym_session *s, const path_piece *pieces, size_t n_pieces,
                               sym_error *err)
{
    pathmap_ctx pm = {s->maps, s->n_maps, s->cwd};
    path_element *elems = NULL;
    size_t n = 0, cap = 0, caches = 0;
    for (size_t pi = 0; pi < n_pieces; pi++) {
        const char *p = pieces[pi].text;
        while (p && *p) {
            const char *semi = strchr(p, ';');
            size_t len = semi ? (size_t)(semi - p) : strlen(p);
            const char *a = p, *z = p + len;
            while (a < z && isspace((unsigned char)*a))
                a++;
            while (z > a && isspace((unsigned char)z[-1]))
                z--;
            if (z > a) {
                char *text = util_strndup(a, (size_t)(z - a), err);
                if (!text || !util_grow(&elems, &cap, n + 1, sizeof *elems)) {
                    free(text);
                    elements_free(elems, n);
                    return err_set(err, SYM_E_NOMEM, "out of memory parsing the path");
                }
                parse_element(s, &pm, text, pieces[pi].source, &elems[n]);
                elems[n].d.index = n;
                if (elems[n].d.kind == SYM_ELEM_CACHE && ++caches > CHAIN_MAX_CACHES) {
                    /* A search copies into at most CHAIN_MAX_CACHES caches: say so here. */
                    elems[n].d.state = SYM_STATE_INVALID;
                    free((char *)elems[n].d.reason);
                    elems[n].d.reason =
                        util_asprintf("cache* element %zu of the path; a search uses at most %d",
                                      caches, CHAIN_MAX_CACHES);
                }
                n++;
                free(text);
            }
            p = semi ? semi + 1 : NULL;
        }
    }
    strbuf b;
    sb_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_addc(&b, ';');
        expand_element(&b, &elems[i]);
    }
    char *expanded = sb_take(&b);
    if (!expanded) {
        elements_free(elems, n);
        return err_set(err, SYM_E_NOMEM, "out of memory parsing the path");
    }
    elements_free(s->elements, s->n_elements);
    free(s->expanded);
    s->elements = elems;
    s->n_elements = n;
    s->expanded = expanded;
    return SYM_OK;
}

char *path_default(const sym_session *s)
{
    const profile_def *pd = profile_get(s->profile);
    bool env = !s->options[SYM_OPT_IGNORE_NT_SYMPATH];
    strbuf b;
    sb_init(&b);
    if (pd->default_path_has_dot)
        sb_add(&b, ".");
    const char *vars[2] = {env ? s->env_symbol_path : NULL, env ? s->env_alt_symbol_path : NULL};
    for (int i = 0; i < 2; i++)
        if (vars[i] && vars[i][0]) {
            if (b.len)
                sb_addc(&b, ';');
            sb_add(&b, vars[i]);
        }
    return sb_take(&b);
}

sym_status path_parse_into(sym_session *s, const char *text, bool is_default, sym_error *err)
{
    if (!is_default) {
        path_piece piece = {text, SYM_SRC_ARGUMENT};
        return parse_pieces(s, &piece, 1, err);
    }
    /* The default path, piece by piece, so every element says where it came from. */
    const profile_def *pd = profile_get(s->profile);
    bool env = !s->options[SYM_OPT_IGNORE_NT_SYMPATH];
    path_piece pieces[3];
    size_t n = 0;
    if (pd->default_path_has_dot)
        pieces[n++] = (path_piece){".", SYM_SRC_DEFAULT};
    if (env && s->env_symbol_path)
        pieces[n++] = (path_piece){s->env_symbol_path, SYM_SRC_NT_SYMBOL_PATH};
    if (env && s->env_alt_symbol_path)
        pieces[n++] = (path_piece){s->env_alt_symbol_path, SYM_SRC_NT_ALT_SYMBOL_PATH};
    return parse_pieces(s, pieces, n, err);
}
