/* Scenario files: a small world of symbol files, the symbol path over it, the modules to load
 * and questions with the answers expected. Names in a scenario are relative to its sandbox
 * and are not trusted: an absolute name, a drive, a backslash or a `..` is refused.
 *
 *   title: Standard element sub-directories      # a string
 *   summary: D, D\<ext>, D\symbols\<ext>         # one line (symscope learn's list)
 *   text: |                                      # shown beside the panes (i toggles it)
 *     What to watch, which keys to press.
 *   profile: native                              # native, documented or wine8 (--profile wins)
 *   options: [load_anything]                     # SYMOPT names (-o adds more)
 *   sympath: 'C:\old;${sandbox}/plain'           # ${sandbox}, ${url} and ${key:NAME} expand
 *   env:                                         # the session's environment; unset otherwise
 *     _NT_SYMBOL_PATH: '${sandbox}/nt'
 *     _NT_ALT_SYMBOL_PATH: '${sandbox}/alt'
 *   map: {'C:': c}                               # drive or share -> sandbox directory
 *   home: home                                   # the home directory (default: home); the
 *                                                # default downstream store is home/sym
 *   serve: http                                  # this directory is served at ${url}
 *   dirs: [plain, cache]                         # empty directories
 *   stores:                                      # symbol stores
 *     - {dir: store2, tiers: 2, pingme: true}    # tiers 1 (default) or 2 (index2.txt)
 *   files:                                       # other files: from an embedded fixture, a
 *     - {path: c/old/app.pdb, from: variant/app.pdb}  # real file (file: PATH) or text
 *     - {path: notes.txt, text: "hello"}
 *   modules:
 *     - image: images/app.exe                    # where the image goes
 *       from: app.exe                            # embedded (or file: PATH, a real image)
 *       pdb: app.pdb                             # the PDB's name (default: pdb_from's)
 *       pdb_from: app.pdb                        # embedded (or pdb_file: PATH)
 *       age: 2                                   # a new identity (GUID from the name);
 *                                                # default: the PDB's own
 *       cv: 'C:\build\app.pdb'                   # the image's CodeView path (embedded images:
 *                                                # default C:\build\<pdb>)
 *       load: true                               # false: only a step loads it
 *       key: false                               # true: loaded as <pdb>/<KEY>, no image
 *       name: app                                # default: the image's (or PDB's) base name
 *       place:                                   # copies of the PDB
 *         - plain/symbols/exe/app.pdb            # at a path
 *         - {path: c/old/app.pdb, mismatch: true}  # another identity there
 *         - {store: store2}                      # in a store, under its key
 *         - {store: store2, compressed: true}    # as .pd_ (the embedded hello.pd_ only)
 *         - {store: store2, pointer: builds/app.pdb}  # file.ptr to the PDB put there
 *   questions:                                   # asked once the modules are loaded
 *     - ask: Which file wins for app?
 *       module: app                              # or file: REL (exists?), or session: modules
 *       expect:                                  # any of: element (a number or none), path
 *         element: 1                             # (a suffix of the winner's file), result
 *         path: plain/symbols/exe/app.pdb        # (found, not-found, unmatched, not-loaded),
 *         native: {attempts: 5}                  # symbols, attempts, step, saw (an outcome
 *                                                # some attempt had: mismatch, copied, ...),
 *                                                # exists, count; under a profile's name:
 *                                                # for that profile only
 *   steps:                                       # then, in order:
 *     - unload: app                              # SymUnloadModule
 *     - reload: app                              # search again
 *     - force: app                               # search again taking a mismatch (.reload /i)
 *     - load: app                                # load a module (one with load: false)
 *     - cleanup: true                            # SymCleanup
 *     - initialize: true                         # SymInitialize again, with the path
 *     - {ask: ..., file: 'cache/app.pdb/${key:app}/app.pdb', expect: {exists: true}}
 *
 * Every error names FILE:LINE:COL and what is wrong. */
#include "text_buf.h"
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

struct lesson_builtin {
    const char *name;
    const char *text;
};
extern const struct lesson_builtin lesson_builtins[];
extern const size_t lesson_builtin_count;

typedef struct parser {
    const char *name;
    const char *base_dir;
    yaml_document_t doc;
    char *err;
    size_t err_size;
    scenario *sc;
} parser;

static scn_pos pos_of(const yaml_node_t *n)
{
    return (scn_pos){n->start_mark.line + 1, n->start_mark.column + 1};
}

