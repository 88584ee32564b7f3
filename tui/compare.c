/* `symscope find --compare`: each module searched under the three profiles, side by side.
 * The runs are dry runs, so that no run's copies change what the next one finds: the three
 * sequences differ only because the profiles do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "compare.h"
#include "json_text.h"
#include "out_text.h"

static const sym_profile order[COMPARE_PROFILES] = {SYM_PROFILE_NATIVE, SYM_PROFILE_DOCUMENTED,
                                                    SYM_PROFILE_WINE8};

/* One profile's run of one module: its attempts (copied) and its winner. */
typedef struct run {
    char **where; /* "location  outcome" */
    char **loc;   /* location, for comparing rows */
    size_t n;
    char *result; /* symbols and file */
    bool ok;
} run;

static void run_free(run *r)
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

/* Searches module under profile p; fills r from the module's attempts. */
static void run_one(const common_opts *base, sym_profile p, const char *module, run *r)
{
    common_opts o = *base;
    o.have_profile = true;
    o.profile = p;
    o.options[SYM_OPT_DRY_RUN] = true;
    o.options[SYM_OPT_DEFERRED_LOADS] = false;
    sym_session *s = common_opts_session(&o);
    if (!s)
        return;
    sym_error err;
    size_t n = 0;
    if (sym_session_load(s, module, &n, &err) != SYM_OK || n == 0) {
        out_line(stderr, "symscope: %s", err.message);
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
        if (!r->where[r->n] || !r->loc[r->n])
            break;
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

/* The last width characters of s, with "..." in front when cut: paths differ at their end. */
static void cell(char *out, size_t width, const char *s)
{
    size_t n = strlen(s);
    if (n <= width)
        snprintf(out, width + 1, "%-*s", (int)width, s);
    else
        snprintf(out, width + 1, "...%s", s + n - (width - 3));
}

static bool row_differs(const run *runs, size_t i)
{
    const char *first = NULL;
    for (int p = 0; p < COMPARE_PROFILES; p++) {
        const char *l = i < runs[p].n ? runs[p].loc[i] : "";
        if (!first)
            first = l;
        else if (strcmp(first, l) != 0)
            return true;
    }
    return false;
}

static void print_text(const char *module, run *runs, size_t width)
{
    size_t rows = 0;
    for (int p = 0; p < COMPARE_PROFILES; p++)
        rows = runs[p].n > rows ? runs[p].n : rows;
    out_line(stdout, "%s", module);
    printf("     ");
    char buf[512];
    for (int p = 0; p < COMPARE_PROFILES; p++) {
        cell(buf, width, sym_profile_name(order[p]));
        printf(" %s", buf);
    }
    printf("\n");
    for (size_t i = 0; i < rows; i++) {
        printf("%c%4zu", row_differs(runs, i) ? '*' : ' ', i + 1);
        for (int p = 0; p < COMPARE_PROFILES; p++) {
            cell(buf, width, i < runs[p].n ? runs[p].where[i] : "");
            printf(" %s", buf);
        }
        printf("\n");
    }
    printf("  winner");
    for (int p = 0; p < COMPARE_PROFILES; p++)
        printf("\n    %-11s %s", sym_profile_name(order[p]), runs[p].result ? runs[p].result : "-");
    printf("\n\n");
}

static void print_json(const char *module, run *runs)
{
    json_object *o = json_object_new_object();
    json_add_text(o, "module", module);
    json_object *profiles = json_object_new_object();
    size_t rows = 0;
    for (int p = 0; p < COMPARE_PROFILES; p++) {
        json_object *pr = json_object_new_object();
        json_object *list = json_object_new_array();
        for (size_t i = 0; i < runs[p].n; i++)
            json_object_array_add(list, json_text(runs[p].where[i]));
        json_object_object_add(pr, "attempts", list);
        json_object_object_add(pr, "winner",
                               runs[p].result ? json_object_new_string(runs[p].result) : NULL);
        json_object_object_add(profiles, sym_profile_name(order[p]), pr);
        rows = runs[p].n > rows ? runs[p].n : rows;
    }
    json_object_object_add(o, "profiles", profiles);
    json_object *differ = json_object_new_array();
    for (size_t i = 0; i < rows; i++)
        if (row_differs(runs, i))
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
        run runs[COMPARE_PROFILES] = {0};
        for (int p = 0; p < COMPARE_PROFILES; p++)
            run_one(o, order[p], modules[i], &runs[p]);
        if (!runs[0].ok) {
            rc = 2;
        } else if (o->json) {
            print_json(modules[i], runs);
        } else {
            print_text(modules[i], runs, width);
        }
        for (int p = 0; p < COMPARE_PROFILES; p++)
            run_free(&runs[p]);
    }
    return rc;
}
