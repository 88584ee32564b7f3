/* `symscope scenario [--check] FILE`, `symscope FILE.yaml` and `symscope learn [N]`: a
 * scenario (scenario.c) built in a sandbox (sandbox.c) and opened in the terminal UI, or run
 * without it, each question answered and checked against what it expects. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "json_text.h"
#include "module_json.h"
#include "options.h"
#include "out_text.h"
#include "interrupt.h"
#include "scenario.h"
#include "ui.h"

enum { OPT_CHECK = 0x400, OPT_DRY_RUN, OPT_SANDBOX, OPT_NO_MOUSE, OPT_STEP };

typedef struct scn_flags {
    bool check, dry_run, mouse, step;
    const char *sandbox_dir;
} scn_flags;

static int scn_option(int c, const char *arg, void *ctx)
{
    scn_flags *f = ctx;
    switch (c) {
    case OPT_CHECK:
        f->check = true;
        return 0;
    case OPT_DRY_RUN:
        f->dry_run = true;
        return 0;
    case OPT_SANDBOX:
        f->sandbox_dir = arg;
        return 0;
    case OPT_NO_MOUSE:
        f->mouse = false;
        return 0;
    case OPT_STEP:
        f->step = true;
        return 0;
    default:
        return -1;
    }
}

#define SCN_OPTIONS_HELP                                                                           \
    "  --check               no terminal UI: load the modules, run the steps, answer the\n"        \
    "                        questions; exit 1 when an answer is not the one expected\n"           \
    "  --dry-run             copies into stores and caches are reported, not made (-o dry_run)\n"  \
    "  --json                with --check: one JSON object\n"                                      \
    "  --profile NAME        native, documented or wine8 (wins over the scenario's)\n"             \
    "  -o, --option NAME     a SYMOPT by name, added to the scenario's\n"                          \
    "  --sandbox DIR         build the sandbox in DIR (which must not exist) and keep it; a DIR\n" \
    "                        kept before is used again as it is (nothing is built)\n"              \
    "  --step                step mode from the start: the engine waits before each attempt\n"     \
    "  --theme NAME|FILE, --color WHEN, --no-mouse   as for the terminal UI\n"

static void usage_scenario(FILE *f)
{
    fputs("usage: symscope scenario [OPTIONS] FILE      (or: symscope FILE.yaml)\n"
          "  Builds the world a scenario file describes in a sandbox (a new directory under\n"
          "  TMPDIR, removed on exit) and opens the terminal UI on it.\n\n" SCN_OPTIONS_HELP
          "Exit status with --check: 0 every expected answer holds, 1 some does not,\n"
          "2 bad usage or a bad scenario file (FILE:LINE:COL: what is wrong), 130 Ctrl-C\n"
          "(the searches are cancelled and the sandbox removed).\n",
          f);
}

static void usage_learn(FILE *f)
{
    fputs("usage: symscope learn               the built-in lessons\n"
          "       symscope learn N [OPTIONS]    open lesson N (or check it)\n"
          "  One lesson per rule of the symbol path documentation, each a scenario with a\n"
          "  text beside the panes (i toggles it) and questions.\n\n" SCN_OPTIONS_HELP,
          f);
}

static const struct option scn_opts[] = {COMMON_LONG_OPTIONS,
                                         {"theme", required_argument, NULL, OPT_THEME},
                                         {"color", required_argument, NULL, OPT_COLOR},
                                         {"no-mouse", no_argument, NULL, OPT_NO_MOUSE},
                                         {"step", no_argument, NULL, OPT_STEP},
                                         {"check", no_argument, NULL, OPT_CHECK},
                                         {"dry-run", no_argument, NULL, OPT_DRY_RUN},
                                         {"sandbox", required_argument, NULL, OPT_SANDBOX},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};

/* ---- answers ---- */

typedef struct answer {
    bool loaded;
    int element;
    const char *path; /* the winner's local file, NULL when none */
    const char *result, *symbols, *step;
    long attempts, count;
    bool exists;
    char saw[256]; /* the outcomes of the last search's attempts, each once */
} answer;