__attribute__((format(printf, 4, 5))) static bool fail_at(parser *p, scn_pos at, bool dummy,
                                                          const char *fmt, ...)
{
    (void)dummy;
    char what[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(p->err, p->err_size, "%s:%zu:%zu: %s", p->name, at.line, at.col, what);
    return false;
}
#define FAIL(p, node, ...) fail_at(p, pos_of(node), false, __VA_ARGS__)

static yaml_node_t *node(parser *p, int id)
{
    return yaml_document_get_node(&p->doc, id);
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static const char *type_name(const yaml_node_t *n)
{
    return n->type == YAML_MAPPING_NODE    ? "a mapping"
           : n->type == YAML_SEQUENCE_NODE ? "a list"
                                           : "a string";
}

static bool get_str(parser *p, yaml_node_t *v, const char *key, char **out)
{
    if (!scalar(v))
        return FAIL(p, v, "'%s' must be a string, not %s", key, type_name(v));
    free(*out);
    *out = strdup(scalar(v));
    return *out != NULL;
}

static bool get_bool(parser *p, yaml_node_t *v, const char *key, bool *out)
{
    const char *s = scalar(v);
    if (!s || (strcmp(s, "true") && strcmp(s, "false")))
        return FAIL(p, v, "'%s' must be true or false", key);
    *out = strcmp(s, "true") == 0;
    return true;
}

static bool get_long(parser *p, yaml_node_t *v, const char *key, long lo, long hi, long *out)
{
    const char *s = scalar(v);
    char *end = NULL;
    long n = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || n < lo || n > hi)
        return FAIL(p, v, "'%s' must be a whole number from %ld to %ld", key, lo, hi);
    *out = n;
    return true;
}

/* A sandbox-relative name. */
static bool get_rel(parser *p, yaml_node_t *v, const char *key, char **out)
{
    if (!get_str(p, v, key, out))
        return false;
    char why[512];
    /* ${key:NAME} is expanded later; the rest must be a plain relative name now. */
    if (!sandbox_rel_ok(*out, why, sizeof why))
        return FAIL(p, v, "%s: %s", key, why);
    return true;
}

/* A real file, named from the scenario's directory: it must be a readable regular file. */
static bool get_real_file(parser *p, yaml_node_t *v, const char *key, char **out)
{
    if (!scalar(v))
        return FAIL(p, v, "'%s' must be a file name", key);
    const char *s = scalar(v);
    char *path = s[0] == '/' || !p->base_dir ? strdup(s) : text_printf("%s/%s", p->base_dir, s);
    struct stat st;
    int rc = path ? stat(path, &st) : -1;
    if (rc != 0 || !S_ISREG(st.st_mode)) {
        bool r = FAIL(p, v, "%s: %s: %s", key, s,
                      !path     ? "out of memory"
                      : rc != 0 ? strerror(errno)
                                : "not a regular file");
        free(path);
        return r;
    }
    free(*out);
    *out = path;
    return true;
}

static bool get_blob(parser *p, yaml_node_t *v, const char *key, char **out)
{
    if (!get_str(p, v, key, out))
        return false;
    if (!sandbox_blob_find(*out)) {
        char names[512];
        sandbox_blob_names(names, sizeof names);
        return FAIL(p, v, "%s: no embedded fixture '%s' (there are: %s)", key, *out, names);
    }
    return true;
}

#define FOR_PAIRS(n, pr)                                                                           \
    for (yaml_node_pair_t *pr = (n)->data.mapping.pairs.start; pr < (n)->data.mapping.pairs.top;   \
         pr++)
#define FOR_ITEMS(n, it)                                                                           \
    for (yaml_node_item_t *it = (n)->data.sequence.items.start; it < (n)->data.sequence.items.top; \
         it++)

static bool want(parser *p, yaml_node_t *v, yaml_node_type_t t, const char *what)
{
    if (v->type == t)
        return true;
    return FAIL(p, v, "%s must be %s, not %s", what,
                t == YAML_MAPPING_NODE    ? "a mapping"
                : t == YAML_SEQUENCE_NODE ? "a list"
                                          : "a string",
                type_name(v));
}

static bool unknown(parser *p, yaml_node_t *k, const char *where, const char *known)
{
    return FAIL(p, k, "unknown key '%s' in %s (known: %s)", scalar(k) ? scalar(k) : "?", where,
                known);
}

static void *grow(void *arr, size_t n, size_t size)
{
    void *m = realloc(arr, (n + 1) * size);
    if (m)
        memset((char *)m + n * size, 0, size);
    return m;
}

/* ---- expectations ---- */

static bool expect_field(parser *p, yaml_node_t *k, yaml_node_t *v, scn_expect *e)
{
    const char *key = scalar(k);
    long n;
    if (strcmp(key, "element") == 0) {
        if (scalar(v) && strcmp(scalar(v), "none") == 0)
            n = -1;
        else if (!get_long(p, v, key, -1, 1000, &n))
            return false;
        e->element = (int)n;
        e->fields |= SCN_X_ELEMENT;
    } else if (strcmp(key, "path") == 0) {
        if (!get_str(p, v, key, &e->path))
            return false;
        e->fields |= SCN_X_PATH;
    } else if (strcmp(key, "result") == 0) {
        if (!get_str(p, v, key, &e->result))
            return false;
        if (strcmp(e->result, "found") && strcmp(e->result, "not-found") &&
            strcmp(e->result, "unmatched") && strcmp(e->result, "not-loaded"))
            return FAIL(p, v, "result is found, not-found, unmatched or not-loaded");
        e->fields |= SCN_X_RESULT;
    } else if (strcmp(key, "symbols") == 0) {
        if (!get_str(p, v, key, &e->symbols))
            return false;
        e->fields |= SCN_X_SYMBOLS;
    } else if (strcmp(key, "step") == 0) {
        if (!get_str(p, v, key, &e->step))
            return false;
        e->fields |= SCN_X_STEP;
    } else if (strcmp(key, "saw") == 0) {
        bool known = false;
        if (!get_str(p, v, key, &e->saw))
            return false;
        for (int i = 0; i < SYM_OUTCOME_COUNT; i++)
            known = known || strcmp(sym_outcome_name((sym_outcome)i), e->saw) == 0;
        if (!known)
            return FAIL(p, v,
                        "'%s' is not an outcome (found, mismatch, not-found, skipped, "
                        "copied, cached, ...)",
                        e->saw);
        e->fields |= SCN_X_SAW;
    } else if (strcmp(key, "attempts") == 0) {
        if (!get_long(p, v, key, 0, 100000, &e->attempts))
            return false;
        e->fields |= SCN_X_ATTEMPTS;
    } else if (strcmp(key, "count") == 0) {
        if (!get_long(p, v, key, 0, 100000, &e->count))
            return false;
        e->fields |= SCN_X_COUNT;
    } else if (strcmp(key, "exists") == 0) {
        if (!get_bool(p, v, key, &e->exists))
            return false;
        e->fields |= SCN_X_EXISTS;
    } else {
        return unknown(p, k, "expect",
                       "element, path, result, symbols, attempts, step, saw, exists, count, or a "
                       "profile: native, documented, wine8");
    }
    return true;
}

static bool parse_expect(parser *p, yaml_node_t *v, scn_step *q)
{
    if (!want(p, v, YAML_MAPPING_NODE, "'expect'"))
        return false;
    /* Fields for every profile first, then the profiles' own, which win. */
    for (int pass = 0; pass < 2; pass++) {
        FOR_PAIRS(v, pr)
        {
            yaml_node_t *k = node(p, pr->key), *val = node(p, pr->value);
            if (!scalar(k))
                return FAIL(p, k, "a key must be a string");
            sym_profile prof;
            bool is_profile = sym_profile_parse(scalar(k), &prof);
            if (pass == 0 && !is_profile) {
                for (int i = 0; i < SCN_PROFILES; i++)
                    if (!expect_field(p, k, val, &q->expect[i]))
                        return false;
            } else if (pass == 1 && is_profile) {
                if (!want(p, val, YAML_MAPPING_NODE, "a profile's expectations"))
                    return false;
                FOR_PAIRS(val, pr2)
                {
                    yaml_node_t *k2 = node(p, pr2->key), *v2 = node(p, pr2->value);
                    if (!scalar(k2))
                        return FAIL(p, k2, "a key must be a string");
                    if (sym_profile_parse(scalar(k2), &prof))
                        return FAIL(p, k2, "a profile inside a profile");
                    if (!expect_field(p, k2, v2, &q->expect[prof]))
                        return false;
                }
            }
        }
    }
    return true;
}

/* ---- steps and questions ---- */

static bool parse_step(parser *p, yaml_node_t *v, bool question_only)
{
    scenario *sc = p->sc;
    const char *where = question_only ? "a question" : "a step";
    if (!want(p, v, YAML_MAPPING_NODE, question_only ? "a question" : "a step"))
        return false;
    scn_step *arr = grow(sc->steps, sc->n_steps, sizeof *arr);
    if (!arr)
        return false;
    sc->steps = arr;
    scn_step *st = &sc->steps[sc->n_steps++];
    st->pos = pos_of(v);
    st->kind = SCN_ASK;
    for (int i = 0; i < SCN_PROFILES; i++)
        st->expect[i].element = -1;
    bool has_ask = false, has_action = false, has_subject = false;
    FOR_PAIRS(v, pr)
    {
        yaml_node_t *k = node(p, pr->key), *val = node(p, pr->value);
        const char *key = scalar(k);
        if (!key)
            return FAIL(p, k, "a key must be a string");
        bool ok = true;
        if (strcmp(key, "ask") == 0) {
            ok = get_str(p, val, key, &st->ask);
            has_ask = true;
        } else if (strcmp(key, "module") == 0) {
            ok = get_str(p, val, key, &st->module);
            st->about = SCN_ABOUT_MODULE;
            has_subject = true;
        } else if (strcmp(key, "file") == 0) {
            ok = get_rel(p, val, key, &st->file);
            st->about = SCN_ABOUT_FILE;
            has_subject = true;
        } else if (strcmp(key, "session") == 0) {
            if (!scalar(val) || strcmp(scalar(val), "modules") != 0)
                return FAIL(p, val, "'session' asks about 'modules' (how many are loaded)");
            st->about = SCN_ABOUT_SESSION;
            has_subject = true;
        } else if (strcmp(key, "expect") == 0) {
            ok = parse_expect(p, val, st);
        } else if (!question_only && (strcmp(key, "load") == 0 || strcmp(key, "unload") == 0 ||
                                      strcmp(key, "reload") == 0 || strcmp(key, "force") == 0)) {
            ok = get_str(p, val, key, &st->module);
            st->kind = key[0] == 'l'   ? SCN_LOAD
                       : key[0] == 'u' ? SCN_UNLOAD
                       : key[0] == 'f' ? SCN_FORCE
                                       : SCN_RELOAD;
            if (has_action)
                return FAIL(p, k, "one action per step");
            has_action = true;
        } else if (!question_only &&
                   (strcmp(key, "cleanup") == 0 || strcmp(key, "initialize") == 0)) {
            bool yes;
            ok = get_bool(p, val, key, &yes);
            if (ok && !yes)
                return FAIL(p, val, "'%s' is only ever true", key);
            st->kind = key[0] == 'c' ? SCN_CLEANUP : SCN_INITIALIZE;
            if (has_action)
                return FAIL(p, k, "one action per step");
            has_action = true;
        } else {
            return unknown(p, k, where,
                           question_only ? "ask, module, file, session, expect"
                                         : "ask, module, file, session, expect, load, unload, "
                                           "reload, force, cleanup, initialize");
        }
        if (!ok)
            return false;
    }
    if (has_action && (has_ask || has_subject))
        return fail_at(p, st->pos, false, "a step is an action or a question, not both");
    if (!has_action && !has_ask)
        return fail_at(p, st->pos, false, "%s needs 'ask'%s", where,
                       question_only ? ""
                                     : " or an action (load, unload, reload, cleanup, "
                                       "initialize)");
    if (!has_action && !has_subject)
        return fail_at(p, st->pos, false,
                       "a question needs what it is about: module, file or session");
    return true;
}

/* ---- modules ---- */

static bool parse_place(parser *p, yaml_node_t *v, scn_module *m)
{
    scn_place *arr = grow(m->places, m->n_places, sizeof *arr);
    if (!arr)
        return false;
    m->places = arr;
    scn_place *pl = &m->places[m->n_places++];
    pl->pos = pos_of(v);
    if (scalar(v)) {
        pl->kind = SCN_AT_PATH;
        return get_rel(p, v, "place", &pl->path);
    }
    if (!want(p, v, YAML_MAPPING_NODE, "a place"))
        return false;
    bool compressed = false, has_path = false;
    FOR_PAIRS(v, pr)
    {
        yaml_node_t *k = node(p, pr->key), *val = node(p, pr->value);
        const char *key = scalar(k);
        bool ok;
        if (!key)
            return FAIL(p, k, "a key must be a string");
        if (strcmp(key, "path") == 0) {
            ok = get_rel(p, val, key, &pl->path);
            has_path = true;
        } else if (strcmp(key, "store") == 0) {
            ok = get_rel(p, val, key, &pl->store);
        } else if (strcmp(key, "pointer") == 0) {
            ok = get_rel(p, val, key, &pl->path);
            pl->kind = SCN_AT_POINTER;
        } else if (strcmp(key, "compressed") == 0) {
            ok = get_bool(p, val, key, &compressed);
        } else if (strcmp(key, "mismatch") == 0) {
            ok = get_bool(p, val, key, &pl->mismatch);
        } else {
            return unknown(p, k, "a place", "path, store, pointer, compressed, mismatch");
        }
        if (!ok)
            return false;
    }
    if (pl->store && has_path)
        return fail_at(p, pl->pos, false, "a place is a path or a store, not both");
    if (!pl->store && !has_path)
        return fail_at(p, pl->pos, false, "a place needs 'path' or 'store'");
    if (!pl->store && (compressed || pl->kind == SCN_AT_POINTER))
        return fail_at(p, pl->pos, false, "'compressed' and 'pointer' are for a store");
    if (compressed && pl->kind == SCN_AT_POINTER)
        return fail_at(p, pl->pos, false, "a place is compressed or a pointer, not both");
    if (pl->store && pl->kind != SCN_AT_POINTER)
        pl->kind = compressed ? SCN_AT_COMPRESSED : SCN_AT_STORE;
    return true;
}

static char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return strdup(s ? s + 1 : path);
}

