/* Shared options, the YAML configuration file and the session they describe. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "options.h"

#define EXIT_USAGE_CODE 2
#include "units.h"

void common_opts_init(common_opts *o)
{
    memset(o, 0, sizeof *o);
    o->jobs = 0;
    sym_http_settings_default(&o->http);
    o->http.user_agent = NULL; /* the engine's default unless the configuration sets one */
}

static void free_http(sym_http_settings *h, sym_http_store_settings *stores, size_t n)
{
    free((char *)h->user_agent);
    free((char *)h->proxy);
    free((char *)h->ca_file);
    for (size_t i = 0; i < n; i++) {
        free((char *)stores[i].url_prefix);
        free((char *)stores[i].user);
        free((char *)stores[i].password);
        free((char *)stores[i].bearer);
        free((char *)stores[i].header);
    }
    free(stores);
}

void common_opts_free(common_opts *o)
{
    free(o->sympath);
    for (size_t i = 0; i < o->n_maps; i++) {
        free(o->maps[i].from);
        free(o->maps[i].dir);
    }
    free(o->maps);
    free(o->home);
    free(o->env_symbol_path);
    free(o->env_alt_symbol_path);
    free(o->config);
    free(o->theme);
    free(o->color);
    free_http(&o->http, o->http_stores, o->http.n_stores);
    memset(o, 0, sizeof *o);
}

static void replace(char **field, const char *value)
{
    free(*field);
    *field = value ? strdup(value) : NULL;
}

static int add_map(common_opts *o, const char *from, const char *dir, const char *where)
{
    if (!from[0] || !dir[0]) {
        fprintf(stderr, "symscope: %s: a mapping needs FROM=DIR\n", where);
        return 2;
    }
    if (o->n_maps == o->cap_maps) {
        size_t cap = o->cap_maps ? o->cap_maps * 2 : 4;
        map_opt *m = realloc(o->maps, cap * sizeof *m);
        if (!m)
            return 2;
        o->maps = m;
        o->cap_maps = cap;
    }
    o->maps[o->n_maps++] = (map_opt){strdup(from), strdup(dir)};
    return 0;
}

static int set_option_name(common_opts *o, const char *name, const char *where)
{
    sym_option opt;
    if (!sym_option_parse(name, &opt)) {
        fprintf(stderr, "symscope: %s: unknown option '%s'; options are:", where, name);
        for (int i = 0; i < SYM_OPTION_COUNT; i++)
            fprintf(stderr, " %s", sym_option_name((sym_option)i));
        fprintf(stderr, "\n");
        return 2;
    }
    o->options[opt] = true;
    return 0;
}

static int set_profile_name(common_opts *o, const char *name, const char *where)
{
    if (!sym_profile_parse(name, &o->profile)) {
        fprintf(stderr, "symscope: %s: unknown profile '%s' (documented, native or wine8)\n", where,
                name);
        return 2;
    }
    o->have_profile = true;
    return 0;
}

int common_opts_handle(common_opts *o, int opt, const char *arg)
{
    switch (opt) {
    case OPT_SYMPATH:
        replace(&o->sympath, arg);
        return 0;
    case OPT_PROFILE:
        return set_profile_name(o, arg, "--profile");
    case OPT_OPTION:
        return set_option_name(o, arg, "--option");
    case OPT_MAP: {
        const char *eq = strchr(arg, '=');
        if (!eq) {
            fprintf(stderr, "symscope: --map %s: expected FROM=DIR (e.g. --map C:=/mnt/c)\n", arg);
            return 2;
        }
        char *from = strndup(arg, (size_t)(eq - arg));
        int r = from ? add_map(o, from, eq + 1, "--map") : 2;
        free(from);
        return r;
    }
    case OPT_HOME:
        replace(&o->home, arg);
        return 0;
    case OPT_CONFIG:
        replace(&o->config, arg);
        return 0;
    case OPT_JOBS: {
        char *end;
        long n = strtol(arg, &end, 10);
        if (*end || n < 1 || n > 256) {
            fprintf(stderr, "symscope: -j %s: expected a number from 1 to 256\n", arg);
            return 2;
        }
        o->jobs = (int)n;
        return 0;
    }
    case OPT_OFFLINE:
        o->offline = true;
        return 0;
    case OPT_JSON:
        o->json = true;
        return 0;
    case OPT_THEME:
        replace(&o->theme, arg);
        return 0;
    case OPT_COLOR:
        if (strcmp(arg, "auto") && strcmp(arg, "always") && strcmp(arg, "never")) {
            fprintf(stderr, "symscope: --color %s: expected auto, always or never\n", arg);
            return 2;
        }
        replace(&o->color, arg);
        return 0;
    default:
        return -1;
    }
}

