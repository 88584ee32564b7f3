/* The engine's worker thread and the queue of copies it fills for the screen. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bridge.h"

typedef struct command {
    ui_cmd_kind kind;
    char *text;
    uint64_t base;
    int index;
    bool flag;
    struct command *next;
} command;

struct bridge {
    sym_session *s;
    int jobs;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    command *cmds, *cmds_tail;
    ui_event *events, *events_tail;
    int pipe_rd, pipe_wr;
    _Atomic int busy;   /* read by the UI thread, set by the engine thread */
    bool user_deferred; /* the user's deferred_loads option (loading uses it internally) */
    char **initial;
    size_t n_initial;
    /* what comparison and where sessions are made from (the caller's, read only) */
    const common_opts *opts;
    map_opt *maps; /* the mappings now: the options' and those added since */
    size_t n_maps;
    /* step mode: the listener waits before an attempt while step_on (all under step_lock) */
    pthread_mutex_t step_lock;
    pthread_cond_t step_cond;
    bool step_on;
    unsigned step_tokens; /* waiting attempts let go */
    bool step_module_set; /* the module step_module runs to the end of its search */
    uint64_t step_module;
    bool step_free; /* the command that runs goes on to its end */
    bool step_stop; /* quitting */
    bool step_waiting;
    uint64_t step_waiting_base;
};