static char *stem(const char *name)
{
    char *b = base_name(name);
    char *dot = b ? strrchr(b, '.') : NULL;
    if (dot && dot != b)
        *dot = '\0';
    return b;
}

static bool parse_module(parser *p, yaml_node_t *v)
{
    scenario *sc = p->sc;
    if (!want(p, v, YAML_MAPPING_NODE, "a module"))
        return false;
    scn_module *arr = grow(sc->modules, sc->n_modules, sizeof *arr);
    if (!arr)
        return false;
    sc->modules = arr;
    scn_module *m = &sc->modules[sc->n_modules++];
    m->pos = pos_of(v);
    m->load = true;
    FOR_PAIRS(v, pr)
    {
        yaml_node_t *k = node(p, pr->key), *val = node(p, pr->value);
        const char *key = scalar(k);
        bool ok = true;
        long n;
        if (!key)
            return FAIL(p, k, "a key must be a string");
        if (strcmp(key, "name") == 0)
            ok = get_str(p, val, key, &m->name);
        else if (strcmp(key, "image") == 0)
            ok = get_rel(p, val, key, &m->image);
        else if (strcmp(key, "from") == 0)
            ok = get_blob(p, val, key, &m->from);
        else if (strcmp(key, "file") == 0)
            ok = get_real_file(p, val, key, &m->file);
        else if (strcmp(key, "pdb") == 0) {
            ok = get_str(p, val, key, &m->pdb);
            char why[256];
            if (ok && (strchr(m->pdb, '/') || !sandbox_rel_ok(m->pdb, why, sizeof why)))
                return FAIL(p, val, "'pdb' is a file name (no directories)");
        } else if (strcmp(key, "pdb_from") == 0)
            ok = get_blob(p, val, key, &m->pdb_from);
        else if (strcmp(key, "pdb_file") == 0)
            ok = get_real_file(p, val, key, &m->pdb_file);
        else if (strcmp(key, "age") == 0) {
            ok = get_long(p, val, key, 1, 0xFFFF, &n);
            m->age = (unsigned)n;
        } else if (strcmp(key, "cv") == 0)
            ok = get_str(p, val, key, &m->cv);
        else if (strcmp(key, "load") == 0)
            ok = get_bool(p, val, key, &m->load);
        else if (strcmp(key, "key") == 0)
            ok = get_bool(p, val, key, &m->as_key);
        else if (strcmp(key, "place") == 0) {
            if (!want(p, val, YAML_SEQUENCE_NODE, "'place'"))
                return false;
            FOR_ITEMS(val, it)
            if (!parse_place(p, node(p, *it), m))
                return false;
        } else
            return unknown(p, k, "a module",
                           "name, image, from, file, pdb, pdb_from, pdb_file, age, cv, load, key, "
                           "place");
        if (!ok)
            return false;
    }
    if (m->from && m->file)
        return fail_at(p, m->pos, false, "a module's image is 'from' or 'file', not both");
    if (m->pdb_from && m->pdb_file)
        return fail_at(p, m->pos, false, "a module's PDB is 'pdb_from' or 'pdb_file', not both");
    if (m->as_key && (m->image || m->from || m->file))
        return fail_at(p, m->pos, false, "a module loaded by key has no image");
    if (!m->as_key && !m->image)
        return fail_at(p, m->pos, false, "a module needs 'image' (where it goes) or 'key: true'");
    if (!m->as_key && !m->from && !m->file)
        return fail_at(p, m->pos, false, "a module needs 'from' (an embedded image) or 'file'");
    if (!m->pdb && (m->pdb_from || m->pdb_file))
        m->pdb = base_name(m->pdb_from ? m->pdb_from : m->pdb_file);
    if ((m->n_places || m->as_key || m->age) && !m->pdb_from && !m->pdb_file)
        return fail_at(p, m->pos, false,
                       "a module with places, an age or a key needs its PDB: pdb_from or pdb_file");
    if (!m->name)
        m->name = stem(m->image ? m->image : m->pdb);
    for (size_t i = 0; i + 1 < sc->n_modules; i++)
        if (strcasecmp(sc->modules[i].name, m->name) == 0)
            return fail_at(p, m->pos, false, "two modules named '%s' (give one a 'name')", m->name);
    return true;
}