int common_opts_parse(common_opts *o, int argc, char **argv, const struct option *opts,
                      void (*usage)(FILE *f), own_option_fn own, void *ctx)
{
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, COMMON_SHORT_OPTIONS "h", opts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return 1;
        }
        int r = own ? own(c, optarg, ctx) : -1;
        if (r < 0)
            r = common_opts_handle(o, c, optarg);
        if (r < 0) {
            usage(stderr);
            return EXIT_USAGE_CODE;
        }
        if (r != 0)
            return r;
    }
    return 0;
}

/* ---- the configuration file ---- */

typedef struct cfg {
    const char *file;
    yaml_document_t doc;
} cfg;

static int cfg_error(const cfg *c, const yaml_node_t *n, const char *what)
{
    fprintf(stderr, "symscope: %s:%zu:%zu: %s\n", c->file, n->start_mark.line + 1,
            n->start_mark.column + 1, what);
    return 2;
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static void set_str(const char **field, const char *v)
{
    free((char *)*field);
    *field = v ? strdup(v) : NULL;
}

static int cfg_ms(const cfg *c, yaml_node_t *v, long *out)
{
    uint64_t ms;
    if (!scalar(v) || !units_parse_duration_ms(scalar(v), &ms))
        return cfg_error(c, v, "expected a duration (500ms, 10s, 5m, 1d)");
    *out = (long)ms;
    return 0;
}

static int cfg_int(const cfg *c, yaml_node_t *v, int lo, int hi, int *out)
{
    char *end;
    long n = scalar(v) ? strtol(scalar(v), &end, 10) : 0;
    if (!scalar(v) || *end || n < lo || n > hi) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected a whole number from %d to %d", lo, hi);
        return cfg_error(c, v, msg);
    }
    *out = (int)n;
    return 0;
}

static int cfg_bool(const cfg *c, yaml_node_t *v, bool *out)
{
    const char *s = scalar(v);
    if (!s || (strcmp(s, "true") && strcmp(s, "false")))
        return cfg_error(c, v, "expected true or false");
    *out = strcmp(s, "true") == 0;
    return 0;
}

