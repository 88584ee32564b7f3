/* `symscope find [OPTIONS] MODULE...`: resolves each module as the session would. Prints the
 * noisy log in DbgHelp's words and then a summary table; --json prints one object per
 * module instead. Both are listeners of the engine's events. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "symscope/explain.h"
#include "module_json.h"
#include "options.h"

static void usage(FILE *f)
{
    fputs("usage: symscope find [OPTIONS] MODULE...\n"
          "  Finds each module's symbol file the way DbgHelp does and shows every attempt.\n"
          "  MODULE is an image (.exe, .dll, .sys, ...), a minidump (every module in it), or\n"
          "  FILE/KEY in store notation "
          "(crash.pdb/3249D99D0C4049318610F4E4FB0B69361).\n\n" COMMON_OPTIONS_HELP
          "  --json                one JSON object per module, one per line\n"
          "Exit status: 0 every module found, 1 some module not found or unmatched,\n"
          "2 bad usage or unreadable input.\n",
          f);
}

/* The noisy log of searches that run at once (-j), kept per module and printed when the
 * module's search ends, so that each module's lines stay together. */
typedef struct pending {
    uint64_t base;
    char *text;
    size_t len, cap;
} pending;

typedef struct noisy_out {
    FILE *f;
    pending *p;
    size_t n, cap;
    uint64_t current; /* the module the line being formatted belongs to; 0: none */
} noisy_out;

static pending *pending_of(noisy_out *o, uint64_t base)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->p[i].base == base)
            return &o->p[i];
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 16;
        pending *p = realloc(o->p, cap * sizeof *p);
        if (!p)
            return NULL;
        o->p = p;
        o->cap = cap;
    }
    o->p[o->n] = (pending){.base = base};
    return &o->p[o->n++];
}

static void add_line(const char *line, void *ctx)
{
    noisy_out *o = ctx;
    pending *p = o->current ? pending_of(o, o->current) : NULL;
    size_t n = strlen(line);
    if (p && p->len + n + 2 > p->cap) {
        size_t cap = (p->len + n + 2) * 2;
        char *t = realloc(p->text, cap);
        if (t) {
            p->text = t;
            p->cap = cap;
        } else {
            p = NULL;
        }
    }
    if (!p) {
        fprintf(o->f, "%s\n", line); /* no module, or no memory: straight out */
        return;
    }
    memcpy(p->text + p->len, line, n);
    p->text[p->len + n] = '\n';
    p->len += n + 1;
    p->text[p->len] = '\0';
}

static void noisy_listener(const sym_event *ev, void *ctx)
{
    noisy_out *o = ctx;
    o->current = ev->module ? ev->module->base : 0;
    sym_noisy_format(ev, add_line, o);
    if (ev->kind == SYM_EV_SEARCH_END && ev->module) {
        pending *p = pending_of(o, ev->module->base);
        if (p && p->len) {
            fwrite(p->text, 1, p->len, o->f);
            p->len = 0;
        }
    }
    o->current = 0;
}

static void noisy_free(noisy_out *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->p[i].text);
    free(o->p);
}

static void json_listener(const sym_event *ev, void *ctx)
{
    if (ev->kind != SYM_EV_SEARCH_END)
        return;
    json_object *o = module_to_json(ev->session, ev->module);
    fprintf(
        (FILE *)ctx, "%s\n",
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
}

/* The module's why in the engine's words; a mismatch that was passed over also says how to
 * take it (the other fixes are in the why already, or long). */
static void why(const sym_session *s, const sym_module_info *m, char *out, size_t n)
{
    size_t total = sym_session_attempt_count(s, m->base);
    sym_attempt *att = calloc(total ? total : 1, sizeof *att);
    if (!att) {
        snprintf(out, n, "out of memory");
        return;
    }
    for (size_t i = 0; i < total; i++)
        att[i] = *sym_session_attempt(s, m->base, i);
    size_t len = sym_explain_why(m, att, total, out, n);
    sym_fix fix;
    sym_explain_fix(m, att, total, &fix);
    if (fix.kind == SYM_FIX_TAKE_MISMATCH)
        snprintf(out + len, n - len, " (%s)", fix.text);
    free(att);
}

static void print_summary(const sym_session *s)
{
    printf("\n************* Symbol Loading Summary **************\n");
    printf("%-22s %-24s %s\n", "Module name", "Result", "Why");
    for (size_t i = 0; i < sym_session_module_count(s); i++) {
        const sym_module_info *m = sym_session_module(s, i);
        char reason[2048];
        why(s, m, reason, sizeof reason);
        printf("%-22s %-24s %s\n", m->name, sym_symclass_name(m->symbols), reason);
    }
}

int cmd_find(int argc, char **argv)
{
    static const struct option opts[] = {
        COMMON_LONG_OPTIONS, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    common_opts o;
    common_opts_init(&o);
    int rc = common_opts_parse(&o, argc, argv, opts, usage, NULL, NULL);
    if (rc == 1) {
        common_opts_free(&o);
        return 0;
    }
    if (rc == 0 && optind >= argc) {
        fprintf(stderr, "symscope find: no MODULE given\n");
        usage(stderr);
        rc = EXIT_USAGE;
    }
    if (rc == 0)
        rc = common_opts_load_config(&o);
    sym_session *s = rc == 0 ? common_opts_session(&o) : NULL;
    if (rc == 0 && !s)
        rc = EXIT_USAGE;
    if (s) {
        noisy_out noisy = {.f = stdout};
        if (o.json)
            sym_session_add_listener(s, json_listener, stdout);
        else
            sym_session_add_listener(s, noisy_listener, &noisy);
        bool bad_input = false;
        /* Modules are registered first and searched together, -j at once. */
        sym_session_set_option(s, SYM_OPT_DEFERRED_LOADS, true, NULL);
        for (int i = optind; i < argc; i++) {
            sym_error err;
            size_t n;
            if (sym_session_load(s, argv[i], &n, &err) != SYM_OK) {
                fflush(stdout);
                fprintf(stderr, "symscope: %s\n", err.message);
                bad_input = true;
            }
        }
        sym_error rerr;
        if (sym_session_resolve(s, o.jobs > 0 ? o.jobs : 1, &rerr) != SYM_OK) {
            fprintf(stderr, "symscope: %s\n", rerr.message);
            bad_input = true;
        }
        if (!o.json)
            print_summary(s);
        for (size_t i = 0; i < sym_session_module_count(s); i++)
            if (strcmp(module_status(sym_session_module(s, i)), "found") != 0)
                rc = 1;
        if (bad_input)
            rc = EXIT_USAGE;
        sym_session_free(s);
        noisy_free(&noisy);
    }
    common_opts_free(&o);
    return rc;
}