static char *copy_str(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* A copy for display only: names from files and servers cannot drive the terminal, and
 * URLs show no secret (sym_display_text). Values acted on later stay as they are. */
static char *shown_str(const char *s)
{
    return s ? sym_display_text(s) : NULL;
}

void ui_attempt_clear(ui_attempt *a)
{
    free(a->rule);
    free(a->location);
    free(a->local);
    free(a->detail);
    free(a->source);
    memset(a, 0, sizeof *a);
}

void ui_module_clear(ui_module *m)
{
    free(m->name);
    free(m->image);
    free(m->image_name);
    free(m->wanted_file);
    free(m->file);
    free(m->location);
    free(m->cv_path);
    memset(m, 0, sizeof *m);
}

void ui_element_clear(ui_element *e)
{
    free(e->text);
    free(e->reason);
    free(e->stores);
    free(e->lint);
    memset(e, 0, sizeof *e);
}

void ui_cache_clear(ui_cache *c)
{
    for (size_t i = 0; i < c->n; i++) {
        ui_cache_entry *e = &c->entries[i];
        free(e->file);
        free(e->key);
        free(e->name);
        free(e->format);
        free(e->detail);
    }
    free(c->entries);
    free(c->dir);
    memset(c, 0, sizeof *c);
}

void ui_event_free(ui_event *ev)
{
    if (!ev)
        return;
    ui_attempt_clear(&ev->attempt);
    ui_module_clear(&ev->module);
    free(ev->text);
    free(ev->path);
    free(ev->expanded);
    for (size_t i = 0; i < ev->n_elements; i++)
        ui_element_clear(&ev->elements[i]);
    free(ev->elements);
    free(ev->path_lint);
    free(ev->changes);
    if (ev->compare)
        compare_free(ev->compare);
    free(ev->compare);
    if (ev->where)
        where_free(ev->where);
    free(ev->where);
    for (size_t i = 0; i < ev->n_caches; i++)
        ui_cache_clear(&ev->caches[i]);
    free(ev->caches);
    free(ev);
}

static void push(bridge *b, ui_event *ev)
{
    pthread_mutex_lock(&b->lock);
    if (b->events_tail)
        b->events_tail->next = ev;
    else
        b->events = ev;
    b->events_tail = ev;
    pthread_mutex_unlock(&b->lock);
    char c = 1;
    /* A full pipe already means "wake up": the byte is not needed. */
    if (write(b->pipe_wr, &c, 1) < 0 && errno != EAGAIN)
        return;
}

static ui_event *new_event(ui_event_kind kind)
{
    ui_event *ev = calloc(1, sizeof *ev);
    if (ev)
        ev->kind = kind;
    return ev;
}

static void copy_module(ui_module *d, const sym_module_info *m)
{
    d->base = m->base;
    d->size = m->size;
    d->name = shown_str(m->name);
    d->image = copy_str(m->image);
    d->image_name = shown_str(m->image_name);
    d->wanted_file = shown_str(m->wanted_file);
    d->file = copy_str(m->file);
    d->location = shown_str(m->location);
    d->cv_path = shown_str(m->cv_path);
    d->wanted = m->wanted;
    d->state = m->state;
    d->symbols = m->symbols;
    d->unmatched = m->unmatched;
    d->element = m->element;
    d->step = m->step;
    memcpy(d->letters, m->status_letters, sizeof d->letters);
}

static void copy_attempt(ui_attempt *d, const sym_attempt *a)
{
    d->n = a->n;
    d->step = a->step;
    d->element = a->element;
    d->store = a->store;
    d->rule = shown_str(a->rule);
    d->location = shown_str(a->location);
    d->local = shown_str(a->local);
    d->detail = shown_str(a->detail);
    d->source = shown_str(a->source);
    d->outcome = a->outcome;
    d->expected = a->expected;
    d->found = a->found;
    d->bytes = a->bytes;
    d->ms = a->ms;
    d->http_status = a->http_status;
    d->symsrv = a->symsrv;
}

static void log_line(const char *line, void *ctx)
{
    ui_event *ev = new_event(UI_EV_LOG);
    if (!ev)
        return;
    ev->text = shown_str(line);
    push(ctx, ev);
}

/* Whether the attempt about to happen in module base waits (under step_lock). */
static bool step_holds(const bridge *b, uint64_t base)
{
    return b->step_on && !b->step_free && !b->step_stop && b->step_tokens == 0 &&
           !(b->step_module_set && b->step_module == base);
}

/* Step mode: the attempt about to happen waits until the screen lets it go. The engine
 * holds its event lock meanwhile, so every search waits with it. */
static void step_gate(bridge *b, const sym_event *e)
{
    uint64_t base = e->module->base;
    pthread_mutex_lock(&b->step_lock);
    if (b->step_module_set && b->step_module != base)
        b->step_module_set = false; /* that module's search ended: this is another's */
    if (step_holds(b, base)) {
        ui_event *ev = new_event(UI_EV_PAUSED);
        if (ev) {
            ev->base = base;
            ev->profile = e->profile;
            copy_attempt(&ev->attempt, e->attempt);
            copy_module(&ev->module, e->module);
            push(b, ev);
        }
        b->step_waiting = true;
        b->step_waiting_base = base;
        while (step_holds(b, base))
            pthread_cond_wait(&b->step_cond, &b->step_lock);
        b->step_waiting = false;
    }
    if (b->step_tokens)
        b->step_tokens--;
    pthread_mutex_unlock(&b->step_lock);
}

/* The engine's listener: runs on engine threads, one event at a time. */
static void listener(const sym_event *e, void *ctx)
{
    bridge *b = ctx;
    sym_noisy_format(e, log_line, b);
    ui_event *ev = NULL;
    switch (e->kind) {
    case SYM_EV_ATTEMPT_BEGIN:
        step_gate(b, e);
        break;
    case SYM_EV_ATTEMPT:
        ev = new_event(UI_EV_ATTEMPT);
        if (ev) {
            ev->base = e->module->base;
            copy_attempt(&ev->attempt, e->attempt);
        }
        break;
    case SYM_EV_SEARCH_BEGIN:
        ev = new_event(UI_EV_SEARCH_BEGIN);
        if (ev)
            ev->base = e->module->base;
        break;
    case SYM_EV_MODULE_LOADED:
    case SYM_EV_SEARCH_END:
        ev = new_event(UI_EV_MODULE);
        if (ev) {
            ev->base = e->module->base;
            copy_module(&ev->module, e->module);
        }
        break;
    case SYM_EV_MODULE_UNLOADED:
        ev = new_event(UI_EV_UNLOADED);
        if (ev) {
            ev->base = e->module->base;
            copy_module(&ev->module, e->module);
        }
        break;
    case SYM_EV_CLEANUP:
        ev = new_event(UI_EV_CLEANED);
        break;
    default:
        break;
    }
    if (ev)
        push(b, ev);
}

static void message(bridge *b, bool error, const char *fmt, const char *arg)
{
    ui_event *ev = new_event(UI_EV_MESSAGE);
    if (!ev)
        return;
    /* fmt is "%s" or "<text> %s": the argument goes where the "%s" is. */
    const char *at = strstr(fmt, "%s");
    char buf[1024];
    if (at)
        snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - fmt), fmt, arg, at + 2);
    else
        snprintf(buf, sizeof buf, "%s", fmt);
    ev->text = copy_str(buf);
    ev->error = error;
    push(b, ev);
}