/* ---- the top level ---- */

static bool parse_store(parser *p, yaml_node_t *v)
{
    scenario *sc = p->sc;
    if (!want(p, v, YAML_MAPPING_NODE, "a store"))
        return false;
    scn_kv *arr = grow(sc->stores, sc->n_stores, sizeof *arr);
    bool *pings = arr ? grow(sc->store_pingme, sc->n_stores, sizeof *pings) : NULL;
    if (arr)
        sc->stores = arr;
    if (!arr || !pings)
        return false;
    sc->store_pingme = pings;
    scn_kv *st = &sc->stores[sc->n_stores++];
    st->pos = pos_of(v);
    st->b = strdup("1");
    FOR_PAIRS(v, pr)
    {
        yaml_node_t *k = node(p, pr->key), *val = node(p, pr->value);
        const char *key = scalar(k);
        bool ok;
        long n;
        if (!key)
            return FAIL(p, k, "a key must be a string");
        if (strcmp(key, "dir") == 0)
            ok = get_rel(p, val, key, &st->a);
        else if (strcmp(key, "tiers") == 0) {
            ok = get_long(p, val, key, 1, 2, &n);
            st->b[0] = (char)('0' + n);
        } else if (strcmp(key, "pingme") == 0)
            ok = get_bool(p, val, key, &sc->store_pingme[sc->n_stores - 1]);
        else
            return unknown(p, k, "a store", "dir, tiers, pingme");
        if (!ok)
            return false;
    }
    if (!st->a)
        return fail_at(p, st->pos, false, "a store needs its 'dir'");
    return true;
}

static bool parse_file(parser *p, yaml_node_t *v)
{
    scenario *sc = p->sc;
    if (!want(p, v, YAML_MAPPING_NODE, "a file"))
        return false;
    scn_kv *arr = grow(sc->files, sc->n_files, sizeof *arr);
    char *kinds = arr ? grow(sc->file_kinds, sc->n_files, 1) : NULL;
    if (arr)
        sc->files = arr;
    if (!arr || !kinds)
        return false;
    sc->file_kinds = kinds;
    size_t i = sc->n_files++;
    scn_kv *f = &sc->files[i];
    f->pos = pos_of(v);
    FOR_PAIRS(v, pr)
    {
        yaml_node_t *k = node(p, pr->key), *val = node(p, pr->value);
        const char *key = scalar(k);
        bool ok;
        if (!key)
            return FAIL(p, k, "a key must be a string");
        if (strcmp(key, "path") == 0) {
            ok = get_rel(p, val, key, &f->a);
        } else if (strcmp(key, "from") == 0 || strcmp(key, "file") == 0 ||
                   strcmp(key, "text") == 0) {
            if (sc->file_kinds[i])
                return FAIL(p, k, "a file is 'from', 'file' or 'text': one of them");
            sc->file_kinds[i] = key[0] == 'f' ? key[1] == 'r' ? 'b' : 'f' : 't';
            ok = key[0] == 't'   ? get_str(p, val, key, &f->b)
                 : key[1] == 'r' ? get_blob(p, val, key, &f->b)
                                 : get_real_file(p, val, key, &f->b);
        } else {
            return unknown(p, k, "a file", "path, from, file, text");
        }
        if (!ok)
            return false;
    }
    if (!f->a || !sc->file_kinds[i])
        return fail_at(p, f->pos, false, "a file needs 'path' and one of 'from', 'file', 'text'");
    return true;
}

static bool parse_list(parser *p, yaml_node_t *v, const char *key,
                       bool (*one)(parser *, yaml_node_t *))
{
    char what[64];
    snprintf(what, sizeof what, "'%s'", key);
    if (!want(p, v, YAML_SEQUENCE_NODE, what))
        return false;
    FOR_ITEMS(v, it)
    if (!one(p, node(p, *it)))
        return false;
    return true;
}

static bool parse_question(parser *p, yaml_node_t *v)
{
    return parse_step(p, v, true);
}