/* The session's module for a scenario module: the last one loaded from its image (or key). */
static const sym_module_info *session_module(const sym_session *s, const scn_module *m)
{
    const sym_module_info *found = NULL;
    char stem[256];
    const char *base = m->as_key ? m->pdb : strrchr(m->image, '/');
    snprintf(stem, sizeof stem, "%s", base ? (base[0] == '/' ? base + 1 : base) : m->name);
    char *dot = strrchr(stem, '.');
    if (dot && dot != stem)
        *dot = '\0';
    for (size_t i = 0; i < sym_session_module_count(s); i++) {
        const sym_module_info *mi = sym_session_module(s, i);
        if (mi->state == SYM_MOD_UNLOADED)
            continue;
        if ((!m->as_key && mi->image && strcmp(mi->image, m->arg) == 0) ||
            strcasecmp(mi->name, stem) == 0)
            found = mi;
    }
    return found;
}

static const scn_module *scenario_module(const scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->n_modules; i++)
        if (strcasecmp(sc->modules[i].name, name) == 0)
            return &sc->modules[i];
    return NULL;
}

static bool saw_has(const char *saw, const char *o)
{
    size_t k = strlen(o);
    for (const char *p = strstr(saw, o); p; p = strstr(p + 1, o))
        if ((p == saw || p[-1] == ' ') && (p[k] == ' ' || p[k] == '\0'))
            return true;
    return false;
}

static answer module_answer(const sym_session *s, const sym_module_info *mi)
{
    answer a = {0};
    a.element = -1;
    a.result = "not-loaded";
    if (!mi)
        return a;
    a.loaded = true;
    a.element = mi->element;
    a.result = module_status(mi);
    a.symbols = sym_symclass_name(mi->symbols);
    a.path = mi->file;
    a.step = mi->file ? sym_step_name(mi->step) : "none";
    a.attempts = (long)sym_session_attempt_count(s, mi->base);
    size_t n = 0;
    for (long i = 0; i < a.attempts; i++) {
        const char *o = sym_outcome_name(sym_session_attempt(s, mi->base, (size_t)i)->outcome);
        if (!saw_has(a.saw, o) && n + strlen(o) + 2 < sizeof a.saw)
            n += (size_t)snprintf(a.saw + n, sizeof a.saw - n, "%s%s", n ? " " : "", o);
    }
    return a;
}

