/* The pane table: for each pane its title, column header, rows, row drawing, filter, detail
 * text and Enter action. The screen and the keys ask the table instead of switching on the
 * focus. Row drawing reads the model and the layout only. */
#define _GNU_SOURCE /* strcasestr */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

static const char *short_kind(sym_elem_kind k)
{
    switch (k) {
    case SYM_ELEM_STANDARD:
        return "dir";
    case SYM_ELEM_STORE:
        return "store";
    case SYM_ELEM_SRV:
        return "srv";
    case SYM_ELEM_CACHE:
        return "cache";
    default:
        return "?";
    }
}

static bool has(const char *s, const char *f)
{
    return s && strcasestr(s, f);
}

static void key_text(const sym_identity *id, char out[SYM_KEY_MAX])
{
    if (!sym_identity_key(id, out))
        strcpy(out, "-");
}

/* A field of w columns at *x, then one blank; nothing when w is 0 (the column is hidden). */
static void field(const ui_state *u, int y, int *x, int w, theme_element e, const char *text)
{
    if (w <= 0)
        return;
    ui_put(u, y, *x, w + 1, e, text);
    *x += w + 1;
}

/* ---- path elements ---- */

static sym_elem_state shown_state(const ui_state *u, const ui_element *e)
{
    const ui_counter *c = ui_counter_of(u, e->text);
    sym_elem_state st = e->enabled ? e->state : SYM_STATE_DISABLED;
    if (st == SYM_STATE_OK && c && c->network)
        st = SYM_STATE_UNREACHABLE; /* its server failed this session */
    return st;
}

static void el_title(const ui_state *u, char *out, size_t n)
{
    if (u->n_el == 0)
        snprintf(out, n, "Symbol path: empty  (a adds an element; z undoes the last edit)");
    else {
        int warned = 0;
        for (size_t i = 0; i < u->n_el; i++)
            warned += u->el[i].n_lint > 0;
        char lint[96] = "";
        if (warned || u->path_lint)
            snprintf(lint, sizeof lint, ", %d marked ! by the lint%s", warned,
                     u->path_lint ? " (and the path as a whole: Enter)" : "");
        snprintf(out, n, "Symbol path: %zu element%s%s%s%s", u->n_el, u->n_el == 1 ? "" : "s", lint,
                 u->path_edited ? ", edited (w exports)" : "",
                 u->initialized ? "" : "  (session cleaned up: I initialises it again)");
    }
}

static void el_header(const ui_state *u, char *out, size_t n)
{
    (void)u;
    snprintf(out, n, "  # kind  state       source        hit miss  element");
}

static size_t el_count(const ui_state *u)
{
    return u->n_el;
}

static bool el_match(const ui_state *u, size_t i, const char *f)
{
    return has(u->el[i].text, f) || has(sym_elem_state_name(u->el[i].state), f);
}