static char *stores_text(const sym_element_desc *e)
{
    char buf[2048];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < e->n_stores && o < sizeof buf - 1; k++) {
        const sym_store_desc *st = &e->stores[k];
        int w = snprintf(buf + o, sizeof buf - o, "%s%s (%s, %d-tier, %s)", k ? " -> " : "",
                         st->is_default ? "<default store>" : st->location,
                         st->type == SYM_STORE_HTTP ? "http" : "local", st->tiers,
                         sym_elem_state_name(st->state));
        if (w < 0)
            break;
        o += (size_t)w;
    }
    return copy_str(buf);
}

/* Appends "message [kind]\n  fix: ...\n" to *text (malloc'd, grown). */
static void append_finding(char **text, const sym_lint *l)
{
    char *msg = shown_str(l->message), *fix = shown_str(l->fix);
    size_t old = *text ? strlen(*text) : 0;
    size_t len = old + (msg ? strlen(msg) : 0) + (fix ? strlen(fix) : 0) + 64;
    char *t = realloc(*text, len);
    if (t) {
        snprintf(t + old, len - old, "%s [%s]\n  fix: %s\n", msg ? msg : "",
                 sym_lint_kind_name(l->kind), fix ? fix : "");
        *text = t;
    }
    free(msg);
    free(fix);
}

/* The path lint's findings: each element's with it, the path's own apart. */
static void add_lint(bridge *b, ui_event *ev)
{
    sym_lint *l = NULL;
    size_t n = 0;
    if (!sym_session_initialized(b->s) || sym_session_lint(b->s, &l, &n) != 0)
        return;
    for (size_t i = 0; i < n; i++) {
        if (l[i].element >= 0 && (size_t)l[i].element < ev->n_elements) {
            ui_element *e = &ev->elements[l[i].element];
            append_finding(&e->lint, &l[i]);
            e->n_lint++;
        } else {
            append_finding(&ev->path_lint, &l[i]);
        }
    }
    sym_lint_free(l, n);
}

static void send_path(bridge *b)
{
    ui_event *ev = new_event(UI_EV_PATH);
    if (!ev)
        return;
    sym_session *s = b->s;
    ev->initialized = sym_session_initialized(s);
    ev->path = copy_str(sym_session_get_path(s));
    ev->expanded = copy_str(sym_session_expanded_path(s));
    ev->profile = sym_session_profile(s);
    for (int i = 0; i < SYM_OPTION_COUNT; i++)
        ev->options[i] =
            i == SYM_OPT_DEFERRED_LOADS ? b->user_deferred : sym_session_option(s, (sym_option)i);
    size_t n = sym_session_element_count(s);
    ev->elements = calloc(n ? n : 1, sizeof *ev->elements);
    for (size_t i = 0; ev->elements && i < n; i++) {
        const sym_element_desc *d = sym_session_element(s, i);
        ui_element *e = &ev->elements[i];
        e->text = copy_str(d->text);
        e->kind = d->kind;
        e->source = d->source;
        e->state = d->state;
        e->reason = shown_str(d->reason);
        e->stores = stores_text(d);
        e->n_stores = (int)d->n_stores;
        e->enabled = d->enabled;
        ev->n_elements++;
    }
    add_lint(b, ev);
    push(b, ev);
}

