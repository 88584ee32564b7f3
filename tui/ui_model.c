/* Engine events into the screen's model, and the filtered rows of each pane. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ui.h"

static size_t hash_slot(const ui_state *u, uint64_t base)
{
    uint64_t h = base * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 17) & (u->hash_cap - 1);
}

static void hash_rebuild(ui_state *u)
{
    size_t cap = 64;
    while (cap < u->n_mods * 2 + 2)
        cap *= 2;
    size_t *h = calloc(cap, sizeof *h);
    if (!h)
        return;
    free(u->hash);
    u->hash = h;
    u->hash_cap = cap;
    for (size_t i = 0; i < u->n_mods; i++) {
        size_t k = hash_slot(u, u->mods[i].m.base);
        while (u->hash[k])
            k = (k + 1) & (cap - 1);
        u->hash[k] = i + 1;
    }
}

ui_mod *ui_find_mod(ui_state *u, uint64_t base)
{
    if (!u->hash_cap)
        return NULL;
    for (size_t k = hash_slot(u, base); u->hash[k]; k = (k + 1) & (u->hash_cap - 1))
        if (u->mods[u->hash[k] - 1].m.base == base)
            return &u->mods[u->hash[k] - 1];
    return NULL;
}

static ui_mod *add_mod(ui_state *u, uint64_t base)
{
    if (u->n_mods == u->cap_mods) {
        size_t cap = u->cap_mods ? u->cap_mods * 2 : 64;
        ui_mod *m = realloc(u->mods, cap * sizeof *m);
        if (!m)
            return NULL;
        u->mods = m;
        u->cap_mods = cap;
    }
    ui_mod *m = &u->mods[u->n_mods++];
    memset(m, 0, sizeof *m);
    m->m.base = base;
    if (u->n_mods * 2 + 2 > u->hash_cap)
        hash_rebuild(u);
    else {
        size_t k = hash_slot(u, base);
        while (u->hash[k])
            k = (k + 1) & (u->hash_cap - 1);
        u->hash[k] = u->n_mods;
    }
    return m;
}

static void clear_attempts(ui_mod *m)
{
    for (size_t i = 0; i < m->n_att; i++)
        ui_attempt_clear(&m->att[i]);
    free(m->att);
    m->att = NULL;
    m->n_att = m->cap_att = 0;
}

static void clear_mods(ui_state *u)
{
    for (size_t i = 0; i < u->n_mods; i++) {
        ui_module_clear(&u->mods[i].m);
        clear_attempts(&u->mods[i]);
        free(u->mods[i].prev_location);
        free(u->mods[i].why);
    }
    free(u->mods);
    u->mods = NULL;
    u->n_mods = u->cap_mods = 0;
    free(u->hash);
    u->hash = NULL;
    u->hash_cap = 0;
}

static ui_counter *counter(ui_state *u, const char *text)
{
    for (size_t i = 0; i < u->n_counters; i++)
        if (strcmp(u->counters[i].text, text) == 0)
            return &u->counters[i];
    if (u->n_counters == u->cap_counters) {
        size_t cap = u->cap_counters ? u->cap_counters * 2 : 16;
        ui_counter *c = realloc(u->counters, cap * sizeof *c);
        if (!c)
            return NULL;
        u->counters = c;
        u->cap_counters = cap;
    }
    ui_counter *c = &u->counters[u->n_counters];
    c->text = strdup(text);
    c->hits = c->misses = c->network = 0;
    if (!c->text)
        return NULL;
    u->n_counters++;
    return c;
}

void ui_reset_counters(ui_state *u)
{
    for (size_t i = 0; i < u->n_counters; i++)
        u->counters[i].hits = u->counters[i].misses = u->counters[i].network = 0;
}

const ui_counter *ui_counter_of(const ui_state *u, const char *text)
{
    for (size_t i = 0; i < u->n_counters; i++)
        if (strcmp(u->counters[i].text, text) == 0)
            return &u->counters[i];
    return NULL;
}

static void count_attempt(ui_state *u, const ui_attempt *a)
{
    if (a->element < 0 || (size_t)a->element >= u->n_el)
        return;
    ui_counter *c = counter(u, u->el[a->element].text);
    if (!c)
        return;
    switch (a->outcome) {
    case SYM_OUT_FOUND:
    case SYM_OUT_ALREADY_CACHED:
        c->hits++;
        break;
    case SYM_OUT_COPIED:
    case SYM_OUT_CACHED:
    case SYM_OUT_SKIPPED:
        break;
    case SYM_OUT_NETWORK:
        c->network++;
        c->misses++;
        break;
    default:
        c->misses++;
        break;
    }
}

static void log_add(ui_state *u, char *line)
{
    if (!u->log) {
        u->log = calloc(UI_LOG_MAX, sizeof *u->log);
        if (!u->log) {
            free(line);
            return;
        }
    }
    if (u->log_n == UI_LOG_MAX) {
        free(u->log[u->log_start]);
        u->log[u->log_start] = line;
        u->log_start = (u->log_start + 1) % UI_LOG_MAX;
    } else {
        u->log[(u->log_start + u->log_n) % UI_LOG_MAX] = line;
        u->log_n++;
    }
}

const char *ui_log_line(const ui_state *u, size_t i)
{
    return i < u->log_n ? u->log[(u->log_start + i) % UI_LOG_MAX] : "";
}

static void take_path(ui_state *u, ui_event *ev)
{
    for (size_t i = 0; i < u->n_el; i++)
        ui_element_clear(&u->el[i]);
    free(u->el);
    u->el = ev->elements;
    u->n_el = ev->n_elements;
    ev->elements = NULL;
    ev->n_elements = 0;
    if (ev->initialized || !u->path) {
        /* After a clean-up the path stays shown: it is what initialising again uses. */
        free(u->path);
        u->path = ev->path;
        ev->path = NULL;
    }
    free(u->expanded);
    u->expanded = ev->expanded;
    ev->expanded = NULL;
    free(u->path_lint);
    u->path_lint = ev->path_lint;
    ev->path_lint = NULL;
    u->profile = ev->profile;
    memcpy(u->options, ev->options, sizeof u->options);
    u->initialized = ev->initialized;
}

