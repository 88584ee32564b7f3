/* `symscope find [OPTIONS] MODULE...`: resolves each module as the session would. Prints the
 * noisy log in DbgHelp's words and then a summary table; --json prints one object per
 * module instead. Both are listeners of the engine's events. */
#include <getopt.h>
#include <sys/ioctl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "interrupt.h"
#include "compare.h"
#include "find_log.h"
#include "out_text.h"
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
          "  --compare             each module under the three profiles, side by side (dry runs)\n"
          "  --no-image-handle     load images as SymLoadModuleEx with no file handle: DbgHelp\n"
          "                        opens them itself and copies them into the caches\n"
          "Exit status: 0 every module found, 1 some module not found or unmatched,\n"
          "2 bad usage or unreadable input.\n",
          f);
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

static void print_summary(const sym_session *s, bool interrupted)
{
    printf("\n************* Symbol Loading Summary **************\n");
    out_line(stdout, "%-22s %-24s %s", "Module name", "Result", "Why");
    for (size_t i = 0; i < sym_session_module_count(s); i++) {
        const sym_module_info *m = sym_session_module(s, i);
        char reason[2048];
        if (m->state == SYM_MOD_DEFERRED) {
            out_line(stdout, "%-22s %-24s %s", m->name, "not searched", "interrupted (Ctrl-C)");
            continue;
        }
        why(s, m, reason, sizeof reason);
        out_line(stdout, "%-22s %-24s %s", m->name, sym_symclass_name(m->symbols), reason);
    }
    if (interrupted)
        printf("interrupted: the searches above that had not ended were cancelled\n");
}

enum { OPT_NO_IMAGE_HANDLE = 0x200, OPT_COMPARE };

typedef struct find_flags {
    bool no_handle, compare;
} find_flags;

static int find_option(int c, const char *arg, void *ctx)
{
    (void)arg;
    find_flags *f = ctx;
    if (c == OPT_NO_IMAGE_HANDLE)
        f->no_handle = true;
    else if (c == OPT_COMPARE)
        f->compare = true;
    else
        return -1;
    return 0;
}

int cmd_find(int argc, char **argv)
{
    static const struct option opts[] = {
        COMMON_LONG_OPTIONS,
        {"no-image-handle", no_argument, NULL, OPT_NO_IMAGE_HANDLE},
        {"compare", no_argument, NULL, OPT_COMPARE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    common_opts o;
    common_opts_init(&o);
    find_flags flags = {0};
    int rc = common_opts_parse(&o, argc, argv, opts, usage, find_option, &flags);
    bool no_handle = flags.no_handle;
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
    if (rc == 0 && flags.compare) {
        struct winsize ws;
        size_t cols = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 160;
        rc = compare_modules(&o, argv + optind, argc - optind, cols);
        common_opts_free(&o);
        return rc;
    }
    sym_session *s = rc == 0 ? common_opts_session(&o) : NULL;
    if (rc == 0 && !s)
        rc = EXIT_USAGE;
    if (s) {
        static char out_buf[1 << 16];
        if (!isatty(STDOUT_FILENO))
            setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf); /* one write per 64 KiB */
        sym_session_set_image_handle(s, !no_handle);
        find_log *log = NULL;
        if (o.json)
            sym_session_add_listener(s, json_listener, stdout);
        bool bad_input = false;
        /* Modules are registered first and searched together, -j at once. */
        sym_session_set_option(s, SYM_OPT_DEFERRED_LOADS, true, NULL);
        for (int i = optind; i < argc; i++) {
            sym_error err;
            size_t n;
            if (sym_session_load(s, argv[i], &n, &err) != SYM_OK) {
                fflush(stdout);
                out_line(stderr, "symscope: %s", err.message);
                bad_input = true;
            }
        }
        log = find_log_new(stdout, sym_session_module_count(s), !o.json, isatty(STDERR_FILENO));
        if (log)
            sym_session_add_listener(s, find_log_listener, log);
        interrupt intr;
        bool watching = interrupt_start(&intr, s);
        sym_error rerr;
        if (sym_session_resolve(s, o.jobs > 0 ? o.jobs : 1, &rerr) != SYM_OK) {
            out_line(stderr, "symscope: %s", rerr.message);
            bad_input = true;
        }
        if (watching)
            interrupt_stop(&intr);
        bool interrupted = watching && atomic_load(&intr.hit);
        find_log_free(log);
        if (!o.json)
            print_summary(s, interrupted);
        for (size_t i = 0; i < sym_session_module_count(s); i++)
            if (strcmp(module_status(sym_session_module(s, i)), "found") != 0)
                rc = 1;
        if (bad_input)
            rc = EXIT_USAGE;
        if (interrupted)
            rc = 130; /* as a shell reports a command ended by SIGINT */
        sym_session_free(s);
    }
    common_opts_free(&o);
    return rc;
}
