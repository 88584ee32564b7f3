/* The places a module's symbol file would be found at, in search order, from a search in
 * plan mode (sym_session_set_plan). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_buf.h"
#include "where.h"

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Attempts that name a place: not copies, not notes. */
static bool is_place(const sym_attempt *a)
{
    return a->location && *a->location && a->outcome != SYM_OUT_COPIED &&
           a->outcome != SYM_OUT_CACHED && a->outcome != SYM_OUT_ALREADY_CACHED &&
           strcmp(a->rule, "quirk") != 0 && strcmp(a->rule, "index2") != 0;
}

void where_collect(const sym_session *s, const sym_module_info *m, where_result *out)
{
    memset(out, 0, sizeof *out);
    out->first_local = -1;
    char key[SYM_KEY_MAX] = "";
    sym_identity_key(&m->wanted, key);
    out->module = dup_or_null(m->name);
    out->file = dup_or_null(m->wanted_file);
    out->key = strdup(key);
    out->profile = strdup(sym_profile_name(sym_session_profile(s)));
    size_t n = sym_session_attempt_count(s, m->base);
    out->places = calloc(n ? n : 1, sizeof *out->places);
    for (size_t i = 0; out->places && i < n; i++) {
        const sym_attempt *a = sym_session_attempt(s, m->base, i);
        if (!is_place(a))
            continue;
        if (out->first_local < 0 && a->local && a->outcome != SYM_OUT_SKIPPED)
            out->first_local = (int)out->n;
        out->places[out->n++] = (where_place){a->step, a->element, dup_or_null(a->rule),
                                              dup_or_null(a->location), dup_or_null(a->local)};
    }
}

bool where_module(const common_opts *base, const char *module, where_result *out, char *err,
                  size_t err_size)
{
    memset(out, 0, sizeof *out);
    out->first_local = -1;
    common_opts o = *base;
    o.options[SYM_OPT_DEFERRED_LOADS] = false;
    sym_session *s = common_opts_session(&o);
    if (!s) {
        snprintf(err, err_size, "cannot make a session");
        return false;
    }
    sym_session_set_plan(s, true);
    sym_error e;
    size_t n = 0;
    bool ok = sym_session_load(s, module, &n, &e) == SYM_OK && n > 0;
    if (ok)
        where_collect(s, sym_session_module(s, sym_session_module_count(s) - 1), out);
    else
        snprintf(err, err_size, "%s", n == 0 ? "no module" : e.message);
    sym_session_free(s);
    return ok;
}

/* Text from files and servers, safe to print (escaped, no secrets); "" for NULL. */
static char *safe(const char *s)
{
    char *t = sym_display_text(s ? s : "");
    return t ? t : strdup("");
}

char *where_text(const where_result *r)
{
    text_buf t = {0};
    char *module = safe(r->module ? r->module : "?"), *file = safe(r->file ? r->file : "-");
    text_add(&t, "%s wants %s (%s), under the %s profile:\n", module ? module : "",
             file ? file : "", r->key ? r->key : "", r->profile ? r->profile : "?");
    for (size_t i = 0; i < r->n; i++) {
        const where_place *p = &r->places[i];
        char *loc = safe(p->location), *local = safe(p->local);
        text_add(&t, "%4zu  %-18s %s\n", i + 1, p->rule ? p->rule : "", loc ? loc : "");
        if (p->local && strcmp(p->local, p->location) != 0)
            text_add(&t, "      %-18s %s\n", "", local ? local : "");
        free(loc);
        free(local);
    }
    if (r->first_local >= 0) {
        char *local = safe(r->places[r->first_local].local);
        text_add(&t, "A %s with key %s put at %s would be found first.\n\n",
                 r->file ? file : "file", r->key ? r->key : "", local ? local : "");
        free(local);
    } else {
        text_add(&t, "No local place is searched: only servers (or nothing) would find it.\n\n");
    }
    free(module);
    free(file);
    return text_take(&t);
}

void where_free(where_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->places[i].rule);
        free(r->places[i].location);
        free(r->places[i].local);
    }
    free(r->places);
    free(r->module);
    free(r->file);
    free(r->key);
    free(r->profile);
    memset(r, 0, sizeof *r);
    r->first_local = -1;
}