static void take_module(ui_state *u, ui_event *ev)
{
    ui_mod *m = ui_find_mod(u, ev->base);
    bool is_new = !m;
    if (!m)
        m = add_mod(u, ev->base);
    if (!m)
        return;
    if (ev->kind == UI_EV_MODULE && ev->module.state == SYM_MOD_LOADED) {
        u->done++; /* a search ended */
        m->run = u->run;
        m->stale = false;
    }
    if (m->m.state == SYM_MOD_LOADED) {
        free(m->prev_location);
        m->prev_location = m->m.location ? strdup(m->m.location) : NULL;
    }
    ui_module_clear(&m->m);
    m->m = ev->module;
    memset(&ev->module, 0, sizeof ev->module);
    if (ev->kind == UI_EV_UNLOADED) {
        clear_attempts(m);
        m->tagged = false;
    }
    char why[2048];
    ui_module_why(m, why, sizeof why);
    free(m->why);
    m->why = strdup(why);
    int w = m->m.name ? (int)strlen(m->m.name) : 1;
    if (w > u->w_name)
        u->w_name = w;
    int bw = m->m.base >> 32 ? 16 : 8;
    if (bw > u->w_base)
        u->w_base = bw;
    if (is_new && u->select_new) {
        /* The module just loaded with L: select it (no filter hides it from the full list). */
        u->select_new = false;
        u->lists[PANE_MODULES].filter[0] = '\0';
        u->lists[PANE_MODULES].quick = UI_QUICK_ALL;
        u->lists[PANE_MODULES].sel = (int)(u->n_mods - 1);
    }
}

static void changes_message(ui_state *u, ui_event *ev)
{
    ui_mod *m;
    for (size_t i = 0; i < ev->n_changes; i++) {
        m = ui_find_mod(u, ev->changes[i].base);
        if (m) {
            m->changed = true;
            m->changed_from = ev->changes[i].old_element;
            m->changed_to = ev->changes[i].new_element;
        }
    }
    if (u->cancelling)
        return; /* the end of the run says what was cancelled */
    m = ev->n_changes ? ui_find_mod(u, ev->changes[0].base) : NULL;
    if (m)
        ui_set_message(u, false, "%zu module%s changed winner (marked *); %s: %s -> %s",
                       ev->n_changes, ev->n_changes == 1 ? "" : "s", m->m.name,
                       m->prev_location ? m->prev_location : "nothing",
                       m->m.location ? m->m.location : "nothing");
    else
        ui_set_message(u, false, "searched again: no winner changed");
}