static int cfg_http_store(cfg *c, common_opts *o, yaml_node_t *v)
{
    if (v->type != YAML_MAPPING_NODE)
        return cfg_error(c, v, "a store is a mapping with at least 'url'");
    if (o->http.n_stores == o->cap_http_stores) {
        size_t cap = o->cap_http_stores ? o->cap_http_stores * 2 : 4;
        sym_http_store_settings *n = realloc(o->http_stores, cap * sizeof *n);
        if (!n)
            return 2;
        o->http_stores = n;
        o->cap_http_stores = cap;
    }
    sym_http_store_settings *st = &o->http_stores[o->http.n_stores++];
    *st = (sym_http_store_settings)SYM_HTTP_STORE_SETTINGS_INIT;
    o->http.stores = o->http_stores;
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&c->doc, p->key);
        yaml_node_t *val = yaml_document_get_node(&c->doc, p->value);
        const char *key = scalar(k), *sv = scalar(val);
        if (!key || !sv)
            return cfg_error(c, k, "store settings are 'name: value'");
        if (strcmp(key, "url") == 0)
            set_str(&st->url_prefix, sv);
        else if (strcmp(key, "user") == 0)
            set_str(&st->user, sv);
        else if (strcmp(key, "password") == 0)
            set_str(&st->password, sv);
        else if ((strcmp(key, "bearer") == 0 || strcmp(key, "header") == 0) && strpbrk(sv, "\r\n"))
            /* A line break would smuggle another header into every request. */
            return cfg_error(c, val, "a header or bearer token must be one line (no CR or LF)");
        else if (strcmp(key, "bearer") == 0)
            set_str(&st->bearer, sv);
        else if (strcmp(key, "header") == 0)
            set_str(&st->header, sv);
        else if (strcmp(key, "disabled") == 0) {
            if (cfg_bool(c, val, &st->disabled))
                return 2;
        } else if (strcmp(key, "key_case") == 0) {
            if (strcmp(sv, "lower") == 0)
                st->key_case = SYM_CASE_LOWER;
            else if (strcmp(sv, "upper") == 0)
                st->key_case = SYM_CASE_UPPER;
            else if (strcmp(sv, "as-is") == 0)
                st->key_case = SYM_CASE_AS_IS;
            else
                return cfg_error(c, val, "key_case is as-is, lower or upper");
        } else {
            char msg[128];
            snprintf(msg, sizeof msg, "unknown store setting '%s'", key);
            return cfg_error(c, k, msg);
        }
    }
    if (!st->url_prefix)
        return cfg_error(c, v, "a store needs its 'url'");
    return 0;
}

static int cfg_http(cfg *c, common_opts *o, yaml_node_t *v)
{
    if (v->type != YAML_MAPPING_NODE)
        return cfg_error(c, v, "'http' must be a mapping of settings");
    sym_http_settings *h = &o->http;
    int rc = 0;
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start;
         rc == 0 && p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&c->doc, p->key);
        yaml_node_t *val = yaml_document_get_node(&c->doc, p->value);
        const char *key = scalar(k);
        if (!key)
            return cfg_error(c, k, "a setting's name must be a string");
        uint64_t n;
        if (strcmp(key, "stores") == 0) {
            if (val->type != YAML_SEQUENCE_NODE)
                return cfg_error(c, val, "'stores' must be a list");
            for (yaml_node_item_t *it = val->data.sequence.items.start;
                 rc == 0 && it < val->data.sequence.items.top; it++)
                rc = cfg_http_store(c, o, yaml_document_get_node(&c->doc, *it));
        } else if (strcmp(key, "user_agent") == 0 || strcmp(key, "proxy") == 0 ||
                   strcmp(key, "ca_file") == 0) {
            if (!scalar(val))
                return cfg_error(c, val, "expected a string");
            set_str(strcmp(key, "user_agent") == 0 ? &h->user_agent
                    : strcmp(key, "proxy") == 0    ? &h->proxy
                                                   : &h->ca_file,
                    scalar(val));
        } else if (strcmp(key, "connect_timeout") == 0) {
            rc = cfg_ms(c, val, &h->connect_timeout_ms);
        } else if (strcmp(key, "first_byte_timeout") == 0) {
            rc = cfg_ms(c, val, &h->first_byte_timeout_ms);
        } else if (strcmp(key, "low_speed_time") == 0) {
            rc = cfg_ms(c, val, &h->low_speed_ms);
        } else if (strcmp(key, "total_timeout") == 0) {
            rc = cfg_ms(c, val, &h->total_timeout_ms);
        } else if (strcmp(key, "retry_base") == 0) {
            rc = cfg_ms(c, val, &h->retry_base_ms);
        } else if (strcmp(key, "retry_max") == 0) {
            rc = cfg_ms(c, val, &h->retry_max_ms);
        } else if (strcmp(key, "negative_ttl") == 0) {
            long ms;
            rc = cfg_ms(c, val, &ms);
            h->negative_ttl_s = ms / 1000;
        } else if (strcmp(key, "low_speed_bytes") == 0 || strcmp(key, "max_size") == 0) {
            if (!scalar(val) || !units_parse_size(scalar(val), &n))
                return cfg_error(c, val, "expected a size (1000, 64K, 4G)");
            if (strcmp(key, "max_size") == 0)
                h->max_size = n;
            else
                h->low_speed_bytes = (long)n;
        } else if (strcmp(key, "retries") == 0) {
            rc = cfg_int(c, val, 0, 20, &h->retries);
        } else if (strcmp(key, "max_redirects") == 0) {
            rc = cfg_int(c, val, 0, 50, &h->max_redirects);
        } else if (strcmp(key, "per_host") == 0) {
            rc = cfg_int(c, val, 1, 256, &h->per_host);
        } else if (strcmp(key, "netrc") == 0) {
            rc = cfg_bool(c, val, &h->netrc);
        } else {
            char msg[128];
            snprintf(msg, sizeof msg, "unknown http setting '%s'", key);
            return cfg_error(c, k, msg);
        }
    }
    return rc;
}