static bool parse_action(parser *p, yaml_node_t *v)
{
    return parse_step(p, v, false);
}

static bool parse_top(parser *p, yaml_node_t *root, yaml_node_t **steps)
{
    scenario *sc = p->sc;
    if (!root)
        return fail_at(p, (scn_pos){1, 1}, false, "the scenario is empty");
    if (root->type != YAML_MAPPING_NODE)
        return FAIL(p, root, "a scenario is a mapping (title:, sympath:, modules:, ...)");
    FOR_PAIRS(root, pr)
    {
        yaml_node_t *k = node(p, pr->key), *v = node(p, pr->value);
        const char *key = scalar(k);
        bool ok = true;
        if (!key)
            return FAIL(p, k, "a key must be a string");
        if (strcmp(key, "title") == 0)
            ok = get_str(p, v, key, &sc->title);
        else if (strcmp(key, "summary") == 0)
            ok = get_str(p, v, key, &sc->summary);
        else if (strcmp(key, "text") == 0)
            ok = get_str(p, v, key, &sc->text);
        else if (strcmp(key, "profile") == 0) {
            if (!scalar(v) || !sym_profile_parse(scalar(v), &sc->profile))
                return FAIL(p, v, "unknown profile '%s' (native, documented or wine8)",
                            scalar(v) ? scalar(v) : type_name(v));
            sc->have_profile = true;
        } else if (strcmp(key, "options") == 0) {
            if (!want(p, v, YAML_SEQUENCE_NODE, "'options'"))
                return false;
            FOR_ITEMS(v, it)
            {
                yaml_node_t *o = node(p, *it);
                sym_option opt;
                if (!scalar(o) || !sym_option_parse(scalar(o), &opt))
                    return FAIL(p, o, "unknown option '%s'", scalar(o) ? scalar(o) : "?");
                sc->options[opt] = true;
            }
        } else if (strcmp(key, "sympath") == 0) {
            ok = get_str(p, v, key, &sc->sympath);
            sc->sympath_pos = pos_of(v);
        } else if (strcmp(key, "env") == 0) {
            if (!want(p, v, YAML_MAPPING_NODE, "'env'"))
                return false;
            FOR_PAIRS(v, pr2)
            {
                yaml_node_t *k2 = node(p, pr2->key), *v2 = node(p, pr2->value);
                const char *name = scalar(k2);
                if (name && strcmp(name, "_NT_SYMBOL_PATH") == 0) {
                    ok = get_str(p, v2, name, &sc->nt_path);
                    sc->nt_pos = pos_of(v2);
                } else if (name && strcmp(name, "_NT_ALT_SYMBOL_PATH") == 0) {
                    ok = get_str(p, v2, name, &sc->alt_path);
                    sc->alt_pos = pos_of(v2);
                } else {
                    return unknown(p, k2, "env", "_NT_SYMBOL_PATH, _NT_ALT_SYMBOL_PATH");
                }
                if (!ok)
                    return false;
            }
        } else if (strcmp(key, "map") == 0) {
            if (!want(p, v, YAML_MAPPING_NODE, "'map'"))
                return false;
            FOR_PAIRS(v, pr2)
            {
                yaml_node_t *k2 = node(p, pr2->key), *v2 = node(p, pr2->value);
                if (!scalar(k2))
                    return FAIL(p, k2, "a mapping is 'C:': DIR");
                scn_kv *arr = grow(sc->maps, sc->n_maps, sizeof *arr);
                if (!arr)
                    return false;
                sc->maps = arr;
                scn_kv *m = &sc->maps[sc->n_maps++];
                m->a = strdup(scalar(k2));
                m->pos = pos_of(k2);
                if (!get_rel(p, v2, "map", &m->b))
                    return false;
            }
        } else if (strcmp(key, "home") == 0)
            ok = get_rel(p, v, key, &sc->home);
        else if (strcmp(key, "serve") == 0)
            ok = get_rel(p, v, key, &sc->serve);
        else if (strcmp(key, "dirs") == 0) {
            if (!want(p, v, YAML_SEQUENCE_NODE, "'dirs'"))
                return false;
            FOR_ITEMS(v, it)
            {
                char **arr = grow(sc->dirs, sc->n_dirs, sizeof *arr);
                if (!arr)
                    return false;
                sc->dirs = arr;
                if (!get_rel(p, node(p, *it), "dirs", &sc->dirs[sc->n_dirs++]))
                    return false;
            }
        } else if (strcmp(key, "stores") == 0)
            ok = parse_list(p, v, key, parse_store);
        else if (strcmp(key, "files") == 0)
            ok = parse_list(p, v, key, parse_file);
        else if (strcmp(key, "modules") == 0)
            ok = parse_list(p, v, key, parse_module);
        else if (strcmp(key, "questions") == 0)
            ok = parse_list(p, v, key, parse_question);
        else if (strcmp(key, "steps") == 0)
            *steps = v; /* after the questions, wherever it is written */
        else
            return unknown(p, k, "the scenario",
                           "title, summary, text, profile, options, sympath, env, map, home, "
                           "serve, dirs, stores, files, modules, questions, steps");
        if (!ok)
            return false;
    }
    return true;
}

static const scn_module *find_module(const scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->n_modules; i++)
        if (strcasecmp(sc->modules[i].name, name) == 0)
            return &sc->modules[i];
    return NULL;
}

/* ${sandbox}, ${url}, ${key:NAME}: checked here, expanded when built. */
static bool check_placeholders(parser *p, const char *s, scn_pos at, const char *what)
{
    for (const char *d = s ? strstr(s, "${") : NULL; d; d = strstr(d + 2, "${")) {
        const char *end = strchr(d, '}');
        if (!end)
            return fail_at(p, at, false, "%s: '${' without '}'", what);
        size_t len = (size_t)(end - d - 2);
        if (len == 7 && strncmp(d + 2, "sandbox", 7) == 0)
            continue;
        if (len == 3 && strncmp(d + 2, "url", 3) == 0) {
            if (!p->sc->serve)
                return fail_at(p, at, false, "%s: ${url} but nothing is served (serve: DIR)", what);
            continue;
        }
        if (len > 4 && strncmp(d + 2, "key:", 4) == 0) {
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(len - 4), d + 6);
            const scn_module *m = find_module(p->sc, name);
            if (!m)
                return fail_at(p, at, false, "%s: ${key:%s}: no module named '%s'", what, name,
                               name);
            if (!m->pdb)
                return fail_at(p, at, false, "%s: ${key:%s}: the module has no PDB", what, name);
            continue;
        }
        return fail_at(p, at, false, "%s: unknown ${%.*s} (${sandbox}, ${url}, ${key:NAME})", what,
                       (int)len, d + 2);
    }
    return true;
}