static void el_row(const ui_state *u, size_t i, int y, ui_rect b, bool sel)
{
    const ui_element *e = &u->el[i];
    const ui_counter *c = ui_counter_of(u, e->text);
    sym_elem_state st = shown_state(u, e);
    theme_element re = ui_row_element(u, PANE_ELEMENTS, sel, TH_ROW);
    char buf[64];
    int x = b.x;
    /* "!": the path lint has something to say about it (the detail and Enter say what). */
    snprintf(buf, sizeof buf, "%s%2zu", e->n_lint ? "!" : " ", i);
    field(u, y, &x, 3, re == TH_ROW && e->n_lint ? TH_OUT_MISMATCH : re, buf);
    field(u, y, &x, 5, re == TH_ROW ? TH_BADGE : re, short_kind(e->kind));
    field(u, y, &x, 11, re == TH_ROW ? ui_state_element(st) : re, sym_elem_state_name(st));
    snprintf(buf, sizeof buf, "%-13.13s %4u %4u ", sym_elem_source_name(e->source), c ? c->hits : 0,
             c ? c->misses : 0);
    field(u, y, &x, 23, re, buf);
    /* The stores only when they fit whole: the detail lines show them in full. */
    bool stores =
        e->stores && e->stores[0] && u->lists[PANE_ELEMENTS].hscroll == 0 &&
        ui_text_width(e->text, u->utf8) + ui_text_width(e->stores, u->utf8) + 4 <= b.x + b.w - x;
    stores = stores || (e->stores && e->stores[0] && u->lists[PANE_ELEMENTS].hscroll > 0);
    char rest[4096];
    char *shown = sym_display_text(e->text); /* the element's URL shows no secret */
    snprintf(rest, sizeof rest, "%s%s%s%s%s%s", shown ? shown : "", stores ? "  [" : "",
             stores ? e->stores : "", stores ? "]" : "",
             e->reason && st != SYM_STATE_OK ? "  - " : "",
             e->reason && st != SYM_STATE_OK ? e->reason : "");
    free(shown);
    ui_put_scrolled(u, y, x, b.x + b.w - x, re, rest, u->lists[PANE_ELEMENTS].hscroll);
}

static void el_info(const ui_state *u, char *out, size_t n)
{
    const ui_element *e = ui_selected_element(u);
    if (!e) {
        snprintf(out, n,
                 "The symbol path is empty: a adds an element (a directory, "
                 "srv*DOWNSTREAM*UPSTREAM, cache*DIR).");
        return;
    }
    sym_elem_state st = shown_state(u, e);
    char *shown = sym_display_text(e->text);
    snprintf(out, n, "%s element %s: %s%s%s\n%s%s%s%s%s", short_kind(e->kind),
             sym_elem_state_name(st), shown ? shown : "", e->reason ? "  - " : "",
             e->reason ? e->reason : "", e->stores && e->stores[0] ? "stores: " : "",
             e->stores && e->stores[0] ? e->stores : "", e->stores && e->stores[0] ? "\n" : "",
             e->lint ? "lint: " : "", e->lint ? e->lint : "");
    free(shown);
}

/* ---- modules ---- */

/* The symbol class in a narrow modules pane: the detail lines say it in full. */
const char *ui_symclass_short(sym_symclass c)
{
    switch (c) {
    case SYM_CLASS_PRIVATE_LINES:
        return "private+lines";
    case SYM_CLASS_PRIVATE:
        return "private";
    case SYM_CLASS_PUBLIC:
        return "public";
    case SYM_CLASS_EXPORT:
        return "export";
    case SYM_CLASS_DEFERRED:
        return "deferred";
    case SYM_CLASS_NONE:
    default:
        return "none";
    }
}

static const char *symclass_text(const ui_state *u, sym_symclass c)
{
    return u->lay.m_short_sym ? ui_symclass_short(c) : sym_symclass_name(c);
}

static void mod_title(const ui_state *u, char *out, size_t n)
{
    size_t loaded = 0, found = 0;
    for (size_t i = 0; i < u->n_mods; i++) {
        loaded += u->mods[i].m.state != SYM_MOD_UNLOADED;
        found += ui_mod_has_symbols(&u->mods[i]);
    }
    snprintf(out, n, "Modules: %zu loaded, %zu with symbol files%s", loaded, found,
             u->n_mods ? "" : "  (L loads one)");
}

static void mod_header(const ui_state *u, char *out, size_t n)
{
    const ui_layout *l = &u->lay;
    size_t o = (size_t)snprintf(out, n, "  %-*s ", l->m_name, "module");
    if (l->m_base)
        o += (size_t)snprintf(out + o, n - o, "%-*s ", l->m_base, "base");
    if (l->m_state)
        o += (size_t)snprintf(out + o, n - o, "%-*s ", l->m_state, "state");
    o += (size_t)snprintf(out + o, n - o, "%-2s %-*s ", "lm", l->m_sym, "symbols");
    if (l->m_el)
        o += (size_t)snprintf(out + o, n - o, "%-*s ", l->m_el, "el");
    snprintf(out + o, n - o, "why");
}