static int cfg_key(cfg *c, common_opts *o, const char *key, yaml_node_t *v)
{
    char where[512];
    snprintf(where, sizeof where, "%s:%zu:%zu", c->file, v->start_mark.line + 1,
             v->start_mark.column + 1);
    if (strcmp(key, "sympath") == 0 || strcmp(key, "home") == 0 || strcmp(key, "profile") == 0 ||
        strcmp(key, "theme") == 0 || strcmp(key, "color") == 0) {
        const char *s = scalar(v);
        if (!s)
            return cfg_error(c, v, "expected a string");
        if (strcmp(key, "sympath") == 0 && !o->sympath)
            replace(&o->sympath, s);
        else if (strcmp(key, "home") == 0 && !o->home)
            replace(&o->home, s);
        else if (strcmp(key, "profile") == 0 && !o->have_profile)
            return set_profile_name(o, s, where);
        else if (strcmp(key, "theme") == 0 && !o->theme)
            replace(&o->theme, s);
        else if (strcmp(key, "color") == 0 && !o->color)
            return common_opts_handle(o, OPT_COLOR, s);
        return 0;
    }
    if (strcmp(key, "options") == 0) {
        if (v->type != YAML_SEQUENCE_NODE)
            return cfg_error(c, v, "'options' must be a list of option names");
        for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
             it++) {
            yaml_node_t *item = yaml_document_get_node(&c->doc, *it);
            if (!scalar(item))
                return cfg_error(c, item, "an option name must be a string");
            snprintf(where, sizeof where, "%s:%zu:%zu", c->file, item->start_mark.line + 1,
                     item->start_mark.column + 1);
            if (set_option_name(o, scalar(item), where))
                return 2;
        }
        return 0;
    }
    if (strcmp(key, "map") == 0) {
        if (v->type != YAML_MAPPING_NODE)
            return cfg_error(c, v, "'map' must map drives or shares to directories");
        for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = yaml_document_get_node(&c->doc, p->key);
            yaml_node_t *d = yaml_document_get_node(&c->doc, p->value);
            if (!scalar(k) || !scalar(d))
                return cfg_error(c, k, "a mapping is FROM: DIR");
            bool given = false; /* the command line's mapping of the same drive wins */
            for (size_t i = 0; i < o->n_maps && !given; i++)
                given = strcasecmp(o->maps[i].from, scalar(k)) == 0;
            if (!given && add_map(o, scalar(k), scalar(d), where))
                return 2;
        }
        return 0;
    }
    if (strcmp(key, "jobs") == 0 || strcmp(key, "offline") == 0) {
        const char *s = scalar(v);
        if (!s)
            return cfg_error(c, v, "expected a value");
        if (strcmp(key, "offline") == 0) {
            if (strcmp(s, "true") && strcmp(s, "false"))
                return cfg_error(c, v, "'offline' is true or false");
            o->offline = o->offline || strcmp(s, "true") == 0;
            return 0;
        }
        return o->jobs ? 0 : common_opts_handle(o, OPT_JOBS, s);
    }
    if (strcmp(key, "http") == 0)
        return cfg_http(c, o, v);
    if (strcmp(key, "tui") == 0)
        return 0; /* read by the terminal UI */
    char msg[256];
    snprintf(msg, sizeof msg, "unknown setting '%s'", key);
    return cfg_error(c, v, msg);
}