static void send_changes(bridge *b, const sym_winner_change *ch, size_t n)
{
    ui_event *ev = new_event(UI_EV_CHANGES);
    if (!ev)
        return;
    ev->changes = calloc(n ? n : 1, sizeof *ev->changes);
    for (size_t i = 0; ev->changes && i < n; i++) {
        ev->changes[i] = (ui_change){ch[i].base, ch[i].old_element, ch[i].new_element,
                                     ch[i].old_symbols, ch[i].new_symbols};
        ev->n_changes++;
    }
    push(b, ev);
}

static void busy(bridge *b, const char *what, size_t total)
{
    ui_event *ev = new_event(UI_EV_BUSY);
    if (!ev)
        return;
    ev->text = copy_str(what);
    ev->total = total;
    push(b, ev);
}

static size_t deferred_count(const sym_session *s)
{
    size_t n = 0;
    for (size_t i = 0; i < sym_session_module_count(s); i++)
        n += sym_session_module(s, i)->state == SYM_MOD_DEFERRED;
    return n;
}

/* Searches the deferred modules (unless the user wants them deferred). */
static void resolve(bridge *b)
{
    if (b->user_deferred)
        return;
    size_t n = deferred_count(b->s);
    if (n == 0)
        return;
    busy(b, "searching", n);
    pthread_mutex_lock(&b->step_lock);
    int jobs = b->step_on ? 1 : b->jobs; /* stepping: one search at a time */
    pthread_mutex_unlock(&b->step_lock);
    sym_error err;
    if (sym_session_resolve(b->s, jobs, &err) != SYM_OK)
        message(b, true, "%s", err.message);
}

/* After the path, the profile or an option changed: search the loaded modules again and
 * say whose winner changed. */
static void research(bridge *b)
{
    send_path(b);
    size_t loaded = sym_session_module_count(b->s) - deferred_count(b->s);
    if (loaded == 0 || !sym_session_initialized(b->s))
        return;
    busy(b, "searching again", loaded);
    const sym_winner_change *ch;
    size_t n;
    sym_error err;
    if (sym_session_research(b->s, &ch, &n, &err) != SYM_OK) {
        message(b, true, "%s", err.message);
        return;
    }
    send_changes(b, ch, n);
}

/* Disabled elements stay disabled, by their text, across whatever parses the path again
 * (a path edit, a profile or option switch, a new mapping): only the user enables them. */
typedef struct disabled_set {
    char **text;
    size_t n;
} disabled_set;

static disabled_set disabled_save(const sym_session *s)
{
    disabled_set d = {0};
    size_t n = sym_session_element_count(s);
    d.text = calloc(n ? n : 1, sizeof *d.text);
    for (size_t i = 0; d.text && i < n; i++)
        if (!sym_session_element(s, i)->enabled)
            d.text[d.n++] = copy_str(sym_session_element(s, i)->text);
    return d;
}

static void disabled_restore(sym_session *s, disabled_set *d)
{
    for (size_t i = 0; i < sym_session_element_count(s); i++)
        for (size_t k = 0; k < d->n; k++)
            if (d->text[k] && strcmp(d->text[k], sym_session_element(s, i)->text) == 0 &&
                sym_session_element(s, i)->enabled)
                sym_session_set_element_enabled(s, i, false, NULL);
    for (size_t k = 0; k < d->n; k++)
        free(d->text[k]);
    free(d->text);
    d->text = NULL;
    d->n = 0;
}