static bool check_refs(parser *p)
{
    scenario *sc = p->sc;
    if (!check_placeholders(p, sc->sympath, sc->sympath_pos, "sympath") ||
        !check_placeholders(p, sc->nt_path, sc->nt_pos, "_NT_SYMBOL_PATH") ||
        !check_placeholders(p, sc->alt_path, sc->alt_pos, "_NT_ALT_SYMBOL_PATH"))
        return false;
    for (size_t i = 0; i < sc->n_files; i++)
        if (!check_placeholders(p, sc->files[i].a, sc->files[i].pos, "path"))
            return false;
    for (size_t i = 0; i < sc->n_steps; i++) {
        scn_step *st = &sc->steps[i];
        if (st->module && !find_module(sc, st->module))
            return fail_at(p, st->pos, false, "no module named '%s' in modules", st->module);
        if (st->file && !check_placeholders(p, st->file, st->pos, "file"))
            return false;
        for (int j = 0; j < SCN_PROFILES; j++)
            if (!check_placeholders(p, st->expect[j].path, st->pos, "path"))
                return false;
        for (int j = 0; j < SCN_PROFILES && st->kind == SCN_ASK; j++) {
            unsigned f = st->expect[j].fields;
            unsigned allowed = st->about == SCN_ABOUT_MODULE ? 0x3F | SCN_X_SAW
                               : st->about == SCN_ABOUT_FILE ? SCN_X_EXISTS
                                                             : SCN_X_COUNT;
            if (f & ~allowed)
                return fail_at(p, st->pos, false, "%s",
                               st->about == SCN_ABOUT_MODULE
                                   ? "a question about a module expects element, path, result, "
                                     "symbols, attempts, step or saw"
                               : st->about == SCN_ABOUT_FILE
                                   ? "a question about a file expects exists"
                                   : "a question about the session expects count");
        }
    }
    for (size_t i = 0; i < sc->n_modules; i++)
        for (size_t j = 0; j < sc->modules[i].n_places; j++) {
            const scn_place *pl = &sc->modules[i].places[j];
            const scn_module *m = &sc->modules[i];
            if (pl->kind == SCN_AT_COMPRESSED) {
                char cab[256];
                snprintf(cab, sizeof cab, "%s", m->pdb_from ? m->pdb_from : "");
                size_t n = strlen(cab);
                if (n)
                    cab[n - 1] = '_';
                if (!m->pdb_from || m->age || strcmp(m->pdb, m->pdb_from) != 0 ||
                    !sandbox_blob_find(cab) || pl->mismatch)
                    return fail_at(p, pl->pos, false,
                                   "compressed: only an embedded PDB's own identity has a "
                                   "compressed form (pdb_from: hello.pdb, no age, no rename)");
            }
        }
    return true;
}

scenario *scenario_parse(const char *text, size_t len, const char *name, const char *base_dir,
                         char *err, size_t err_size)
{
    parser p = {.name = name, .base_dir = base_dir, .err = err, .err_size = err_size};
    err[0] = '\0';
    p.sc = calloc(1, sizeof *p.sc);
    if (!p.sc) {
        snprintf(err, err_size, "%s: out of memory", name);
        return NULL;
    }
    p.sc->file = strdup(name);
    yaml_parser_t yp;
    yaml_parser_initialize(&yp);
    yaml_parser_set_input_string(&yp, (const unsigned char *)text, len);
    if (!yaml_parser_load(&yp, &p.doc)) {
        snprintf(err, err_size, "%s:%zu:%zu: %s", name, yp.problem_mark.line + 1,
                 yp.problem_mark.column + 1, yp.problem ? yp.problem : "bad YAML");
        yaml_parser_delete(&yp);
        scenario_free(p.sc);
        return NULL;
    }
    yaml_node_t *steps = NULL;
    bool ok = parse_top(&p, yaml_document_get_root_node(&p.doc), &steps) &&
              (!steps || parse_list(&p, steps, "steps", parse_action)) && check_refs(&p);
    if (ok && !p.sc->title)
        ok = fail_at(&p, (scn_pos){1, 1}, false, "the scenario needs a 'title'");
    if (ok && !p.sc->home)
        p.sc->home = strdup("home");
    if (!ok && !err[0])
        snprintf(err, err_size, "%s: out of memory", name);
    yaml_document_delete(&p.doc);
    yaml_parser_delete(&yp);
    if (!ok) {
        scenario_free(p.sc);
        return NULL;
    }
    return p.sc;
}

