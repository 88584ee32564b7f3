/* The three profiles side by side (`symscope find --compare` and the terminal UI's view).
 * The runs are dry runs in sessions of their own, so that no run's copies change what the
 * next one finds: the three sequences differ only because the profiles do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "compare.h"
#include "json_text.h"
#include "out_text.h"
#include "text_buf.h"

const sym_profile compare_order[COMPARE_PROFILES] = {SYM_PROFILE_NATIVE, SYM_PROFILE_DOCUMENTED,
                                                     SYM_PROFILE_WINE8};

static void run_free(compare_run *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->where[i]);
        free(r->loc[i]);
    }
    free(r->where);
    free(r->loc);
    free(r->result);
    memset(r, 0, sizeof *r);
}

void compare_free(compare_result *r)
{
    for (int p = 0; p < COMPARE_PROFILES; p++)
        run_free(&r->runs[p]);
    r->rows = 0;
}

/* Searches module under profile p; fills r from the module's attempts. */
static void run_one(const common_opts *base, sym_profile p, const char *module, compare_run *r,
                    char *err_out, size_t err_size)
{
    common_opts o = *base;
    o.have_profile = true;
    o.profile = p;
    o.options[SYM_OPT_DRY_RUN] = true;
    o.options[SYM_OPT_DEFERRED_LOADS] = false;
    sym_session *s = common_opts_session(&o);
    if (!s) {
        snprintf(err_out, err_size, "cannot make a session for the %s profile",
                 sym_profile_name(p));
        return;
    }
    sym_error err;
    size_t n = 0;
    if (sym_session_load(s, module, &n, &err) != SYM_OK || n == 0) {
        snprintf(err_out, err_size, "%s", n == 0 ? "no module" : err.message);
        sym_session_free(s);
        return;
    }
    const sym_module_info *m = sym_session_module(s, 0);
    size_t na = sym_session_attempt_count(s, m->base);
    r->where = calloc(na ? na : 1, sizeof *r->where);
    r->loc = calloc(na ? na : 1, sizeof *r->loc);
    for (size_t i = 0; r->where && r->loc && i < na; i++) {
        const sym_attempt *a = sym_session_attempt(s, m->base, i);
        char *safe = sym_display_text(a->location ? a->location : "");
        const char *loc = safe ? safe : "";
        size_t len = strlen(loc) + 32;
        r->where[r->n] = malloc(len);
        r->loc[r->n] = strdup(loc);
        if (!r->where[r->n] || !r->loc[r->n]) {
            free(r->where[r->n]);
            free(r->loc[r->n]);
            free(safe);
            break;
        }
        snprintf(r->where[r->n], len, "%s  %s", loc, sym_outcome_name(a->outcome));
        r->n++;
        free(safe);
    }
    char *where = sym_display_text(m->location ? m->location : "");
    size_t len = (where ? strlen(where) : 0) + 64;
    r->result = malloc(len);
    if (r->result)
        snprintf(r->result, len, "%s%s%s%s", sym_symclass_name(m->symbols),
                 m->location && m->symbols != SYM_CLASS_EXPORT ? ": " : "",
                 m->location && m->symbols != SYM_CLASS_EXPORT && where ? where : "",
                 m->unmatched ? " (unmatched)" : "");
    free(where);
    r->ok = true;
    sym_session_free(s);
}

bool compare_module(const common_opts *o, const char *module, compare_result *out, char *err,
                    size_t err_size)
{
    memset(out, 0, sizeof *out);
    if (err_size)
        err[0] = '\0';
    for (int p = 0; p < COMPARE_PROFILES; p++) {
        run_one(o, compare_order[p], module, &out->runs[p], err, err_size);
        out->rows = out->runs[p].n > out->rows ? out->runs[p].n : out->rows;
    }
    return out->runs[0].ok;
}

/* The last width characters of s, with "..." in front when cut: paths differ at their end. */
static void cell(char *out, size_t width, const char *s)
{
    size_t n = strlen(s);
    if (n <= width)
        snprintf(out, width + 1, "%-*s", (int)width, s);
    else
        snprintf(out, width + 1, "...%s", s + n - (width - 3));
}

bool compare_row_differs(const compare_result *r, size_t i)
{
    const char *first = NULL;
    for (int p = 0; p < COMPARE_PROFILES; p++) {
        const char *l = i < r->runs[p].n ? r->runs[p].loc[i] : "";
        if (!first)
            first = l;
        else if (strcmp(first, l) != 0)
            return true;
    }
    return false;
}

char *compare_text(const compare_result *r, size_t width)
{
    text_buf t = {0};
    char buf[512];
    if (width < 8)
        width = 8;
    if (width > sizeof buf - 1)
        width = sizeof buf - 1;
    text_add(&t, "     ");
    for (int p = 0; p < COMPARE_PROFILES; p++) {
        cell(buf, width, sym_profile_name(compare_order[p]));
        text_add(&t, " %s", buf);
    }
    text_add(&t, "\n");
    for (size_t i = 0; i < r->rows; i++) {
        text_add(&t, "%c%4zu", compare_row_differs(r, i) ? '*' : ' ', i + 1);
        for (int p = 0; p < COMPARE_PROFILES; p++) {
            cell(buf, width, i < r->runs[p].n ? r->runs[p].where[i] : "");
            text_add(&t, " %s", buf);
        }
        text_add(&t, "\n");
    }
    text_add(&t, "  winner");
    for (int p = 0; p < COMPARE_PROFILES; p++)
        text_add(&t, "\n    %-11s %s", sym_profile_name(compare_order[p]),
                 r->runs[p].result ? r->runs[p].result : "-");
    text_add(&t, "\n\n");
    return text_take(&t);
}

static void print_json(const char *module, const compare_result *r)
{
    json_object *o = json_object_new_object();
    json_add_text(o, "module", module);
    json_object *profiles = json_object_new_object();
    for (int p = 0; p < COMPARE_PROFILES; p++) {
        const compare_run *run = &r->runs[p];
        json_object *pr = json_object_new_object();
        json_object *list = json_object_new_array();
        for (size_t i = 0; i < run->n; i++)
            json_object_array_add(list, json_text(run->where[i]));
        json_object_object_add(pr, "attempts", list);
        json_object_object_add(pr, "winner",
                               run->result ? json_object_new_string(run->result) : NULL);
        json_object_object_add(profiles, sym_profile_name(compare_order[p]), pr);
    }
    json_object_object_add(o, "profiles", profiles);
    json_object *differ = json_object_new_array();
    for (size_t i = 0; i < r->rows; i++)
        if (compare_row_differs(r, i))
            json_object_array_add(differ, json_object_new_int((int)i + 1));
    json_object_object_add(o, "differ", differ);
    printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
}

int compare_modules(const common_opts *o, char **modules, int n, size_t columns)
{
    size_t width = columns > 40 ? (columns - 6) / COMPARE_PROFILES - 1 : 40;
    int rc = 0;
    for (int i = 0; i < n; i++) {
        compare_result r;
        char err[1024];
        if (!compare_module(o, modules[i], &r, err, sizeof err)) {
            out_line(stderr, "symscope: %s", err);
            rc = 2;
        } else if (o->json) {
            print_json(modules[i], &r);
        } else {
            out_line(stdout, "%s", modules[i]);
            char *text = compare_text(&r, width);
            fputs(text ? text : "", stdout);
            free(text);
        }
        compare_free(&r);
    }
    return rc;
}