static void set_path(bridge *b, const char *text)
{
    disabled_set off = disabled_save(b->s);
    sym_error err;
    if (sym_session_set_path(b->s, text, &err) != SYM_OK)
        message(b, true, "%s", err.message);
    disabled_restore(b->s, &off);
    research(b);
}

/* The bridge's list of mappings, for the sessions made from the options: dir NULL removes. */
static void remember_mapping(bridge *b, const char *from, const char *dir)
{
    for (size_t i = 0; i < b->n_maps; i++) {
        if (strcasecmp(b->maps[i].from, from) != 0)
            continue;
        free(b->maps[i].dir);
        if (dir) {
            b->maps[i].dir = copy_str(dir);
        } else {
            free(b->maps[i].from);
            b->maps[i] = b->maps[--b->n_maps];
        }
        return;
    }
    if (!dir)
        return;
    map_opt *m = realloc(b->maps, (b->n_maps + 1) * sizeof *m);
    if (!m)
        return;
    b->maps = m;
    b->maps[b->n_maps++] = (map_opt){copy_str(from), copy_str(dir)};
}

/* The options the session was made from, with its path, options and mappings now: what a
 * session of its own for a comparison or a where listing starts from. Strings stay owned by
 * the session and the bridge. */
static common_opts opts_now(bridge *b)
{
    common_opts o = *b->opts;
    o.sympath = (char *)sym_session_get_path(b->s);
    o.have_profile = true;
    o.profile = sym_session_profile(b->s);
    for (int i = 0; i < SYM_OPTION_COUNT; i++)
        o.options[i] = sym_session_option(b->s, (sym_option)i);
    o.options[SYM_OPT_DEFERRED_LOADS] = false;
    o.maps = b->maps;
    o.n_maps = o.cap_maps = b->n_maps;
    o.home = (char *)sym_session_home(b->s);
    return o;
}

/* The three profiles' dry runs of a module, in sessions of their own. */
static void compare(bridge *b, const char *module)
{
    busy(b, "comparing the profiles (dry runs)", 0);
    common_opts o = opts_now(b);
    compare_result *r = calloc(1, sizeof *r);
    char err[1024];
    if (!r || !compare_module(&o, module, r, err, sizeof err)) {
        if (r)
            compare_free(r);
        free(r);
        message(b, true, "cannot compare: %s", r ? err : "out of memory");
        return;
    }
    ui_event *ev = new_event(UI_EV_COMPARE);
    if (!ev) {
        compare_free(r);
        free(r);
        return;
    }
    ev->text = shown_str(module);
    ev->compare = r;
    push(b, ev);
}

/* Every place the module's file would be found at, from a session of its own in plan mode. */
static void where(bridge *b, const char *module)
{
    common_opts o = opts_now(b);
    where_result *r = calloc(1, sizeof *r);
    char err[1024];
    if (!r || !where_module(&o, module, r, err, sizeof err)) {
        if (r)
            where_free(r);
        free(r);
        message(b, true, "cannot list the places: %s", r ? err : "out of memory");
        return;
    }
    ui_event *ev = new_event(UI_EV_WHERE);
    if (!ev) {
        where_free(r);
        free(r);
        return;
    }
    ev->text = shown_str(module);
    ev->where = r;
    push(b, ev);
}

static void add_mapping(bridge *b, const char *text)
{
    const char *eq = strchr(text, '=');
    char from[512];
    snprintf(from, sizeof from, "%.*s", eq ? (int)(eq - text) : 0, text);
    disabled_set off = disabled_save(b->s);
    sym_error err;
    /* "FROM=" with no directory removes the mapping. */
    sym_status st = eq && !eq[1] ? sym_session_remove_mapping(b->s, from, &err)
                                 : sym_session_add_mapping(b->s, from, eq ? eq + 1 : "", &err);
    disabled_restore(b->s, &off);
    if (st != SYM_OK) {
        message(b, true, "%s", err.message);
        send_path(b);
        return;
    }
    remember_mapping(b, from, eq && eq[1] ? eq + 1 : NULL);
    research(b);
}