scenario *scenario_load(const char *path, char *err, size_t err_size)
{
    /* O_NONBLOCK, then fstat: a FIFO or a device is refused instead of waited on. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (1 << 20)) {
        snprintf(err, err_size, "%s: cannot read the scenario: %s", path,
                 fd < 0 ? strerror(errno) : "not a regular file of at most 1 MiB");
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    size_t n = (size_t)st.st_size;
    char *text = malloc(n + 1);
    size_t got = 0;
    while (text && got < n) {
        ssize_t r = read(fd, text + got, n - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!text || got != n) {
        snprintf(err, err_size, "%s: cannot read the scenario", path);
        free(text);
        return NULL;
    }
    text[n] = '\0';
    char *dir = strdup(path);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash)
        *slash = '\0';
    scenario *sc = scenario_parse(text, n, path, slash ? dir : NULL, err, err_size);
    free(dir);
    free(text);
    return sc;
}

static void expect_free(scn_expect *e)
{
    free(e->path);
    free(e->result);
    free(e->symbols);
    free(e->step);
    free(e->saw);
}

static void kv_free(scn_kv *kv, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(kv[i].a);
        free(kv[i].b);
    }
    free(kv);
}

void scenario_free(scenario *sc)
{
    if (!sc)
        return;
    free(sc->file);
    free(sc->title);
    free(sc->summary);
    free(sc->text);
    free(sc->sympath);
    free(sc->nt_path);
    free(sc->alt_path);
    kv_free(sc->maps, sc->n_maps);
    free(sc->home);
    free(sc->serve);
    for (size_t i = 0; i < sc->n_dirs; i++)
        free(sc->dirs[i]);
    free(sc->dirs);
    kv_free(sc->stores, sc->n_stores);
    free(sc->store_pingme);
    kv_free(sc->files, sc->n_files);
    free(sc->file_kinds);
    for (size_t i = 0; i < sc->n_modules; i++) {
        scn_module *m = &sc->modules[i];
        free(m->name);
        free(m->image);
        free(m->from);
        free(m->file);
        free(m->pdb);
        free(m->pdb_from);
        free(m->pdb_file);
        free(m->cv);
        free(m->arg);
        for (size_t j = 0; j < m->n_places; j++) {
            free(m->places[j].path);
            free(m->places[j].store);
        }
        free(m->places);
    }
    free(sc->modules);
    for (size_t i = 0; i < sc->n_steps; i++) {
        scn_step *st = &sc->steps[i];
        free(st->module);
        free(st->ask);
        free(st->file);
        for (int j = 0; j < SCN_PROFILES; j++)
            expect_free(&st->expect[j]);
    }
    free(sc->steps);
    free(sc->x_sympath);
    free(sc->x_nt);
    free(sc->x_alt);
    free(sc);
}

/* ---- building ---- */

static char *expand(const scenario *sc, const sandbox *sb, const char *s)
{
    if (!s)
        return NULL;
    size_t cap = strlen(s) + 1, n = 0;
    char *out = malloc(cap);
    while (out && *s) {
        const char *add = NULL;
        size_t add_len = 0, skip = 1;
        if (strncmp(s, "${", 2) == 0 && strchr(s, '}')) {
            const char *end = strchr(s, '}');
            skip = (size_t)(end - s) + 1;
            if (strncmp(s, "${sandbox}", 10) == 0)
                add = sandbox_dir(sb);
            else if (strncmp(s, "${url}", 6) == 0)
                add = sandbox_url(sb) ? sandbox_url(sb) : "";
            else if (strncmp(s, "${key:", 6) == 0) {
                char name[128];
                snprintf(name, sizeof name, "%.*s", (int)(end - s - 6), s + 6);
                const scn_module *m = find_module(sc, name);
                add = m ? m->key : "";
            }
        }
        if (!add) {
            add = s;
            add_len = skip = 1;
        } else {
            add_len = strlen(add);
        }
        if (n + add_len + 1 > cap) {
            cap = (n + add_len + 1) * 2;
            char *m = realloc(out, cap);
            if (!m) {
                free(out);
                return NULL;
            }
            out = m;
        }
        memcpy(out + n, add, add_len);
        n += add_len;
        s += skip;
    }
    if (out)
        out[n] = '\0';
    return out;
}

static bool read_file(const char *path, unsigned char **data, size_t *size, char *err,
                      size_t err_size)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (256 << 20)) {
        snprintf(err, err_size, "%s: cannot read: %s", path,
                 fd < 0 ? strerror(errno) : "not a regular file of at most 256 MiB");
        if (fd >= 0)
            close(fd);
        return false;
    }
    *size = (size_t)st.st_size;
    *data = malloc(*size ? *size : 1);
    size_t got = 0;
    while (*data && got < *size) {
        ssize_t r = read(fd, *data + got, *size - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!*data || got != *size) {
        snprintf(err, err_size, "%s: cannot read it whole", path);
        free(*data);
        *data = NULL;
        return false;
    }
    return true;
}

/* A copy of an embedded blob or of a real file. */
static bool get_bytes(const char *blob, const char *file, unsigned char **data, size_t *size,
                      char *err, size_t err_size)
{
    if (file)
        return read_file(file, data, size, err, err_size);
    const sandbox_blob *b = sandbox_blob_find(blob);
    *data = b ? malloc(b->size) : NULL;
    if (!*data) {
        snprintf(err, err_size, "%s: %s", blob, b ? "out of memory" : "not embedded");
        return false;
    }
    memcpy(*data, b->data, b->size);
    *size = b->size;
    return true;
}

static int store_tiers(const scenario *sc, const char *dir)
{
    for (size_t i = 0; i < sc->n_stores; i++)
        if (strcmp(sc->stores[i].a, dir) == 0)
            return sc->stores[i].b[0] - '0';
    return 1;
}

static char *key_dir(const scenario *sc, const char *store, const char *pdb, const char *key)
{
    if (store_tiers(sc, store) == 2) {
        char tier[3] = {(char)tolower((unsigned char)pdb[0]),
                        (char)(pdb[1] ? tolower((unsigned char)pdb[1]) : 0), '\0'};
        return text_printf("%s/%s/%s/%s", store, tier, pdb, key);
    }
    return text_printf("%s/%s/%s", store, pdb, key);
}

#define BFAIL(sc, at, ...)                                                                         \
    do {                                                                                           \
        char what_[600];                                                                           \
        snprintf(what_, sizeof what_, __VA_ARGS__);                                                \
        snprintf(err, err_size, "%s:%zu:%zu: %s", (sc)->file, (at).line, (at).col, what_);         \
        goto fail;                                                                                 \
    } while (0)

static bool build_module(scenario *sc, scn_module *m, sandbox *sb, bool reuse, char *err,
                         size_t err_size)
{
    unsigned char *image = NULL, *pdb = NULL, *other = NULL;
    size_t image_size = 0, pdb_size = 0;
    char why[512];
    char *rel = NULL;
    sandbox_identity id = {{0}, 0};
    if (m->pdb_from || m->pdb_file) {
        if (!get_bytes(m->pdb_from, m->pdb_file, &pdb, &pdb_size, why, sizeof why))
            BFAIL(sc, m->pos, "%s", why);
        sandbox_identity own;
        if (!sandbox_pdb_identity(pdb, pdb_size, false, &own))
            BFAIL(sc, m->pos, "%s: not an MSF 7.00 PDB with a DBI stream",
                  m->pdb_from ? m->pdb_from : m->pdb_file);
        if (m->age) {
            sandbox_guid_for(m->pdb, id.guid);
            id.age = m->age;
            sandbox_pdb_identity(pdb, pdb_size, true, &id);
        } else {
            id = own;
        }
        sandbox_identity_key(&id, m->key);
    }
    if (m->as_key)
        m->arg = text_printf("%s/%s", m->pdb, m->key);
    else
        m->arg = sandbox_path(sb, m->image);
    if (!m->arg)
        BFAIL(sc, m->pos, "out of memory");
    if (reuse)
        goto done;
    if (!m->as_key) {
        if (!get_bytes(m->from, m->file, &image, &image_size, why, sizeof why))
            BFAIL(sc, m->pos, "%s", why);
        char *cv = m->cv            ? strdup(m->cv)
                   : m->from && pdb ? text_printf("C:\\build\\%s", m->pdb)
                                    : NULL;
        bool ok = !pdb || (!cv && !m->age) ||
                  sandbox_image_set_cv(image, image_size, &id, cv ? cv : "", why, sizeof why);
        free(cv);
        if (!ok)
            BFAIL(sc, m->pos, "%s: %s", m->image, why);
        if (!sandbox_put(sb, m->image, image, image_size, why, sizeof why))
            BFAIL(sc, m->pos, "%s", why);
    }
    for (size_t i = 0; i < m->n_places; i++) {
        const scn_place *pl = &m->places[i];
        const unsigned char *data = pdb;
        if (pl->mismatch) {
            /* Another build of the same PDB: another GUID, the same age. */
            free(other);
            other = malloc(pdb_size);
            if (!other)
                BFAIL(sc, pl->pos, "out of memory");
            memcpy(other, pdb, pdb_size);
            sandbox_identity o = id;
            char seed[300];
            snprintf(seed, sizeof seed, "%s/another build", m->pdb);
            sandbox_guid_for(seed, o.guid);
            sandbox_pdb_identity(other, pdb_size, true, &o);
            data = other;
        }
        free(rel);
        rel = NULL;
        switch (pl->kind) {
        case SCN_AT_PATH:
            if (!sandbox_put(sb, pl->path, data, pdb_size, why, sizeof why))
                BFAIL(sc, pl->pos, "%s", why);
            break;
        case SCN_AT_STORE: {
            char *dir = key_dir(sc, pl->store, m->pdb, m->key);
            rel = dir ? text_printf("%s/%s", dir, m->pdb) : NULL;
            free(dir);
            if (!rel || !sandbox_put(sb, rel, data, pdb_size, why, sizeof why))
                BFAIL(sc, pl->pos, "%s", rel ? why : "out of memory");
            break;
        }
        case SCN_AT_COMPRESSED: {
            char cab_name[256];
            snprintf(cab_name, sizeof cab_name, "%s", m->pdb);
            cab_name[strlen(cab_name) - 1] = '_';
            const sandbox_blob *cab = sandbox_blob_find(cab_name);
            char *dir = key_dir(sc, pl->store, m->pdb, m->key);
            rel = dir ? text_printf("%s/%s", dir, cab_name) : NULL;
            free(dir);
            if (!cab || !rel || !sandbox_put(sb, rel, cab->data, cab->size, why, sizeof why))
                BFAIL(sc, pl->pos, "%s",
                      !cab  ? "no embedded compressed form"
                      : rel ? why
                            : "no memory");
            break;
        }
        case SCN_AT_POINTER: {
            char *dir = key_dir(sc, pl->store, m->pdb, m->key);
            rel = dir ? text_printf("%s/file.ptr", dir) : NULL;
            free(dir);
            char *ptr = text_printf("PATH:%s/%s\n", sandbox_dir(sb), pl->path);
            bool ok = rel && ptr && sandbox_put(sb, pl->path, data, pdb_size, why, sizeof why) &&
                      sandbox_put(sb, rel, ptr, strlen(ptr), why, sizeof why);
            free(ptr);
            if (!ok)
                BFAIL(sc, pl->pos, "%s", rel ? why : "out of memory");
            break;
        }
        }
    }
done:
    free(image);
    free(pdb);
    free(other);
    free(rel);
    return true;
fail:
    free(image);
    free(pdb);
    free(other);
    free(rel);
    return false;
}