/* The engine is idle again: after a cancel, say where it stopped and mark what it left. */
static void run_ended(ui_state *u)
{
    if (u->cancelling) {
        size_t left = 0;
        for (size_t i = 0; i < u->n_mods; i++) {
            ui_mod *m = &u->mods[i];
            if (u->total && m->m.state != SYM_MOD_UNLOADED && m->run != u->run) {
                m->stale = true;
                left++;
            }
        }
        if (u->total)
            ui_set_message(u, false,
                           "cancelled at module %zu of %zu; %zu keep%s their previous result, "
                           "marked ~",
                           u->done < u->total ? u->done + 1 : u->total, u->total, left,
                           left == 1 ? "s" : "");
        else
            ui_set_message(u, false, "cancelled: %s", u->busy_text);
    }
    u->cancelling = false;
    u->busy = false;
    u->busy_start_ms = 0;
    u->total = u->done = 0;
}

ui_redraw ui_apply(ui_state *u, ui_event *ev)
{
    ui_mod *m;
    switch (ev->kind) {
    case UI_EV_ATTEMPT:
        m = ui_find_mod(u, ev->base);
        if (!m)
            break;
        if (m->n_att == m->cap_att) {
            size_t cap = m->cap_att ? m->cap_att * 2 : 8;
            ui_attempt *a = realloc(m->att, cap * sizeof *a);
            if (!a)
                break;
            m->att = a;
            m->cap_att = cap;
        }
        m->att[m->n_att] = ev->attempt;
        memset(&ev->attempt, 0, sizeof ev->attempt);
        count_attempt(u, &m->att[m->n_att]);
        u->bytes += m->att[m->n_att].bytes;
        ui_step_attempt(u, ev->base, &m->att[m->n_att]);
        m->n_att++;
        break;
    case UI_EV_PAUSED:
        ui_step_paused(u, ev);
        break;
    case UI_EV_COMPARE:
    case UI_EV_WHERE:
        ui_teach_result(u, ev);
        break;
    case UI_EV_SEARCH_BEGIN:
        m = ui_find_mod(u, ev->base);
        if (m)
            clear_attempts(m);
        break;
    case UI_EV_MODULE:
    case UI_EV_UNLOADED:
        take_module(u, ev);
        break;
    case UI_EV_LOG:
        log_add(u, ev->text);
        ev->text = NULL;
        break;
    case UI_EV_PATH:
        take_path(u, ev);
        for (size_t i = 0; i < u->n_mods; i++)
            u->mods[i].changed = false;
        break;
    case UI_EV_CHANGES:
        changes_message(u, ev);
        break;
    case UI_EV_CLEANED:
        clear_mods(u);
        ui_reset_counters(u);
        for (size_t i = 0; i < PANE_COUNT; i++)
            u->lists[i].sel = u->lists[i].top = 0;
        ui_set_message(u, false,
                       "session cleaned up; press I to initialise it again with this "
                       "path");
        break;
    case UI_EV_CACHES:
        for (size_t i = 0; i < u->n_caches; i++)
            ui_cache_clear(&u->caches[i]);
        free(u->caches);
        u->caches = ev->caches;
        u->n_caches = ev->n_caches;
        ev->caches = NULL;
        ev->n_caches = 0;
        break;
    case UI_EV_BUSY:
        if (!u->busy || u->busy_start_ms == 0) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            u->bytes = 0;
            u->busy_start_ms = (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
        }
        u->busy = true;
        snprintf(u->busy_text, sizeof u->busy_text, "%s", ev->text ? ev->text : "working");
        if (ev->total) {
            u->total = ev->total;
            u->done = 0;
            u->run++;
        }
        break;
    case UI_EV_IDLE:
        ui_step_idle(u);
        run_ended(u);
        break;
    case UI_EV_MESSAGE:
        ui_set_message(u, ev->error, "%s", ev->text ? ev->text : "");
        break;
    default:
        break;
    }
    return UI_REDRAW_ALL;
}

