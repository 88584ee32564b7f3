/* `symscope path [OPTIONS] [PATH]`: the symbol path parsed and explained. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "json_text.h"
#include "out_text.h"
#include "options.h"
#include "path_json.h"

static void usage(FILE *f)
{
    fputs(
        "usage: symscope path [OPTIONS] [PATH]\n"
        "  Parses a symbol path (PATH, -y PATH, or the default from _NT_SYMBOL_PATH and\n"
        "  _NT_ALT_SYMBOL_PATH) and explains every element: its kind, where it came from,\n"
        "  its stores and whether they can be used, and the expanded path.\n\n" COMMON_OPTIONS_HELP
        "  --json                the parsed path as JSON\n"
        "  --lint                what will not work as meant, each with its fix\n"
        "Exit status: 0 every element usable (with --lint: nothing found), 1 some element\n"
        "missing, unmapped or invalid (with --lint: findings), 2 bad usage.\n",
        f);
}

static const char *response_word(sym_elem_state st, sym_elem_kind kind)
{
    switch (st) {
    case SYM_STATE_OK:
        return kind == SYM_ELEM_SRV ? "Deferred" : "OK";
    case SYM_STATE_MISSING:
        return "Missing";
    case SYM_STATE_UNMAPPED:
        return "Unmapped";
    case SYM_STATE_UNSUPPORTED:
        return "Unsupported";
    case SYM_STATE_UNREACHABLE:
        return "Unreachable";
    case SYM_STATE_DISABLED:
        return "Disabled";
    case SYM_STATE_INVALID:
    default:
        return "Invalid";
    }
}

static void print_text(const sym_session *s)
{
    sym_profile p = sym_session_profile(s);
    out_line(stdout, "Symbol search path is: %s", sym_session_get_path(s));
    out_line(stdout, "Expanded Symbol search path is: %s", sym_session_expanded_path(s));
    printf("Profile: %s (%s)\n\n", sym_profile_name(p), sym_profile_source(p));
    size_t n = sym_session_element_count(s);
    if (n == 0) {
        printf("The path is empty: only the CodeView path and the image directory are searched.\n");
        return;
    }
    out_line(stdout, "  #  %-9s %-20s %-12s %s", "kind", "source", "state", "element");
    for (size_t i = 0; i < n; i++) {
        const sym_element_desc *e = sym_session_element(s, i);
        out_line(stdout, "%3zu  %-9s %-20s %-12s %s", i, sym_elem_kind_name(e->kind),
                 sym_elem_source_name(e->source), sym_elem_state_name(e->state), e->text);
        if (e->kind == SYM_ELEM_STANDARD && e->local)
            out_line(stdout, "     %-9s %s", "directory", e->local);
        if (e->reason)
            out_line(stdout, "     %-9s %s", "why", e->reason);
        for (size_t k = 0; k < e->n_stores; k++) {
            const sym_store_desc *st = &e->stores[k];
            const char *where = st->is_default ? "(default downstream store)" : st->location;
            out_line(stdout, "     store %zu  %s%s%s  [%s, %d-tier, %s]%s%s", k, where,
                     st->local ? " -> " : "", st->local ? st->local : "",
                     st->type == SYM_STORE_HTTP ? "http" : "local", st->tiers,
                     sym_elem_state_name(st->state), st->reason ? " " : "",
                     st->reason ? st->reason : "");
        }
    }
    printf("\n************* Path validation summary **************\n");
    out_line(stdout, "%-33s%-14s%s", "Response", "Time (ms)", "Location");
    for (size_t i = 0; i < n; i++) {
        const sym_element_desc *e = sym_session_element(s, i);
        out_line(stdout, "%-33s%-14s%s", response_word(e->state, e->kind), "", e->text);
    }
}

enum { OPT_LINT = 0x200 };

static int path_option(int c, const char *arg, void *ctx)
{
    (void)arg;
    if (c != OPT_LINT)
        return -1;
    *(bool *)ctx = true;
    return 0;
}

/* --lint: one finding a line (or a JSON object a line), element, what, fix. */
static int print_lint(const sym_session *s, bool json)
{
    sym_lint *l = NULL;
    size_t n = 0;
    if (sym_session_lint(s, &l, &n) != 0)
        fprintf(stderr, "symscope: out of memory checking the path\n");
    for (size_t i = 0; i < n; i++) {
        if (json) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "kind",
                                   json_object_new_string(sym_lint_kind_name(l[i].kind)));
            json_object_object_add(o, "element",
                                   l[i].element >= 0 ? json_object_new_int(l[i].element) : NULL);
            json_add_text(o, "message", l[i].message);
            json_add_text(o, "fix", l[i].fix);
            printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                                 JSON_C_TO_STRING_NOSLASHESCAPE));
            json_object_put(o);
        } else {
            if (l[i].element >= 0)
                printf("element %d: ", l[i].element);
            printf("%s [%s]\n    fix: %s\n", l[i].message, sym_lint_kind_name(l[i].kind), l[i].fix);
        }
    }
    if (!json && n == 0)
        printf("no findings: every element can be used as written\n");
    sym_lint_free(l, n);
    return n > 0 ? 1 : 0;
}

int cmd_path(int argc, char **argv)
{
    static const struct option opts[] = {COMMON_LONG_OPTIONS,
                                         {"lint", no_argument, NULL, OPT_LINT},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    common_opts o;
    common_opts_init(&o);
    bool lint = false;
    int rc = common_opts_parse(&o, argc, argv, opts, usage, path_option, &lint);
    if (rc == 1) {
        common_opts_free(&o);
        return 0;
    }
    if (rc == 0 && optind < argc - 1) {
        fprintf(stderr, "symscope path: one PATH at most (quote a path with ';' in it)\n");
        rc = EXIT_USAGE;
    }
    if (rc == 0 && optind == argc - 1) {
        free(o.sympath);
        o.sympath = strdup(argv[optind]);
    }
    if (rc == 0)
        rc = common_opts_load_config(&o);
    sym_session *s = rc == 0 ? common_opts_session(&o) : NULL;
    if (rc == 0 && !s)
        rc = EXIT_USAGE;
    if (s && lint) {
        rc = print_lint(s, o.json);
        sym_session_free(s);
    } else if (s) {
        if (o.json)
            path_print_json(s, stdout);
        else
            print_text(s);
        for (size_t i = 0; i < sym_session_element_count(s); i++) {
            sym_elem_state st = sym_session_element(s, i)->state;
            if (st != SYM_STATE_OK)
                rc = 1;
        }
        sym_session_free(s);
    }
    common_opts_free(&o);
    return rc;
}