static void scan_caches(bridge *b)
{
    ui_event *ev = new_event(UI_EV_CACHES);
    if (!ev)
        return;
    const char **dirs = NULL;
    size_t n = sym_session_initialized(b->s) ? sym_session_cache_dirs(b->s, &dirs) : 0;
    ev->caches = calloc(n ? n : 1, sizeof *ev->caches);
    for (size_t i = 0; ev->caches && i < n; i++) {
        ui_cache *c = &ev->caches[ev->n_caches++];
        c->dir = copy_str(dirs[i]);
        c->writable = access(dirs[i], W_OK) == 0 || access(dirs[i], F_OK) != 0;
        sym_cache *cache;
        sym_error err;
        if (sym_cache_scan(dirs[i], true, &cache, &err) != SYM_OK)
            continue;
        c->exists = true;
        c->tiers = sym_cache_tiers(cache);
        c->bytes = sym_cache_total_bytes(cache);
        c->entries = calloc(sym_cache_count(cache) + 1, sizeof *c->entries);
        for (size_t k = 0; c->entries && k < sym_cache_count(cache); k++) {
            const sym_cache_entry *e = sym_cache_entry_at(cache, k);
            c->entries[c->n++] = (ui_cache_entry){shown_str(e->file),
                                                  shown_str(e->key),
                                                  shown_str(e->name),
                                                  copy_str(e->format),
                                                  shown_str(e->detail),
                                                  e->size,
                                                  e->state};
        }
        sym_cache_free(cache);
    }
    push(b, ev);
}

static void load(bridge *b, const char *text)
{
    busy(b, "loading", 0);
    sym_error err;
    size_t n;
    sym_session_set_option(b->s, SYM_OPT_DEFERRED_LOADS, true, NULL);
    if (sym_session_load(b->s, text, &n, &err) != SYM_OK)
        message(b, true, "%s", err.message);
    else if (n == 0)
        message(b, false, "%s: no new module (already loaded at that base)", text);
    resolve(b);
}

static void run(bridge *b, const command *c)
{
    sym_session *s = b->s;
    sym_error err;
    sym_status st = SYM_OK;
    switch (c->kind) {
    case UI_CMD_SET_PATH:
        set_path(b, c->text);
        break;
    case UI_CMD_ENABLE:
        st = sym_session_set_element_enabled(s, (size_t)c->index, c->flag, &err);
        if (st == SYM_OK)
            research(b);
        break;
    case UI_CMD_PROFILE: {
        disabled_set off = disabled_save(s);
        st = sym_session_set_profile(s, (sym_profile)c->index, &err);
        disabled_restore(s, &off);
        if (st == SYM_OK)
            research(b);
        break;
    }
    case UI_CMD_OPTION:
        if (c->index == SYM_OPT_DEFERRED_LOADS) {
            b->user_deferred = c->flag;
            send_path(b);
            resolve(b);
        } else {
            disabled_set off = disabled_save(s);
            st = sym_session_set_option(s, (sym_option)c->index, c->flag, &err);
            disabled_restore(s, &off);
            if (st == SYM_OK)
                research(b);
        }
        break;
    case UI_CMD_LOAD:
        load(b, c->text);
        break;
    case UI_CMD_RELOAD:
        busy(b, "searching", 1);
        st = sym_session_load_symbols(s, c->base, &err);
        break;
    case UI_CMD_RELOAD_ALL: {
        /* Everything, deferred modules included. */
        bool deferred = b->user_deferred;
        research(b);
        b->user_deferred = false;
        resolve(b);
        b->user_deferred = deferred;
        break;
    }
    case UI_CMD_FORCE:
        busy(b, "loading a mismatched file", 1);
        st = sym_session_force_load(s, c->base, &err);
        break;
    case UI_CMD_UNLOAD:
        st = sym_session_unload(s, c->base, &err);
        break;
    case UI_CMD_CLEANUP:
        st = sym_session_cleanup(s, &err);
        if (st == SYM_OK)
            send_path(b);
        break;
    case UI_CMD_INITIALIZE:
        st = sym_session_initialize(s, c->text, &err);
        send_path(b);
        break;
    case UI_CMD_SCAN_CACHES:
        scan_caches(b);
        break;
    case UI_CMD_MAP:
        add_mapping(b, c->text);
        break;
    case UI_CMD_COMPARE:
        compare(b, c->text);
        break;
    case UI_CMD_WHERE:
        where(b, c->text);
        break;
    case UI_CMD_QUIT:
    default:
        break;
    }
    if (st != SYM_OK)
        message(b, true, "%s", err.message);
}