static size_t mod_count(const ui_state *u)
{
    return u->n_mods;
}

static bool mod_match(const ui_state *u, size_t i, const char *f)
{
    const ui_mod *m = &u->mods[i];
    return has(m->m.name, f) || has(m->m.file, f) || has(sym_symclass_name(m->m.symbols), f) ||
           has(m->why, f);
}

/* A winner's why is a path, cut in the middle; a sentence is cut at its end. */
static int why_skip(const ui_state *u, const ui_mod *m)
{
    int hs = u->lists[PANE_MODULES].hscroll;
    if (hs)
        return hs;
    return m->m.file && m->m.symbols != SYM_CLASS_EXPORT ? 0 : -1;
}

static void mod_row(const ui_state *u, size_t i, int y, ui_rect b, bool sel)
{
    const ui_mod *m = &u->mods[i];
    const ui_layout *l = &u->lay;
    theme_element re = ui_row_element(u, PANE_MODULES, sel, m->tagged ? TH_ROW_TAGGED : TH_ROW);
    char buf[64];
    int x = b.x;
    char mark[3] = {m->tagged ? '+' : ' ', m->stale ? '~' : m->changed ? '*' : ' ', '\0'};
    ui_put(u, y, x, 2, m->changed && re == TH_ROW ? TH_CHANGED : re, mark);
    x += 2;
    field(u, y, &x, l->m_name, re, m->m.name ? m->m.name : "?");
    if (l->m_base) {
        snprintf(buf, sizeof buf, "%0*" PRIx64, l->m_base, m->m.base);
        field(u, y, &x, l->m_base, re, buf);
    }
    if (l->m_state)
        field(u, y, &x, l->m_state, re, sym_module_state_name(m->m.state));
    /* The WinDbg lm letters (M: a mismatch was taken) in a column no width cuts. */
    bool unloaded = m->m.state == SYM_MOD_UNLOADED;
    field(u, y, &x, 2, re == TH_ROW && m->m.unmatched ? TH_SYM_UNMATCHED : re,
          unloaded ? "" : m->m.letters);
    field(u, y, &x, l->m_sym, re == TH_ROW ? ui_symbols_element(m->m.symbols, m->m.unmatched) : re,
          unloaded ? "-" : symclass_text(u, m->m.symbols));
    if (l->m_el) {
        if (m->m.element >= 0)
            snprintf(buf, sizeof buf, "%d", m->m.element);
        else
            snprintf(buf, sizeof buf, "%s", m->m.file ? sym_step_name(m->m.step) : "-");
        field(u, y, &x, l->m_el, re, buf);
    }
    ui_put_scrolled(u, y, x, b.x + b.w - x, m->changed && re == TH_ROW ? TH_CHANGED : re,
                    m->why ? m->why : "", why_skip(u, m));
}

static void mod_info(const ui_state *u, char *out, size_t n)
{
    const ui_mod *m = ui_selected_mod(u);
    if (!m) {
        snprintf(out, n, "No module: L loads an image, a minidump or FILE/KEY.");
        return;
    }
    char fix[1024];
    ui_module_fix(m, fix, sizeof fix);
    /* The row shows the name and the symbols: the lines give the why and the fix room. */
    snprintf(out, n, "why: %s%s%s", m->why ? m->why : "", fix[0] ? "\nfix: " : "", fix);
}

/* ---- attempts of the selected module ---- */