bool scenario_build(scenario *sc, sandbox *sb, bool reuse, char *err, size_t err_size)
{
    char why[512];
    err[0] = '\0';
    if (!reuse) {
        if (!sandbox_mkdir(sb, sc->home, why, sizeof why))
            BFAIL(sc, ((scn_pos){1, 1}), "%s", why);
        if (sc->serve && !sandbox_mkdir(sb, sc->serve, why, sizeof why))
            BFAIL(sc, ((scn_pos){1, 1}), "%s", why);
        for (size_t i = 0; i < sc->n_dirs; i++)
            if (!sandbox_mkdir(sb, sc->dirs[i], why, sizeof why))
                BFAIL(sc, ((scn_pos){1, 1}), "%s", why);
        for (size_t i = 0; i < sc->n_maps; i++)
            if (!sandbox_mkdir(sb, sc->maps[i].b, why, sizeof why))
                BFAIL(sc, sc->maps[i].pos, "%s", why);
        for (size_t i = 0; i < sc->n_stores; i++) {
            const char *dir = sc->stores[i].a;
            char *ping = text_printf("%s/pingme.txt", dir),
                 *index = text_printf("%s/index2.txt", dir);
            bool ok = ping && index && sandbox_mkdir(sb, dir, why, sizeof why) &&
                      (!sc->store_pingme[i] || sandbox_put(sb, ping, "", 0, why, sizeof why)) &&
                      (sc->stores[i].b[0] != '2' || sandbox_put(sb, index, "", 0, why, sizeof why));
            free(ping);
            free(index);
            if (!ok)
                BFAIL(sc, sc->stores[i].pos, "%s", why);
        }
        for (size_t i = 0; i < sc->n_modules; i++)
            if (!build_module(sc, &sc->modules[i], sb, reuse, err, err_size))
                return false;
        for (size_t i = 0; i < sc->n_files; i++) {
            scn_kv *f = &sc->files[i];
            char *x = expand(sc, sb, f->a); /* a file can be a store entry: ${key:NAME} */
            if (!x)
                BFAIL(sc, f->pos, "out of memory");
            free(f->a);
            f->a = x;
            unsigned char *data = NULL;
            size_t size = 0;
            bool ok;
            if (sc->file_kinds[i] == 't')
                ok = sandbox_put(sb, f->a, f->b, strlen(f->b), why, sizeof why);
            else
                ok = get_bytes(sc->file_kinds[i] == 'b' ? f->b : NULL,
                               sc->file_kinds[i] == 'f' ? f->b : NULL, &data, &size, why,
                               sizeof why) &&
                     sandbox_put(sb, f->a, data, size, why, sizeof why);
            free(data);
            if (!ok)
                BFAIL(sc, f->pos, "%s", why);
        }
    }

    for (size_t i = 0; reuse && i < sc->n_modules; i++)
        if (!build_module(sc, &sc->modules[i], sb, reuse, err, err_size))
            return false;
    if (sc->serve && !sandbox_serve(sb, sc->serve, why, sizeof why))
        BFAIL(sc, ((scn_pos){1, 1}), "%s", why);
    sc->x_sympath = expand(sc, sb, sc->sympath);
    sc->x_nt = expand(sc, sb, sc->nt_path);
    sc->x_alt = expand(sc, sb, sc->alt_path);
    for (size_t i = 0; i < sc->n_steps; i++) {
        /* File names and expected paths name keys: ${key:NAME}. */
        char **names[1 + SCN_PROFILES] = {&sc->steps[i].file};
        for (int j = 0; j < SCN_PROFILES; j++)
            names[1 + j] = &sc->steps[i].expect[j].path;
        for (int j = 0; j < 1 + SCN_PROFILES; j++) {
            if (!*names[j])
                continue;
            char *x = expand(sc, sb, *names[j]);
            if (!x)
                BFAIL(sc, sc->steps[i].pos, "out of memory");
            free(*names[j]);
            *names[j] = x;
        }
    }
    return true;
fail:
    return false;
}

/* ---- the built-in lessons ---- */

size_t scenario_lesson_count(void)
{
    return lesson_builtin_count;
}

const char *scenario_lesson_text(size_t n, const char **name)
{
    if (n < 1 || n > lesson_builtin_count)
        return NULL;
    if (name)
        *name = lesson_builtins[n - 1].name;
    return lesson_builtins[n - 1].text;
}