static void *worker(void *arg)
{
    bridge *b = arg;
    send_path(b);
    for (size_t i = 0; i < b->n_initial; i++) {
        busy(b, "loading", 0);
        sym_error err;
        size_t n;
        if (sym_session_load(b->s, b->initial[i], &n, &err) != SYM_OK)
            message(b, true, "%s", err.message);
    }
    resolve(b);
    push(b, new_event(UI_EV_IDLE));
    for (;;) {
        pthread_mutex_lock(&b->lock);
        while (!b->cmds)
            pthread_cond_wait(&b->wake, &b->lock);
        command *c = b->cmds;
        b->cmds = c->next;
        if (!b->cmds)
            b->cmds_tail = NULL;
        b->busy = 1;
        pthread_mutex_unlock(&b->lock);
        bool quit = c->kind == UI_CMD_QUIT;
        /* A run to the end, a cancel or a step given between commands ends with them. */
        pthread_mutex_lock(&b->step_lock);
        b->step_free = b->step_module_set = false;
        b->step_tokens = 0;
        pthread_mutex_unlock(&b->step_lock);
        if (!quit)
            run(b, c);
        free(c->text);
        free(c);
        b->busy = 0;
        if (quit)
            return NULL;
        push(b, new_event(UI_EV_IDLE));
    }
}

bridge *bridge_start(sym_session *s, const common_opts *o, int jobs, char *const *modules,
                     size_t n_modules, bool step)
{
    bridge *b = calloc(1, sizeof *b);
    int fds[2];
    if (!b || pipe(fds) != 0) {
        free(b);
        return NULL;
    }
    b->s = s;
    sym_session_watch_dirs(s); /* a long session: directory changes seen as they happen */
    b->jobs = jobs > 0 ? jobs : 4;
    b->pipe_rd = fds[0];
    b->pipe_wr = fds[1];
    fcntl(b->pipe_rd, F_SETFL, O_NONBLOCK);
    fcntl(b->pipe_wr, F_SETFL, O_NONBLOCK);
    b->user_deferred = sym_session_option(s, SYM_OPT_DEFERRED_LOADS);
    sym_session_set_option(s, SYM_OPT_DEFERRED_LOADS, true, NULL);
    b->initial = calloc(n_modules + 1, sizeof *b->initial);
    for (size_t i = 0; b->initial && i < n_modules; i++)
        b->initial[b->n_initial++] = copy_str(modules[i]);
    b->opts = o;
    b->maps = calloc(o->n_maps + 1, sizeof *b->maps);
    for (size_t i = 0; b->maps && i < o->n_maps; i++)
        b->maps[b->n_maps++] = (map_opt){copy_str(o->maps[i].from), copy_str(o->maps[i].dir)};
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->wake, NULL);
    pthread_mutex_init(&b->step_lock, NULL);
    pthread_cond_init(&b->step_cond, NULL);
    b->step_on = step;
    b->busy = 1;
    sym_session_add_listener(s, listener, b);
    if (pthread_create(&b->thread, NULL, worker, b) != 0) {
        close(fds[0]);
        close(fds[1]);
        free(b);
        return NULL;
    }
    return b;
}