static void att_title(const ui_state *u, char *out, size_t n)
{
    const ui_mod *m = ui_selected_mod(u);
    char want[SYM_KEY_MAX] = "-";
    if (m)
        key_text(&m->m.wanted, want);
    /* The key only when it fits: the title is cut at its end, where the key is. */
    bool key = m && m->m.wanted_file && u->lay.pane[PANE_ATTEMPTS].w >= 70;
    snprintf(out, n, "Attempts: %s%s%s%s%s", m && m->m.name ? m->m.name : "(none)",
             m && m->m.wanted_file ? " wants " : "", m && m->m.wanted_file ? m->m.wanted_file : "",
             key ? " " : "", key ? want : "");
}

static void att_header(const ui_state *u, char *out, size_t n)
{
    const ui_layout *l = &u->lay;
    size_t o = (size_t)snprintf(out, n, "%3s ", "n");
    if (l->a_step)
        o += (size_t)snprintf(out + o, n - o, "%-*s ", l->a_step, "step");
    o += (size_t)snprintf(out + o, n - o, "%-*s %-*s ", l->a_el, "el", l->a_out, "outcome");
    if (l->a_rule)
        o += (size_t)snprintf(out + o, n - o, "%-*s ", l->a_rule, "rule");
    if (l->a_bytes)
        o += (size_t)snprintf(out + o, n - o, "%*s ", l->a_bytes, "bytes");
    if (l->a_ms)
        o += (size_t)snprintf(out + o, n - o, "%*s ", l->a_ms, "ms");
    snprintf(out + o, n - o, "location");
}

static size_t att_count(const ui_state *u)
{
    const ui_mod *m = ui_selected_mod(u);
    return m ? m->n_att : 0;
}

static bool att_match(const ui_state *u, size_t i, const char *f)
{
    const ui_attempt *a = &ui_selected_mod(u)->att[i];
    return has(a->location, f) || has(sym_outcome_name(a->outcome), f) || has(a->detail, f) ||
           has(a->rule, f);
}

static void att_row(const ui_state *u, size_t i, int y, ui_rect b, bool sel)
{
    const ui_attempt *a = &ui_selected_mod(u)->att[i];
    const ui_layout *l = &u->lay;
    theme_element re = ui_row_element(u, PANE_ATTEMPTS, sel, TH_ROW);
    char buf[64];
    int x = b.x;
    snprintf(buf, sizeof buf, "%3u", a->n);
    field(u, y, &x, 3, re, buf);
    field(u, y, &x, l->a_step, re, sym_step_name(a->step));
    snprintf(buf, sizeof buf, "%d", a->element);
    field(u, y, &x, l->a_el, re, a->element >= 0 ? buf : "-");
    field(u, y, &x, l->a_out, re == TH_ROW ? ui_outcome_element(a->outcome) : re,
          sym_outcome_name(a->outcome));
    field(u, y, &x, l->a_rule, re, a->rule ? a->rule : "");
    snprintf(buf, sizeof buf, "%*" PRIu64, l->a_bytes, a->bytes);
    field(u, y, &x, l->a_bytes, re, buf);
    snprintf(buf, sizeof buf, "%*.1f", l->a_ms, a->ms);
    field(u, y, &x, l->a_ms, re, buf);
    ui_put_scrolled(u, y, x, b.x + b.w - x, re, a->location ? a->location : "",
                    u->lists[PANE_ATTEMPTS].hscroll);
}

static void att_info(const ui_state *u, char *out, size_t n)
{
    const ui_mod *m = ui_selected_mod(u);
    const ui_attempt *a = ui_selected_attempt(u);
    if (!a) {
        snprintf(out, n, "%s",
                 m ? "No attempt: the module was not searched (r searches it)."
                   : "No module selected.");
        return;
    }
    char want[SYM_KEY_MAX], have[SYM_KEY_MAX], extra[600] = "";
    key_text(&a->expected, want);
    key_text(&a->found, have);
    if (a->outcome == SYM_OUT_MISMATCH)
        snprintf(extra, sizeof extra, "\nwants %s, found %s", want, have);
    else if (a->detail && a->detail[0])
        snprintf(extra, sizeof extra, "\ndetail: %s", a->detail);
    char where[48];
    if (a->step == SYM_STEP_ELEMENT && a->element >= 0)
        snprintf(where, sizeof where, "element %d", a->element);
    else
        snprintf(where, sizeof where, "%s", sym_step_name(a->step));
    /* The location comes second, so the lines under the pane always show it whole. */
    bool same = a->local && a->location && strcmp(a->local, a->location) == 0;
    snprintf(out, n, "#%u %s, rule %s: %s\nat %s%s%s%s", a->n, where, a->rule ? a->rule : "-",
             sym_outcome_name(a->outcome), a->location ? a->location : "", extra,
             same || !a->local ? "" : "\nlocal ", same || !a->local ? "" : a->local);
}

