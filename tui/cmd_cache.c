/* `symscope cache ls|verify|prune`: downstream stores and caches, their entries, their faults,
 * and pruning like AgeStore. */
#include <ctype.h>
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "out_text.h"
#include "json_text.h"
#include "options.h"
#include "units.h"

static void usage(FILE *f)
{
    fputs("usage: symscope cache ls [OPTIONS] [DIR...]\n"
          "       symscope cache verify [--fix] [OPTIONS] [DIR...]\n"
          "       symscope cache prune [--older-than AGE] [--max-size SIZE] [--dry-run] DIR...\n"
          "       symscope cache forget [--store URL] [FILE...]\n"
          "  DIR: a symbol store or cache; default: every downstream store and cache of the\n"
          "  symbol path (-y, or the environment's).\n"
          "  ls       entries with file, key, size, age and format; totals per store\n"
          "  verify   each entry against its key directory: valid, mismatched, zero bytes,\n"
          "           not a symbol file, truncated; exit 1 when something is wrong\n"
          "    --fix  move bad entries aside into DIR/.symscope-bad (nothing is deleted)\n"
          "  prune    least recently used first, like AgeStore; prints what it removes\n"
          "    --older-than AGE   entries unused for longer than AGE (30d, 12h, 90m, 3600s)\n"
          "    --max-size SIZE    until the store holds at most SIZE (500M, 2G, 100K)\n"
          "    --dry-run          only print what would be removed\n"
          "  forget   forget remembered HTTP misses (the negative cache): of every store or\n"
          "           one (--store URL), of every file or the FILEs named "
          "(ntdll.pdb)\n\n" COMMON_OPTIONS_HELP
          "  --json                JSON, one object per store\n",
          f);
}