void bridge_command(bridge *b, ui_cmd_kind kind, const char *text, uint64_t base, int index,
                    bool flag)
{
    command *c = calloc(1, sizeof *c);
    if (!c)
        return;
    *c = (command){kind, copy_str(text), base, index, flag, NULL};
    pthread_mutex_lock(&b->lock);
    if (b->cmds_tail)
        b->cmds_tail->next = c;
    else
        b->cmds = c;
    b->cmds_tail = c;
    b->busy = 1;
    pthread_cond_signal(&b->wake);
    pthread_mutex_unlock(&b->lock);
}

void bridge_stop(bridge *b)
{
    if (!b)
        return;
    /* A waiting attempt goes, and none waits from now on. */
    pthread_mutex_lock(&b->step_lock);
    b->step_stop = true;
    pthread_cond_broadcast(&b->step_cond);
    pthread_mutex_unlock(&b->step_lock);
    sym_session_cancel(b->s, 0);
    bridge_command(b, UI_CMD_QUIT, NULL, 0, 0, false);
    /* A search started before the quit may still be running: cancel it once more. */
    sym_session_cancel(b->s, 0);
    pthread_join(b->thread, NULL);
    sym_session_free(b->s);
    for (ui_event *ev = b->events; ev;) {
        ui_event *next = ev->next;
        ui_event_free(ev);
        ev = next;
    }
    for (command *c = b->cmds; c;) {
        command *next = c->next;
        free(c->text);
        free(c);
        c = next;
    }
    for (size_t i = 0; i < b->n_initial; i++)
        free(b->initial[i]);
    free(b->initial);
    for (size_t i = 0; i < b->n_maps; i++) {
        free(b->maps[i].from);
        free(b->maps[i].dir);
    }
    free(b->maps);
    close(b->pipe_rd);
    close(b->pipe_wr);
    pthread_mutex_destroy(&b->lock);
    pthread_cond_destroy(&b->wake);
    pthread_mutex_destroy(&b->step_lock);
    pthread_cond_destroy(&b->step_cond);
    free(b);
}

int bridge_fd(const bridge *b)
{
    return b->pipe_rd;
}

ui_event *bridge_take(bridge *b)
{
    char buf[256];
    while (read(b->pipe_rd, buf, sizeof buf) > 0) {
    }
    pthread_mutex_lock(&b->lock);
    ui_event *ev = b->events;
    b->events = b->events_tail = NULL;
    pthread_mutex_unlock(&b->lock);
    return ev;
}

void bridge_cancel(bridge *b)
{
    sym_session_cancel(b->s, 0);
    /* A waiting attempt goes (and is skipped as cancelled): nothing waits till the end. */
    pthread_mutex_lock(&b->step_lock);
    b->step_free = true;
    pthread_cond_broadcast(&b->step_cond);
    pthread_mutex_unlock(&b->step_lock);
}

void bridge_step(bridge *b, bridge_step_how how)
{
    pthread_mutex_lock(&b->step_lock);
    switch (how) {
    case BRIDGE_STEP_OFF:
        b->step_on = false;
        break;
    case BRIDGE_STEP_ON:
        b->step_on = true;
        break;
    case BRIDGE_STEP_ONE:
        if (b->step_waiting)
            b->step_tokens = 1;
        break;
    case BRIDGE_STEP_MODULE:
        if (b->step_waiting) {
            b->step_module_set = true;
            b->step_module = b->step_waiting_base;
        }
        break;
    case BRIDGE_STEP_ALL:
        b->step_free = true;
        break;
    }
    pthread_cond_broadcast(&b->step_cond);
    pthread_mutex_unlock(&b->step_lock);
}

bool bridge_busy(const bridge *b)
{
    return b->busy;
}