/* ---- the noisy log or the caches ---- */

static void bottom_title(const ui_state *u, char *out, size_t n)
{
    if (u->bottom == BOTTOM_LOG)
        snprintf(out, n, "Noisy log: %zu lines%s  (c: caches)", u->log_n,
                 u->log_follow ? ", following" : "");
    else
        snprintf(out, n, "Caches and downstream stores: %zu  (l: log)", u->n_caches);
}

static size_t bottom_count(const ui_state *u)
{
    return u->bottom == BOTTOM_LOG ? u->log_n : ui_cache_rows(u);
}

static bool bottom_match(const ui_state *u, size_t i, const char *f)
{
    return u->bottom == BOTTOM_LOG ? has(ui_log_line(u, i), f) : true;
}

/* Attempts that found or stored something in a cache directory, this session. */
static unsigned cache_hits(const ui_state *u, const char *dir)
{
    unsigned n = 0;
    size_t len = strlen(dir);
    for (size_t i = 0; i < u->n_mods; i++)
        for (size_t k = 0; k < u->mods[i].n_att; k++) {
            const ui_attempt *a = &u->mods[i].att[k];
            if (a->local && strncmp(a->local, dir, len) == 0 &&
                (a->outcome == SYM_OUT_FOUND || a->outcome == SYM_OUT_ALREADY_CACHED))
                n++;
        }
    return n;
}

/* Row i of the cache view: a store's header (*entry NULL) or one of its entries. */
static const ui_cache *cache_row(const ui_state *u, size_t i, const ui_cache_entry **entry)
{
    size_t k;
    for (k = 0; k < u->n_caches && i > u->caches[k].n; k++)
        i -= u->caches[k].n + 1;
    if (k >= u->n_caches)
        return NULL;
    *entry = i ? &u->caches[k].entries[i - 1] : NULL;
    return &u->caches[k];
}

static void bottom_row(const ui_state *u, size_t i, int y, ui_rect b, bool sel)
{
    int hs = u->lists[PANE_BOTTOM].hscroll;
    if (u->bottom == BOTTOM_LOG) {
        ui_put(u, y, b.x, 1, sel ? TH_ROW_SELECTED : TH_LOG, " ");
        ui_put_scrolled(u, y, b.x + 1, b.w - 1, sel ? TH_ROW_SELECTED : TH_LOG, ui_log_line(u, i),
                        hs);
        return;
    }
    theme_element re = sel ? TH_ROW_SELECTED : TH_ROW;
    const ui_cache_entry *e;
    const ui_cache *c = cache_row(u, i, &e);
    if (!c)
        return;
    char buf[4096];
    if (!e) {
        snprintf(buf, sizeof buf, " %s  (%s, %d-tier, %s, %zu entries, %" PRIu64 " bytes, %u hits)",
                 c->dir, c->exists ? "exists" : "not created yet", c->tiers ? c->tiers : 1,
                 c->writable ? "writable" : "read-only", c->n, c->bytes, cache_hits(u, c->dir));
        ui_put_scrolled(u, y, b.x, b.w, re == TH_ROW ? TH_HEADER : re, buf, hs);
        return;
    }
    int x = b.x;
    field(u, y, &x, 2, re, "");
    field(u, y, &x, 24, re, e->file);
    field(u, y, &x, 34, re, e->key);
    bool bad = sym_entry_state_is_fault(e->state);
    field(u, y, &x, 18, re == TH_ROW ? (bad ? TH_OUT_BAD_CONTENT : TH_OUT_FOUND) : re,
          sym_entry_state_name(e->state));
    snprintf(buf, sizeof buf, "%10" PRIu64 " %-8s %s", e->size, e->format, e->detail);
    ui_put_scrolled(u, y, x, b.x + b.w - x, re, buf, hs);
}