/* A path shown relative to the sandbox when it is inside. */
static const char *shown_path(const sandbox *sb, const char *path)
{
    size_t n = strlen(sandbox_dir(sb));
    if (path && strncmp(path, sandbox_dir(sb), n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

static bool suffix_matches(const char *path, const char *suffix)
{
    if (!path)
        return false;
    size_t n = strlen(path), k = strlen(suffix);
    return k <= n && strcmp(path + n - k, suffix) == 0 && (k == n || path[n - k - 1] == '/');
}

typedef struct checker {
    const scenario *sc;
    const sandbox *sb;
    sym_session *s;
    sym_profile profile;
    bool dry_run, json;
    json_object *questions, *modules;
    int n_asked, n_wrong, n_unchecked;
} checker;

static void element_text(int e, char *out, size_t n)
{
    if (e >= 0)
        snprintf(out, n, "%d", e);
    else
        snprintf(out, n, "none");
}

/* One question: the answer found, and whether it is the one expected. */
static void ask(checker *c, const scn_step *st)
{
    const scn_expect *x = &st->expect[c->profile];
    answer a = {0};
    json_object *ans = json_object_new_object(), *exp = json_object_new_object();
    json_object *wrong = json_object_new_array();
    char text[2048] = "", want[2048] = "", el[16];
    size_t t = 0, w = 0;
    bool unchecked = false;
    if (st->about == SCN_ABOUT_MODULE) {
        const scn_module *m = scenario_module(c->sc, st->module);
        a = module_answer(c->s, m ? session_module(c->s, m) : NULL);
        element_text(a.element, el, sizeof el);
        const char *p = a.path ? shown_path(c->sb, a.path) : NULL;
        if (a.loaded)
            t += (size_t)snprintf(
                text + t, sizeof text - t, "element %s, %s, %s, %s, %ld attempts, step %s; saw %s",
                el, p ? p : "no file", a.result, a.symbols, a.attempts, a.step, a.saw);
        else
            snprintf(text, sizeof text, "%s is not loaded", st->module);
        json_object_object_add(ans, "element",
                               a.element >= 0 ? json_object_new_int(a.element) : NULL);
        json_add_text(ans, "path", p);
        json_add_text(ans, "result", a.result);
        json_add_text(ans, "symbols", a.symbols);
        json_object_object_add(ans, "attempts",
                               a.loaded ? json_object_new_int64(a.attempts) : NULL);
        json_add_text(ans, "step", a.step);
        json_add_text(ans, "saw", a.loaded ? a.saw : NULL);
    } else if (st->about == SCN_ABOUT_FILE) {
        char *path = sandbox_path(c->sb, st->file);
        struct stat sst;
        a.exists = path && lstat(path, &sst) == 0;
        free(path);
        snprintf(text, sizeof text, "%s %s", st->file, a.exists ? "exists" : "does not exist");
        json_object_object_add(ans, "exists", json_object_new_boolean(a.exists));
        /* A dry run writes nothing: what would be on disk is not there to look at. */
        unchecked = c->dry_run;
    } else {
        a.count = 0;
        for (size_t i = 0; i < sym_session_module_count(c->s); i++)
            a.count += sym_session_module(c->s, i)->state != SYM_MOD_UNLOADED;
        snprintf(text, sizeof text, "%ld module%s loaded", a.count, a.count == 1 ? "" : "s");
        json_object_object_add(ans, "count", json_object_new_int64(a.count));
    }
#define WANT(bit, name, ok, fmt, ...)                                                              \
    if (x->fields & (bit)) {                                                                       \
        w += (size_t)snprintf(want + w, sizeof want - w, "%s" fmt, w ? ", " : "", __VA_ARGS__);    \
        if (!(ok))                                                                                 \
            json_object_array_add(wrong, json_object_new_string(name));                            \
    }
    char xel[16];
    element_text(x->element, xel, sizeof xel);
    WANT(SCN_X_ELEMENT, "element", a.loaded && a.element == x->element, "element %s", xel)
    WANT(SCN_X_PATH, "path", suffix_matches(a.path, x->path), "path .../%s", x->path)
    WANT(SCN_X_RESULT, "result", strcmp(a.result ? a.result : "", x->result) == 0, "%s", x->result)
    WANT(SCN_X_SYMBOLS, "symbols", a.symbols && strcmp(a.symbols, x->symbols) == 0, "%s",
         x->symbols)
    WANT(SCN_X_ATTEMPTS, "attempts", a.loaded && a.attempts == x->attempts, "%ld attempts",
         x->attempts)
    WANT(SCN_X_STEP, "step", a.step && strcmp(a.step, x->step) == 0, "step %s", x->step)
    WANT(SCN_X_SAW, "saw", a.loaded && saw_has(a.saw, x->saw), "saw %s", x->saw)
    WANT(SCN_X_EXISTS, "exists", a.exists == x->exists, "%s", x->exists ? "exists" : "absent")
    WANT(SCN_X_COUNT, "count", a.count == x->count, "%ld loaded", x->count)
#undef WANT
    if (x->fields & SCN_X_ELEMENT)
        json_object_object_add(exp, "element",
                               x->element >= 0 ? json_object_new_int(x->element) : NULL);
    if (x->fields & SCN_X_PATH)
        json_add_text(exp, "path", x->path);
    if (x->fields & SCN_X_RESULT)
        json_add_text(exp, "result", x->result);
    if (x->fields & SCN_X_SYMBOLS)
        json_add_text(exp, "symbols", x->symbols);
    if (x->fields & SCN_X_ATTEMPTS)
        json_object_object_add(exp, "attempts", json_object_new_int64(x->attempts));
    if (x->fields & SCN_X_STEP)
        json_add_text(exp, "step", x->step);
    if (x->fields & SCN_X_SAW)
        json_add_text(exp, "saw", x->saw);
    if (x->fields & SCN_X_EXISTS)
        json_object_object_add(exp, "exists", json_object_new_boolean(x->exists));
    if (x->fields & SCN_X_COUNT)
        json_object_object_add(exp, "count", json_object_new_int64(x->count));
    c->n_asked++;
    bool expected = x->fields != 0;
    bool ok = json_object_array_length(wrong) == 0;
    if (expected && unchecked)
        c->n_unchecked++;
    else if (expected && !ok)
        c->n_wrong++;
    json_object *q = json_object_new_object();
    json_object_object_add(q, "n", json_object_new_int(c->n_asked));
    json_add_text(q, "ask", st->ask);
    json_object_object_add(q, "answer", ans);
    json_object_object_add(q, "expected", expected ? exp : NULL);
    if (!expected)
        json_object_put(exp);
    json_object_object_add(q, "ok", expected && !unchecked ? json_object_new_boolean(ok) : NULL);
    json_object_object_add(q, "wrong", wrong);
    json_object_array_add(c->questions, q);
    if (c->json)
        return;
    out_line(stdout, "%d. %s", c->n_asked, st->ask);
    out_line(stdout, "   answer:   %s", text);
    if (expected)
        out_line(stdout, "   expected: %s  -> %s", want,
                 unchecked ? "not checked (dry run: nothing is written to look at)"
                 : ok      ? "ok"
                           : "WRONG");
}

static void module_table(checker *c)
{
    sym_session *s = c->s;
    if (!c->json)
        out_line(stdout, "%-14s %-10s %-24s %-7s %-8s %s", "module", "result", "symbols", "element",
                 "attempts", "winner");
    for (size_t i = 0; i < sym_session_module_count(s); i++) {
        const sym_module_info *mi = sym_session_module(s, i);
        answer a = module_answer(s, mi);
        char el[16];
        element_text(a.element, el, sizeof el);
        const char *p = a.path ? shown_path(c->sb, a.path) : NULL;
        json_object *o = json_object_new_object();
        json_add_text(o, "name", mi->name);
        json_add_text(o, "result", a.result);
        json_add_text(o, "symbols", a.symbols);
        json_object_object_add(o, "element",
                               a.element >= 0 ? json_object_new_int(a.element) : NULL);
        json_object_object_add(o, "attempts", json_object_new_int64(a.attempts));
        json_add_text(o, "winner", p);
        json_object_array_add(c->modules, o);
        if (!c->json)
            out_line(stdout, "%-14s %-10s %-24s %-7s %-8ld %s", mi->name, a.result, a.symbols, el,
                     a.attempts, p ? p : "-");
    }
}

static const sym_module_info *step_module(checker *c, const scn_step *st, char *err, size_t n)
{
    const scn_module *m = scenario_module(c->sc, st->module);
    const sym_module_info *mi = m ? session_module(c->s, m) : NULL;
    if (!mi)
        snprintf(err, n, "%s is not loaded", st->module);
    return mi;
}

/* An action of the steps; a failure is said and the run goes on (it is an answer too). */
static void act(checker *c, const scn_step *st, const common_opts *o)
{
    sym_error err = {0};
    char why[512] = "";
    const char *what = "";
    sym_status rc = SYM_OK;
    const sym_module_info *mi;
    switch (st->kind) {
    case SCN_LOAD: {
        const scn_module *m = scenario_module(c->sc, st->module);
        size_t n;
        what = "load";
        rc = sym_session_load(c->s, m->arg, &n, &err);
        break;
    }
    case SCN_UNLOAD:
        what = "unload";
        if ((mi = step_module(c, st, why, sizeof why)))
            rc = sym_session_unload(c->s, mi->base, &err);
        break;
    case SCN_RELOAD:
        what = "reload";
        if ((mi = step_module(c, st, why, sizeof why)))
            rc = sym_session_load_symbols(c->s, mi->base, &err);
        break;
    case SCN_FORCE:
        what = "force";
        if ((mi = step_module(c, st, why, sizeof why)))
            rc = sym_session_force_load(c->s, mi->base, &err);
        break;
    case SCN_CLEANUP:
        what = "cleanup (SymCleanup)";
        rc = sym_session_cleanup(c->s, &err);
        break;
    case SCN_INITIALIZE:
        what = "initialize (SymInitialize)";
        rc = sym_session_initialize(c->s, o->sympath, &err);
        break;
    case SCN_ASK:
        return;
    }
    if (rc != SYM_OK)
        snprintf(why, sizeof why, "%s", err.message);
    if (!c->json)
        out_line(stdout, "-- %s%s%s%s", what, st->module ? " " : "", st->module ? st->module : "",
                 why[0] ? ": " : "");
    if (!c->json && why[0])
        out_line(stdout, "   %s", why);
}

static int run_check(const scenario *sc, const char *title, const sandbox *sb, common_opts *o,
                     bool keep)
{
    sym_session *s = common_opts_session(o);
    if (!s)
        return EXIT_USAGE;
    checker c = {.sc = sc,
                 .sb = sb,
                 .s = s,
                 .profile = sym_session_profile(s),
                 .dry_run = o->options[SYM_OPT_DRY_RUN],
                 .json = o->json,
                 .questions = json_object_new_array(),
                 .modules = json_object_new_array()};
    if (!c.json) {
        char opts[256] = "";
        size_t n = 0;
        for (int i = 0; i < SYM_OPTION_COUNT; i++)
            if (o->options[i] && n < sizeof opts - 40)
                n += (size_t)snprintf(opts + n, sizeof opts - n, "%s%s", n ? "," : "",
                                      sym_option_name((sym_option)i));
        out_line(stdout, "%s", title);
        out_line(stdout, "profile: %s  options: %s  sandbox: %s (%s)", sym_profile_name(c.profile),
                 n ? opts : "none", sandbox_dir(sb), keep ? "kept" : "removed on exit");
        out_line(stdout, "path: %s", sym_session_get_path(s) ? sym_session_get_path(s) : "");
        out_line(stdout, "%s", "");
    }
    interrupt intr;
    bool watching = interrupt_start(&intr, s);
    for (size_t i = 0; i < sc->n_modules && !(watching && interrupt_hit(&intr)); i++) {
        const scn_module *m = &sc->modules[i];
        if (!m->load)
            continue;
        sym_error err;
        size_t n;
        if (sym_session_load(s, m->arg, &n, &err) != SYM_OK && !c.json)
            out_line(stdout, "-- load %s: %s", m->name, err.message);
    }
    module_table(&c);
    if (!c.json)
        out_line(stdout, "%s", "");
    for (size_t i = 0; i < sc->n_steps && !(watching && interrupt_hit(&intr)); i++) {
        if (sc->steps[i].kind == SCN_ASK)
            ask(&c, &sc->steps[i]);
        else
            act(&c, &sc->steps[i], o);
    }
    if (c.json) {
        json_object *top = json_object_new_object();
        json_add_text(top, "title", title);
        json_add_text(top, "profile", sym_profile_name(c.profile));
        json_object_object_add(top, "dry_run", json_object_new_boolean(c.dry_run));
        json_add_text(top, "sandbox", sandbox_dir(sb));
        json_object_object_add(top, "modules", c.modules);
        json_object_object_add(top, "questions", c.questions);
        json_object_object_add(top, "wrong", json_object_new_int(c.n_wrong));
        printf("%s\n", json_object_to_json_string_ext(top, JSON_C_TO_STRING_PLAIN |
                                                               JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(top);
    } else {
        out_line(stdout, "%s", "");
        out_line(stdout, "%d question%s: %d as expected, %d wrong, %d not checked", c.n_asked,
                 c.n_asked == 1 ? "" : "s", c.n_asked - c.n_wrong - c.n_unchecked, c.n_wrong,
                 c.n_unchecked);
        if (c.dry_run && c.n_wrong)
            out_line(stdout, "%s",
                     "a dry run copies nothing: answers that depend on a copy (a file opened "
                     "from a downstream store or a cache) differ from the expected ones");
        json_object_put(c.modules);
        json_object_put(c.questions);
    }
    bool interrupted = watching && interrupt_hit(&intr);
    if (watching)
        interrupt_stop(&intr);
    if (interrupted && !c.json)
        out_line(stdout, "%s", "interrupted (Ctrl-C): the questions after it were not asked");
    sym_session_free(s);
    /* The sandbox is removed by the caller, as after any run. */
    return interrupted ? 130 : c.n_wrong ? 1 : 0;
}

/* ---- running a scenario ---- */

static int run_scenario(scenario *sc, const char *title, common_opts *o, const scn_flags *f)
{
    char err[1024];
    if (!f->check && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
        fprintf(stderr, "symscope: the terminal UI needs a terminal (--check runs the scenario "
                        "without it)\n");
        return EXIT_USAGE;
    }
    struct stat st;
    bool reuse = f->sandbox_dir && lstat(f->sandbox_dir, &st) == 0;
    sandbox *sb = reuse ? sandbox_reuse(f->sandbox_dir, err, sizeof err)
                        : sandbox_create("symscope-scenario", f->sandbox_dir, err, sizeof err);
    if (!sb) {
        fprintf(stderr, "symscope: %s\n", err);
        return EXIT_USAGE;
    }
    bool keep = f->sandbox_dir != NULL;
    static const char marker[] = "a sandbox built by symscope from a scenario, kept\n";
    if (keep && !reuse &&
        !sandbox_put(sb, SANDBOX_MARKER, marker, sizeof marker - 1, err, sizeof err)) {
        fprintf(stderr, "symscope: %s\n", err);
        sandbox_free(sb, keep);
        return EXIT_USAGE;
    }
    if (!scenario_build(sc, sb, reuse, err, sizeof err)) {
        fprintf(stderr, "symscope: %s\n", err);
        sandbox_free(sb, keep);
        return EXIT_USAGE;
    }
    /* The scenario's world, with the command line's profile and options on top. */
    if (!o->have_profile && sc->have_profile) {
        o->have_profile = true;
        o->profile = sc->profile;
    }
    for (int i = 0; i < SYM_OPTION_COUNT; i++)
        o->options[i] = o->options[i] || sc->options[i];
    if (f->dry_run)
        o->options[SYM_OPT_DRY_RUN] = true;
    if (!o->sympath && sc->x_sympath)
        o->sympath = strdup(sc->x_sympath);
    free(o->home);
    o->home = sandbox_path(sb, sc->home);
    for (size_t i = 0; i < sc->n_maps; i++) {
        char *dir = sandbox_path(sb, sc->maps[i].b);
        char *arg = dir ? malloc(strlen(sc->maps[i].a) + strlen(dir) + 2) : NULL;
        if (arg) {
            sprintf(arg, "%s=%s", sc->maps[i].a, dir);
            common_opts_handle(o, OPT_MAP, arg);
        }
        free(arg);
        free(dir);
    }
    /* The session's environment is the scenario's: its variables, or none. */
    o->set_env = true;
    o->env_symbol_path = sc->x_nt ? strdup(sc->x_nt) : NULL;
    o->env_alt_symbol_path = sc->x_alt ? strdup(sc->x_alt) : NULL;
    /* Relative names (the current directory, ".") mean the sandbox, wherever symscope ran. */
    int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (chdir(sandbox_dir(sb)) != 0) {
        fprintf(stderr, "symscope: %s: %s\n", sandbox_dir(sb), strerror(errno));
        if (here >= 0)
            close(here);
        sandbox_free(sb, keep);
        return EXIT_USAGE;
    }
    int rc;
    if (f->check) {
        rc = run_check(sc, title, sb, o, keep);
    } else {
        const char **mods = calloc(sc->n_modules ? sc->n_modules : 1, sizeof *mods);
        size_t n = 0;
        for (size_t i = 0; mods && i < sc->n_modules; i++)
            if (sc->modules[i].load)
                mods[n++] = sc->modules[i].arg;
        ui_start start = {
            .mouse = f->mouse, .step = f->step, .side_title = title, .side_text = sc->text};
        rc = mods ? ui_open(o, mods, n, &start) : EXIT_USAGE;
        free(mods);
    }
    if (here >= 0) {
        if (fchdir(here) != 0)
            (void)chdir("/");
        close(here);
    } else {
        (void)chdir("/");
    }
    sandbox_free(sb, keep);
    return rc;
}

static int parse_args(int argc, char **argv, common_opts *o, scn_flags *f, void (*usage)(FILE *f))
{
    common_opts_init(o);
    f->mouse = true;
    int rc = common_opts_parse(o, argc, argv, scn_opts, usage, scn_option, f);
    if (rc == 0 && o->json && !f->check) {
        fprintf(stderr, "symscope: --json goes with --check\n");
        rc = EXIT_USAGE;
    }
    return rc;
}

int cmd_scenario(int argc, char **argv)
{
    common_opts o;
    scn_flags f = {0};
    int rc = parse_args(argc, argv, &o, &f, usage_scenario);
    if (rc == 0 && optind != argc - 1) {
        fprintf(stderr, "symscope scenario: %s\n",
                optind >= argc ? "no FILE given" : "one FILE at a time");
        usage_scenario(stderr);
        rc = EXIT_USAGE;
    }
    if (rc != 0) {
        common_opts_free(&o);
        return rc == 1 ? 0 : rc;
    }
    char err[1024];
    scenario *sc = scenario_load(argv[optind], err, sizeof err);
    if (!sc) {
        fprintf(stderr, "symscope: %s\n", err);
        common_opts_free(&o);
        return EXIT_USAGE;
    }
    rc = run_scenario(sc, sc->title, &o, &f);
    scenario_free(sc);
    common_opts_free(&o);
    return rc;
}

static scenario *lesson(size_t n, char *err, size_t err_size)
{
    const char *name;
    const char *text = scenario_lesson_text(n, &name);
    char file[256];
    snprintf(file, sizeof file, "lessons/%s.yaml", name);
    return scenario_parse(text, strlen(text), file, NULL, err, err_size);
}

int cmd_learn(int argc, char **argv)
{
    common_opts o;
    scn_flags f = {0};
    int rc = parse_args(argc, argv, &o, &f, usage_learn);
    if (rc != 0) {
        common_opts_free(&o);
        return rc == 1 ? 0 : rc;
    }
    size_t count = scenario_lesson_count();
    if (optind == argc) {
        char err[1024];
        printf("Lessons (symscope learn N opens one; --check runs it without the UI):\n");
        for (size_t i = 1; i <= count; i++) {
            scenario *sc = lesson(i, err, sizeof err);
            if (!sc) {
                fprintf(stderr, "symscope: %s\n", err);
                rc = EXIT_USAGE;
                continue;
            }
            out_line(stdout, "%3zu  %s", i, sc->title);
            if (sc->summary)
                out_line(stdout, "     %s", sc->summary);
            scenario_free(sc);
        }
        common_opts_free(&o);
        return rc;
    }
    char *end;
    long n = strtol(argv[optind], &end, 10);
    if (*end || n < 1 || (size_t)n > count || optind != argc - 1) {
        fprintf(stderr, "symscope learn: %s: expected one lesson number from 1 to %zu\n",
                argv[optind], count);
        common_opts_free(&o);
        return EXIT_USAGE;
    }
    char err[1024];
    scenario *sc = lesson((size_t)n, err, sizeof err);
    if (!sc) {
        fprintf(stderr, "symscope: %s\n", err);
        common_opts_free(&o);
        return EXIT_USAGE;
    }
    char title[512];
    snprintf(title, sizeof title, "Lesson %ld: %s", n, sc->title);
    rc = run_scenario(sc, title, &o, &f);
    scenario_free(sc);
    common_opts_free(&o);
    return rc;
}