static void human_size(uint64_t n, char *out, size_t size)
{
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)n;
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    snprintf(out, size, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

static void human_age(time_t t, char *out, size_t size)
{
    time_t now = time(NULL);
    long d = t && now > t ? (long)(now - t) : 0;
    if (d < 3600)
        snprintf(out, size, "%ldm", d / 60);
    else if (d < 86400)
        snprintf(out, size, "%ldh", d / 3600);
    else
        snprintf(out, size, "%ldd", d / 86400);
}

static bool parse_age(const char *s, uint64_t *out)
{
    uint64_t ms;
    if (!units_parse_duration_ms(s, &ms) || ms < 1000)
        return false;
    *out = ms / 1000;
    return true;
}

static bool parse_size(const char *s, uint64_t *out)
{
    return units_parse_size(s, out) && *out > 0;
}

static json_object *entry_json(const sym_cache_entry *e)
{
    json_object *o = json_object_new_object();
    json_add_text(o, "file", e->file);
    json_add_text(o, "key", e->key);
    json_add_text(o, "name", e->name);
    json_add_text(o, "path", e->path);
    json_object_object_add(o, "size", json_object_new_int64((int64_t)e->size));
    json_object_object_add(o, "mtime", json_object_new_int64((int64_t)e->mtime));
    json_object_object_add(o, "used", json_object_new_int64((int64_t)e->used));
    json_add_text(o, "format", e->format);
    json_add_text(o, "state", sym_entry_state_name(e->state));
    json_add_text(o, "detail", e->detail);
    json_object_object_add(o, "stale", json_object_new_boolean(e->stale));
    return o;
}

static void print_json(const sym_cache *c)
{
    json_object *o = json_object_new_object();
    json_add_text(o, "store", sym_cache_dir(c));
    json_object_object_add(o, "tiers", json_object_new_int(sym_cache_tiers(c)));
    json_object_object_add(o, "bytes", json_object_new_int64((int64_t)sym_cache_total_bytes(c)));
    json_object *list = json_object_new_array();
    for (size_t i = 0; i < sym_cache_count(c); i++)
        json_object_array_add(list, entry_json(sym_cache_entry_at(c, i)));
    json_object_object_add(o, "entries", list);
    puts(
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
}

static void print_table(const sym_cache *c, bool verified)
{
    char total[32];
    human_size(sym_cache_total_bytes(c), total, sizeof total);
    out_line(stdout, "%s (%d-tier): %zu entr%s, %s", sym_cache_dir(c), sym_cache_tiers(c),
             sym_cache_count(c), sym_cache_count(c) == 1 ? "y" : "ies", total);
    if (sym_cache_count(c) == 0)
        return;
    out_line(stdout, "  %-24s %-34s %-14s %10s %5s  %-9s%s", "FILE", "KEY", "NAME", "SIZE", "AGE",
             "FORMAT", verified ? "  STATE" : "");
    for (size_t i = 0; i < sym_cache_count(c); i++) {
        const sym_cache_entry *e = sym_cache_entry_at(c, i);
        char size[32], age[32];
        human_size(e->size, size, sizeof size);
        human_age(e->used, age, sizeof age);
        out_text(stdout, "  %-24s %-34s %-14s %10s %5s  %-9s", e->file, e->key, e->name, size, age,
                 e->format);
        if (verified || e->state == SYM_ENTRY_TEMPORARY || e->state == SYM_ENTRY_FOREIGN)
            out_text(stdout, "  %s%s%s", sym_entry_state_name(e->state), e->detail[0] ? ": " : "",
                     e->detail);
        printf("\n");
    }
}

typedef struct prune_ctx {
    bool dry_run;
    uint64_t bytes;
    size_t n;
} prune_ctx;

static void print_removed(const sym_cache_entry *e, void *ctx)
{
    prune_ctx *p = ctx;
    char size[32], age[32];
    human_size(e->size, size, sizeof size);
    human_age(e->used, age, sizeof age);
    out_line(stdout, "%s %s (%s, unused for %s)", p->dry_run ? "would remove" : "removed", e->path,
             size, age);
    p->bytes += e->size;
    p->n++;
}

int cmd_cache(int argc, char **argv)
{
    enum { OPT_FIX = 0x200, OPT_OLDER, OPT_MAX, OPT_DRY, OPT_STORE };
    static const struct option opts[] = {COMMON_LONG_OPTIONS,
                                         {"fix", no_argument, NULL, OPT_FIX},
                                         {"older-than", required_argument, NULL, OPT_OLDER},
                                         {"max-size", required_argument, NULL, OPT_MAX},
                                         {"dry-run", no_argument, NULL, OPT_DRY},
                                         {"store", required_argument, NULL, OPT_STORE},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *sub = argv[1];
    bool ls = strcmp(sub, "ls") == 0, verify = strcmp(sub, "verify") == 0,
         prune = strcmp(sub, "prune") == 0, forget = strcmp(sub, "forget") == 0;
    if (!ls && !verify && !prune && !forget) {
        out_line(stderr, "symscope cache: unknown action '%s' (ls, verify, prune or forget)", sub);
        return EXIT_USAGE;
    }
    common_opts o;
    common_opts_init(&o);
    bool fix = false, dry = false;
    const char *store = NULL;
    uint64_t older = 0, max = 0;
    int c, rc = 0;
    optind = 1;
    while (rc == 0 &&
           (c = getopt_long(argc - 1, argv + 1, COMMON_SHORT_OPTIONS "h", opts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            common_opts_free(&o);
            return 0;
        }
        if (c == OPT_FIX && verify) {
            fix = true;
        } else if (c == OPT_STORE && forget) {
            store = optarg;
        } else if (c == OPT_DRY && prune) {
            dry = true;
        } else if (c == OPT_OLDER && prune) {
            if (!parse_age(optarg, &older)) {
                out_line(stderr,
                         "symscope cache prune: --older-than %s: expected 30d, 12h, 90m or seconds",
                         optarg);
                rc = EXIT_USAGE;
            }
        } else if (c == OPT_MAX && prune) {
            if (!parse_size(optarg, &max)) {
                out_line(stderr,
                         "symscope cache prune: --max-size %s: expected 500M, 2G, 100K or bytes",
                         optarg);
                rc = EXIT_USAGE;
            }
        } else {
            int r = common_opts_handle(&o, c, optarg);
            rc = r < 0 ? EXIT_USAGE : r;
            if (r < 0)
                usage(stderr);
        }
    }
    char **dirs = argv + 1 + optind;
    size_t n_dirs = (size_t)(argc - 1 - optind);
    if (rc == 0 && forget) {
        rc = common_opts_load_config(&o);
        sym_session *fs = rc == 0 ? common_opts_session(&o) : NULL;
        if (!fs) {
            common_opts_free(&o);
            return EXIT_USAGE;
        }
        size_t n = 0;
        if (n_dirs == 0)
            n = sym_session_forget_misses(fs, store, NULL);
        for (size_t i = 0; i < n_dirs; i++)
            n += sym_session_forget_misses(fs, store, dirs[i]);
        out_line(stdout, "forgot %zu remembered miss%s", n, n == 1 ? "" : "es");
        sym_session_free(fs);
        common_opts_free(&o);
        return 0;
    }
    if (rc == 0 && prune && (n_dirs == 0 || (!older && !max))) {
        fprintf(stderr, "symscope cache prune: name DIR and --older-than or --max-size\n");
        rc = EXIT_USAGE;
    }
    sym_session *s = NULL;
    const char **path_dirs = NULL;
    if (rc == 0 && n_dirs == 0) {
        rc = common_opts_load_config(&o);
        s = rc == 0 ? common_opts_session(&o) : NULL;
        if (rc == 0 && !s)
            rc = EXIT_USAGE;
        if (s) {
            n_dirs = sym_session_cache_dirs(s, &path_dirs);
            if (n_dirs == 0)
                out_line(stderr,
                         "symscope cache: the symbol path '%s' has no downstream store or cache "
                         "(name DIR)",
                         sym_session_get_path(s));
        }
    }
    bool faults = false;
    for (size_t i = 0; rc != EXIT_USAGE && i < n_dirs; i++) {
        const char *dir = path_dirs ? path_dirs[i] : dirs[i];
        sym_cache *cache;
        sym_error err;
        if (sym_cache_scan(dir, verify, &cache, &err) != SYM_OK) {
            /* A downstream store of the path that was never written to is simply empty. */
            if (path_dirs && err.status == SYM_E_NOENT) {
                out_line(stdout, "%s: not created yet (nothing copied into it)", dir);
                continue;
            }
            out_line(stderr, "symscope: %s", err.message);
            rc = EXIT_USAGE;
            continue;
        }
        if (prune) {
            prune_ctx p = {.dry_run = dry};
            if (sym_cache_prune(cache, older, max, dry, print_removed, &p, &err) != SYM_OK) {
                out_line(stderr, "symscope: %s", err.message);
                rc = EXIT_USAGE;
            }
            char freed[32];
            human_size(p.bytes, freed, sizeof freed);
            out_line(stdout, "%s: %s %zu entr%s, %s", dir, dry ? "would remove" : "removed", p.n,
                     p.n == 1 ? "y" : "ies", freed);
        } else if (o.json) {
            print_json(cache);
        } else {
            print_table(cache, verify);
        }
        for (size_t k = 0; verify && k < sym_cache_count(cache); k++) {
            const sym_cache_entry *e = sym_cache_entry_at(cache, k);
            if (fix && e->stale) {
                /* Garbage of a killed write: removed, not kept aside. */
                if (sym_cache_remove_stale(cache, k, &err) == SYM_OK)
                    out_line(stdout, "removed stale temporary file: %s", e->path);
                else
                    out_line(stderr, "symscope: %s", err.message);
                continue;
            }
            if (!sym_entry_state_is_fault(e->state))
                continue;
            faults = true;
            char *moved;
            char *was = fix ? strdup(e->path) : NULL;
            if (fix && sym_cache_quarantine(cache, k, &moved, &err) == SYM_OK) {
                out_line(stdout, "moved aside: %s -> %s", was ? was : "", moved);
                free(moved);
            } else if (fix) {
                out_line(stderr, "symscope: %s", err.message);
            }
            free(was);
        }
        sym_cache_free(cache);
    }
    if (rc == 0 && faults)
        rc = 1;
    sym_session_free(s);
    common_opts_free(&o);
    return rc;
}