static void bottom_info(const ui_state *u, char *out, size_t n)
{
    const ui_list *l = &u->lists[PANE_BOTTOM];
    if (!l->n_rows) {
        snprintf(out, n, "%s", u->bottom == BOTTOM_LOG ? "The noisy log is empty." : "No cache.");
        return;
    }
    size_t i = l->rows[l->sel];
    if (u->bottom == BOTTOM_LOG) {
        snprintf(out, n, "%s", ui_log_line(u, i));
        return;
    }
    const ui_cache_entry *e;
    const ui_cache *c = cache_row(u, i, &e);
    if (c && e)
        snprintf(out, n, "%s %s: %s, %" PRIu64 " bytes, %s %s\nin %s", e->file, e->key,
                 sym_entry_state_name(e->state), e->size, e->format, e->detail, c->dir);
    else if (c)
        snprintf(out, n, "%s", c->dir);
    else
        out[0] = '\0';
}

/* ---- Enter: the explanation of the selected row, in a text view ---- */

static ui_redraw el_enter(ui_state *u)
{
    const ui_element *e = ui_selected_element(u);
    if (!e)
        return UI_REDRAW_NONE;
    ui_open_view(u, "Path element", ui_explain_element(u, e));
    return UI_REDRAW_ALL;
}

static ui_redraw mod_enter(ui_state *u)
{
    const ui_mod *m = ui_selected_mod(u);
    if (!m)
        return UI_REDRAW_NONE;
    char title[160];
    snprintf(title, sizeof title, "Module %.120s (lmvm)", m->m.name ? m->m.name : "?");
    ui_open_view(u, title, ui_explain_module(u, m));
    return UI_REDRAW_ALL;
}

static ui_redraw att_enter(ui_state *u)
{
    const ui_mod *m = ui_selected_mod(u);
    const ui_attempt *a = ui_selected_attempt(u);
    if (!m || !a)
        return UI_REDRAW_NONE;
    char title[160];
    snprintf(title, sizeof title, "Attempt %u of %.120s", a->n, m->m.name ? m->m.name : "?");
    ui_open_view(u, title, ui_explain_attempt(u, m, a));
    return UI_REDRAW_ALL;
}

static ui_redraw bottom_enter(ui_state *u)
{
    char text[4096];
    bottom_info(u, text, sizeof text);
    ui_open_view(u, u->bottom == BOTTOM_LOG ? "Log line" : "Cache entry", strdup(text));
    return UI_REDRAW_ALL;
}

static const ui_pane_def panes[PANE_COUNT] = {
    [PANE_ELEMENTS] = {"path", el_title, el_header, el_count, el_match, el_row, el_info, el_enter},
    [PANE_MODULES] = {"modules", mod_title, mod_header, mod_count, mod_match, mod_row, mod_info,
                      mod_enter},
    [PANE_ATTEMPTS] = {"attempts", att_title, att_header, att_count, att_match, att_row, att_info,
                       att_enter},
    [PANE_BOTTOM] = {"log", bottom_title, NULL, bottom_count, bottom_match, bottom_row, bottom_info,
                     bottom_enter},
};

const ui_pane_def *ui_pane(const ui_state *u, int pane)
{
    (void)u;
    return &panes[pane >= 0 && pane < PANE_COUNT ? pane : 0];
}
