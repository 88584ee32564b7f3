/* Path lint: reads the parsed elements and says what will not work as meant, with the fix.
 * Nothing is probed: only what parsing already knows (states, kinds, stores, sources). */
#include <stdlib.h>
#include <strings.h>

#include "search/session_internal.h"
#include "symscope/lint.h"

typedef struct findings {
    sym_lint *v;
    size_t n, cap;
    bool failed;
} findings;

static void add(findings *f, sym_lint_kind kind, int element, char *message, char *fix)
{
    if (!message || !fix || !util_grow(&f->v, &f->cap, f->n + 1, sizeof *f->v)) {
        free(message);
        free(fix);
        f->failed = true;
        return;
    }
    f->v[f->n++] = (sym_lint){kind, element, message, fix};
}

/* The same place: the same local directory, or the same text for what has none (URLs). */
static bool same_place(const sym_element_desc *a, const sym_element_desc *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->local && b->local)
        return strcmp(a->local, b->local) == 0;
    return strcasecmp(a->text, b->text) == 0;
}

static bool has_http(const sym_element_desc *e, size_t *n_http)
{
    *n_http = 0;
    for (size_t k = 0; k < e->n_stores; k++)
        if (e->stores[k].type == SYM_STORE_HTTP)
            (*n_http)++;
    return *n_http > 0;
}

static void lint_element(const sym_session *s, findings *f, size_t i, int first_srv)
{
    const sym_element_desc *e = &s->elements[i].d;
    int idx = (int)i;
    const profile_def *pd = profile_get(s->profile);
    switch (e->state) {
    case SYM_STATE_UNMAPPED:
        add(f, SYM_LINT_UNMAPPED, idx, util_asprintf("%s: %s", e->text, e->reason),
            util_strdup("map it to a local directory (--map, or map: in the configuration), or "
                        "remove the element"));
        return;
    case SYM_STATE_MISSING:
        if (e->kind == SYM_ELEM_STANDARD) {
            add(f, SYM_LINT_MISSING, idx, util_asprintf("%s: %s", e->text, e->reason),
                util_asprintf("create %s, or remove the element", e->local ? e->local : e->text));
            return;
        }
        break; /* a store not created yet: SymSrv creates it when it first copies into it */
    case SYM_STATE_INVALID:
        add(f, SYM_LINT_INVALID, idx, util_asprintf("%s: %s", e->text, e->reason),
            util_strdup("rewrite the element: srv*DOWNSTREAM*...*SERVER, one server at the right "
                        "end, ten stores at most"));
        return;
    case SYM_STATE_UNSUPPORTED:
        add(f, SYM_LINT_UNREACHABLE, idx,
            util_asprintf("%s is never searched by the %s profile: %s", e->text,
                          sym_profile_name(s->profile), e->reason),
            util_strdup(pd->stores ? "use symsrv.dll or a srv* element"
                                   : "use the native or documented profile to search stores"));
        return;
    default:
        break;
    }
    if (e->kind == SYM_ELEM_CACHE && first_srv >= 0 && first_srv < idx)
        add(f, SYM_LINT_CACHE_AFTER_STORES, idx,
            util_asprintf("%s comes after element %d (%s): nothing found there is cached", e->text,
                          first_srv, s->elements[first_srv].d.text),
            util_asprintf("move %s before element %d", e->text, first_srv));
    size_t n_http = 0;
    if (e->kind == SYM_ELEM_SRV && has_http(e, &n_http)) {
        bool downstream = false;
        for (size_t k = 0; k < e->n_stores; k++)
            downstream |= e->stores[k].type == SYM_STORE_LOCAL && e->stores[k].location[0];
        bool cached = false; /* a cache* before it is its downstream store */
        for (size_t c = 0; c < i && pd->cache_feeds_srv; c++)
            cached |= s->elements[c].d.kind == SYM_ELEM_CACHE;
        if (!downstream && !cached) {
            char *store = path_default_store(s);
            add(f, SYM_LINT_NO_DOWNSTREAM, idx,
                util_asprintf("%s names no downstream store: downloads go to the default store "
                              "%s",
                              e->text, store ? store : "<home>/sym"),
                util_asprintf("name one: srv*C:\\symbols*%s", e->stores[e->n_stores - 1].location));
            free(store);
        }
        for (size_t k = 0; k < e->n_stores; k++)
            if (e->stores[k].type == SYM_STORE_HTTP && strchr(e->stores[k].location, '?'))
                add(f, SYM_LINT_QUERY_STRING, idx,
                    util_asprintf("%s: SymSrv appends each file's path after the query string",
                                  e->stores[k].location),
                    util_strdup("give the store a URL without '?'; put tokens in the "
                                "configuration's http settings"));
    }
    for (size_t j = 0; j < i; j++)
        if (same_place(&s->elements[j].d, e)) {
            add(f, SYM_LINT_DUPLICATE, idx,
                util_asprintf("%s is element %zu again: searched twice, found nothing new", e->text,
                              j),
                util_asprintf("remove element %zu", i));
            break;
        }
}

int sym_session_lint(const sym_session *s, sym_lint **out, size_t *count)
{
    findings f = {0};
    int first_srv = -1;
    for (size_t i = 0; i < s->n_elements; i++)
        if (s->elements[i].d.kind == SYM_ELEM_SRV && first_srv < 0)
            first_srv = (int)i;
    for (size_t i = 0; i < s->n_elements; i++)
        lint_element(s, &f, i, first_srv);
    /* _NT_ALT_SYMBOL_PATH repeating _NT_SYMBOL_PATH: every alt element is an nt element. */
    size_t n_alt = 0, repeated = 0;
    for (size_t i = 0; i < s->n_elements; i++) {
        if (s->elements[i].d.source != SYM_SRC_NT_ALT_SYMBOL_PATH)
            continue;
        n_alt++;
        for (size_t j = 0; j < s->n_elements; j++)
            if (s->elements[j].d.source == SYM_SRC_NT_SYMBOL_PATH &&
                same_place(&s->elements[j].d, &s->elements[i].d)) {
                repeated++;
                break;
            }
    }
    if (n_alt > 0 && repeated == n_alt)
        add(&f, SYM_LINT_ALT_REPEATS, -1,
            util_strdup("_NT_ALT_SYMBOL_PATH repeats _NT_SYMBOL_PATH: every place is searched "
                        "twice"),
            util_strdup("unset _NT_ALT_SYMBOL_PATH, or give it only what _NT_SYMBOL_PATH lacks"));
    *out = f.v;
    *count = f.n;
    return f.failed ? -1 : 0;
}

void sym_lint_free(sym_lint *l, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free((char *)l[i].message);
        free((char *)l[i].fix);
    }
    free(l);
}

const char *sym_lint_kind_name(sym_lint_kind k)
{
    static const char *const names[] = {
#define SYM_X(e, name) name,
        SYM_LINT_LIST(SYM_X)
#undef SYM_X
    };
    return (unsigned)k < SYM_LINT_COUNT ? names[k] : "?";
}