int common_opts_load_config(common_opts *o)
{
    const char *file = o->config ? o->config : getenv("SYMSCOPE_CONFIG");
    if (!file || !*file)
        return 0;
    /* O_NONBLOCK, then fstat: a FIFO or a device named as the configuration is refused
     * instead of waiting for a writer. */
    int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0) {
        fprintf(stderr, "symscope: %s: cannot read the configuration: %s\n", file, strerror(errno));
        return 2;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "symscope: %s: cannot read the configuration: not a regular file\n", file);
        close(fd);
        return 2;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        fprintf(stderr, "symscope: %s: cannot read the configuration: %s\n", file, strerror(errno));
        close(fd);
        return 2;
    }
    yaml_parser_t parser;
    cfg c = {.file = file};
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    int rc = 0;
    if (!yaml_parser_load(&parser, &c.doc)) {
        fprintf(stderr, "symscope: %s:%zu:%zu: %s\n", file, parser.problem_mark.line + 1,
                parser.problem_mark.column + 1, parser.problem ? parser.problem : "bad YAML");
        yaml_parser_delete(&parser);
        fclose(f);
        return 2;
    }
    yaml_node_t *root = yaml_document_get_root_node(&c.doc);
    if (root && root->type != YAML_MAPPING_NODE) {
        rc = cfg_error(&c, root, "the configuration must be a mapping of settings");
    } else if (root) {
        for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
             rc == 0 && p < root->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(&c.doc, p->key);
            yaml_node_t *v = yaml_document_get_node(&c.doc, p->value);
            rc = scalar(k) ? cfg_key(&c, o, scalar(k), v)
                           : cfg_error(&c, k, "a setting's name must be a string");
        }
    }
    yaml_document_delete(&c.doc);
    yaml_parser_delete(&parser);
    fclose(f);
    return rc;
}

sym_session *common_opts_session(const common_opts *o)
{
    sym_session *s;
    sym_error err;
    if (sym_session_create(&s, &err) != SYM_OK) {
        fprintf(stderr, "symscope: %s\n", err.message);
        return NULL;
    }
    sym_status st = SYM_OK;
    if (o->have_profile)
        st = sym_session_set_profile(s, o->profile, &err);
    for (int i = 0; st == SYM_OK && i < SYM_OPTION_COUNT; i++)
        if (o->options[i])
            st = sym_session_set_option(s, (sym_option)i, true, &err);
    for (size_t i = 0; st == SYM_OK && i < o->n_maps; i++)
        st = sym_session_add_mapping(s, o->maps[i].from, o->maps[i].dir, &err);
    if (st == SYM_OK && o->home)
        st = sym_session_set_home(s, o->home, &err);
    if (st == SYM_OK && o->set_env)
        st = sym_session_setenv(s, "_NT_SYMBOL_PATH", o->env_symbol_path, &err);
    if (st == SYM_OK && o->set_env)
        st = sym_session_setenv(s, "_NT_ALT_SYMBOL_PATH", o->env_alt_symbol_path, &err);
    if (st == SYM_OK) {
        sym_http_settings h = o->http;
        h.offline = o->offline;
        st = sym_session_set_http(s, &h, &err);
    }
    if (st == SYM_OK)
        st = sym_session_initialize(s, o->sympath, &err);
    if (st != SYM_OK) {
        fprintf(stderr, "symscope: %s\n", err.message);
        sym_session_free(s);
        return NULL;
    }
    return s;
}