void ui_model_free(ui_state *u)
{
    clear_mods(u);
    for (size_t i = 0; i < u->n_el; i++)
        ui_element_clear(&u->el[i]);
    free(u->el);
    free(u->path);
    free(u->expanded);
    free(u->path_lint);
    ui_step_free(u);
    for (size_t i = 0; i < u->n_counters; i++)
        free(u->counters[i].text);
    free(u->counters);
    for (size_t i = 0; u->log && i < u->log_n; i++)
        free(u->log[(u->log_start + i) % UI_LOG_MAX]);
    free(u->log);
    for (size_t i = 0; i < u->n_caches; i++)
        ui_cache_clear(&u->caches[i]);
    free(u->caches);
    for (int p = 0; p < PANE_COUNT; p++)
        free(u->lists[p].rows);
    for (size_t i = 0; i < u->n_maps; i++) {
        free(u->maps[i].from);
        free(u->maps[i].dir);
    }
    free(u->maps);
    free(u->initial_path);
    ui_history_free(&u->history);
}

size_t ui_cache_rows(const ui_state *u)
{
    size_t n = 0;
    for (size_t i = 0; i < u->n_caches; i++)
        n += 1 + u->caches[i].n;
    return n;
}

bool ui_mod_has_symbols(const ui_mod *m)
{
    return m->m.state == SYM_MOD_LOADED && m->m.file && m->m.symbols != SYM_CLASS_EXPORT &&
           m->m.symbols != SYM_CLASS_NONE;
}

bool ui_mod_saw_mismatch(const ui_mod *m)
{
    if (m->m.unmatched)
        return true;
    for (size_t i = 0; i < m->n_att; i++)
        if (m->att[i].outcome == SYM_OUT_MISMATCH)
            return true;
    return false;
}

static bool quick_match(const ui_mod *m, ui_quick q)
{
    switch (q) {
    case UI_QUICK_NO_SYMBOLS:
        return m->m.state != SYM_MOD_UNLOADED && !ui_mod_has_symbols(m);
    case UI_QUICK_MISMATCH:
        return ui_mod_saw_mismatch(m);
    case UI_QUICK_ALL:
    default:
        return true;
    }
}

void ui_refilter(ui_state *u, int pane)
{
    ui_list *l = &u->lists[pane];
    const ui_pane_def *d = ui_pane(u, pane);
    size_t n = d->count(u);
    if (l->cap_rows < n || !l->rows) {
        size_t *r = realloc(l->rows, (n + 16) * sizeof *r);
        if (!r)
            return;
        l->rows = r;
        l->cap_rows = n + 16;
    }
    l->n_rows = 0;
    for (size_t i = 0; i < n; i++) {
        if (pane == PANE_MODULES && !quick_match(&u->mods[i], l->quick))
            continue;
        if (!l->filter[0] || d->match(u, i, l->filter))
            l->rows[l->n_rows++] = i;
    }
    if (l->sel >= (int)l->n_rows)
        l->sel = l->n_rows ? (int)l->n_rows - 1 : 0;
    if (l->sel < 0)
        l->sel = 0;
}

const ui_mod *ui_selected_mod(const ui_state *u)
{
    const ui_list *l = &u->lists[PANE_MODULES];
    if (l->n_rows == 0 || (size_t)l->sel >= l->n_rows || l->rows[l->sel] >= u->n_mods)
        return NULL;
    return &u->mods[l->rows[l->sel]];
}

const ui_attempt *ui_selected_attempt(const ui_state *u)
{
    const ui_mod *m = ui_selected_mod(u);
    const ui_list *l = &u->lists[PANE_ATTEMPTS];
    if (!m || l->n_rows == 0 || (size_t)l->sel >= l->n_rows || l->rows[l->sel] >= m->n_att)
        return NULL;
    return &m->att[l->rows[l->sel]];
}

const ui_element *ui_selected_element(const ui_state *u)
{
    const ui_list *l = &u->lists[PANE_ELEMENTS];
    if (l->n_rows == 0 || (size_t)l->sel >= l->n_rows || l->rows[l->sel] >= u->n_el)
        return NULL;
    return &u->el[l->rows[l->sel]];
}
