/* The panes: path elements on top, modules and the selected module's attempts side by side,
 * the noisy log or the caches below, a status line and the function-key bar. Only visible
 * rows are drawn, so 10,000 modules cost what 40 do. */
#include <inttypes.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ui.h"

typedef struct rect {
    int y, x, h, w;
} rect;

static rect pane_box[PANE_COUNT];

static void put(const ui_state *u, int y, int x, int w, theme_element e, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Text at y,x cut to w columns, padded with blanks to w. */
static void put(const ui_state *u, int y, int x, int w, theme_element e, const char *fmt, ...)
{
    if (w <= 0)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    attr_t a = ui_attr(u, e);
    attron(a);
    mvaddnstr(y, x, buf, w);
    int n = (int)strlen(buf);
    for (int i = n; i < w; i++)
        mvaddch(y, x + i, ' ');
    attroff(a);
}

static void fill(const ui_state *u, int y, int x, int w, theme_element e)
{
    put(u, y, x, w, e, "%s", "");
}

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

static void pane_title(const ui_state *u, int pane, rect b, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void pane_title(const ui_state *u, int pane, rect b, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    const ui_list *l = &u->lists[pane];
    char right[160] = "";
    if (l->filter[0])
        snprintf(right, sizeof right, " filter: %s ", l->filter);
    theme_element e = u->focus == pane ? TH_PANE_TITLE_ACTIVE : TH_PANE_TITLE;
    const char *mark = u->focus == pane ? (u->utf8 ? "\u25b6 " : "> ") : "  ";
    put(u, b.y, b.x, b.w, e, "%s%s", mark, buf);
    int rw = (int)strlen(right);
    if (rw && rw < b.w - 20)
        put(u, b.y, b.x + b.w - rw, rw, e, "%s", right);
}

/* Keeps the selection visible; returns the first row to draw. */
static int scroll_to(ui_list *l, int rows)
{
    if (rows <= 0)
        return 0;
    if (l->sel < l->top)
        l->top = l->sel;
    if (l->sel >= l->top + rows)
        l->top = l->sel - rows + 1;
    if (l->top > (int)l->n_rows - rows)
        l->top = (int)l->n_rows - rows;
    if (l->top < 0)
        l->top = 0;
    return l->top;
}

static theme_element row_elem(const ui_state *u, int pane, int row, theme_element normal)
{
    if (row == u->lists[pane].sel)
        return u->focus == pane ? TH_ROW_SELECTED : TH_ROW_TAGGED;
    return normal;
}

/* Row `i` of a pane whose list starts `first` lines below its top: its screen line in *y,
 * or -1 when the list has no such row (the line is blanked). */
static int row_at(const ui_state *u, const ui_list *l, rect b, int first, int i, int r, int *y,
                  theme_element blank)
{
    *y = b.y + first + r;
    if (i >= (int)l->n_rows) {
        fill(u, *y, b.x, b.w, blank);
        return -1;
    }
    return i;
}

static void draw_elements(ui_state *u, rect b)
{
    ui_list *l = &u->lists[PANE_ELEMENTS];
    pane_title(u, PANE_ELEMENTS, b, "Symbol path: %zu element%s%s", u->n_el,
               u->n_el == 1 ? "" : "s",
               u->initialized ? "" : "  (session cleaned up: I initialises it again)");
    put(u, b.y + 1, b.x, b.w, TH_HEADER, "  # %-5s %-11s %-13s %4s %4s  %s", "kind", "state",
        "source", "hit", "miss", "element");
    int rows = b.h - 2;
    int top = scroll_to(l, rows);
    for (int r = 0; r < rows; r++) {
        int y, i = row_at(u, l, b, 2, top + r, r, &y, TH_ROW);
        if (i < 0)
            continue;
        const ui_element *e = &u->el[l->rows[i]];
        const ui_counter *c = ui_counter_of(u, e->text);
        sym_elem_state st = e->enabled ? e->state : SYM_STATE_DISABLED;
        if (st == SYM_STATE_OK && c && c->network)
            st = SYM_STATE_UNREACHABLE; /* its server failed this session */
        theme_element re = row_elem(u, PANE_ELEMENTS, i, TH_ROW);
        put(u, y, b.x, b.w, re, "%3zu ", l->rows[i]);
        put(u, y, b.x + 4, 6, re == TH_ROW ? TH_BADGE : re, "%-5s", short_kind(e->kind));
        put(u, y, b.x + 10, 12, re == TH_ROW ? ui_state_element(st) : re, "%-11s",
            sym_elem_state_name(st));
        char rest[1024];
        snprintf(rest, sizeof rest, "%-13.13s %4u %4u  %s%s%s%s%s", sym_elem_source_name(e->source),
                 c ? c->hits : 0, c ? c->misses : 0, e->text,
                 e->stores && e->stores[0] ? "  [" : "", e->stores && e->stores[0] ? e->stores : "",
                 e->stores && e->stores[0] ? "]" : "", "");
        if (e->reason && st != SYM_STATE_OK) {
            size_t n = strlen(rest);
            snprintf(rest + n, sizeof rest - n, "  - %s", e->reason);
        }
        char *shown = sym_display_text(rest); /* the element's URL shows no secret */
        put(u, y, b.x + 22, b.w - 22, re, "%s", shown ? shown : "");
        free(shown);
    }
}

static void draw_modules(ui_state *u, rect b)
{
    ui_list *l = &u->lists[PANE_MODULES];
    size_t loaded = 0, found = 0;
    for (size_t i = 0; i < u->n_mods; i++) {
        loaded += u->mods[i].m.state != SYM_MOD_UNLOADED;
        found += u->mods[i].m.file && u->mods[i].m.symbols != SYM_CLASS_EXPORT &&
                 u->mods[i].m.symbols != SYM_CLASS_NONE && u->mods[i].m.state != SYM_MOD_UNLOADED;
    }
    pane_title(u, PANE_MODULES, b, "Modules: %zu loaded, %zu with symbol files", loaded, found);
    put(u, b.y + 1, b.x, b.w, TH_HEADER, "  %-16s %-10s %-8s %-23s %-7s %s", "module", "base",
        "state", "symbols", "element", "file");
    int rows = b.h - 2;
    int top = scroll_to(l, rows);
    for (int r = 0; r < rows; r++) {
        int y, i = row_at(u, l, b, 2, top + r, r, &y, TH_ROW);
        if (i < 0)
            continue;
        const ui_mod *m = &u->mods[l->rows[i]];
        theme_element re = row_elem(u, PANE_MODULES, i, m->tagged ? TH_ROW_TAGGED : TH_ROW);
        char mark[3] = {m->tagged ? '+' : ' ', m->changed ? '*' : ' ', '\0'};
        char el[16];
        if (m->m.element >= 0)
            snprintf(el, sizeof el, "%d", m->m.element);
        else
            snprintf(el, sizeof el, "%s", m->m.file ? sym_step_name(m->m.step) : "-");
        put(u, y, b.x, 2, m->changed && re == TH_ROW ? TH_CHANGED : re, "%s", mark);
        put(u, y, b.x + 2, 45, re, "%-16.16s %010" PRIx64 " %-8s ", m->m.name ? m->m.name : "?",
            m->m.base, sym_module_state_name(m->m.state));
        char sym[40];
        snprintf(sym, sizeof sym, "%s%s%s", sym_symclass_name(m->m.symbols),
                 m->m.unmatched ? " M" : "", m->m.letters[0] && !m->m.unmatched ? " " : "");
        put(u, y, b.x + 39, 24,
            re == TH_ROW ? ui_symbols_element(m->m.symbols, m->m.unmatched) : re, "%-23.23s",
            m->m.state == SYM_MOD_UNLOADED ? "-" : sym);
        put(u, y, b.x + 63, b.w - 63, m->changed && re == TH_ROW ? TH_CHANGED : re, "%-7s %s", el,
            m->m.location ? m->m.location : (m->m.wanted_file ? m->m.wanted_file : ""));
    }
}

static void key_text(const sym_identity *id, char out[SYM_KEY_MAX])
{
    if (!sym_identity_key(id, out))
        strcpy(out, "-");
}

static void draw_attempts(ui_state *u, rect b)
{
    ui_list *l = &u->lists[PANE_ATTEMPTS];
    ui_mod *m = ui_selected_mod(u);
    char want[SYM_KEY_MAX] = "";
    if (m)
        key_text(&m->m.wanted, want);
    pane_title(u, PANE_ATTEMPTS, b, "Attempts: %s%s%s%s", m && m->m.name ? m->m.name : "(none)",
               m ? " wants " : "", m && m->m.wanted_file ? m->m.wanted_file : "",
               m && want[0] && strcmp(want, "-") ? "" : "");
    put(u, b.y + 1, b.x, b.w, TH_HEADER, " %3s %-9s %3s %-13s %9s %7s  %s", "n", "step", "el",
        "outcome", "bytes", "ms", "location / detail");
    int rows = b.h - 2;
    int top = scroll_to(l, rows);
    for (int r = 0; r < rows; r++) {
        int y = b.y + 2 + r, i = top + r;
        if (!m || i >= (int)l->n_rows) {
            fill(u, y, b.x, b.w, TH_ROW);
            continue;
        }
        const ui_attempt *a = &m->att[l->rows[i]];
        theme_element re = row_elem(u, PANE_ATTEMPTS, i, TH_ROW);
        char el[16] = "-";
        if (a->element >= 0)
            snprintf(el, sizeof el, "%d", a->element);
        put(u, y, b.x, 28, re, " %3u %-9s %3s ", a->n, sym_step_name(a->step), el);
        put(u, y, b.x + 19, 14, re == TH_ROW ? ui_outcome_element(a->outcome) : re, "%-13s",
            sym_outcome_name(a->outcome));
        char detail[600];
        if (a->outcome == SYM_OUT_MISMATCH) {
            char have[SYM_KEY_MAX];
            key_text(&a->found, have);
            snprintf(detail, sizeof detail, "wants %s, found %s", want, have);
        } else {
            snprintf(detail, sizeof detail, "%s", a->detail ? a->detail : "");
        }
        put(u, y, b.x + 33, b.w - 33, re, "%9" PRIu64 " %7.1f  %s%s%s", a->bytes, a->ms,
            a->location ? a->location : "", detail[0] ? "  - " : "", detail);
    }
}

static void draw_log(ui_state *u, rect b)
{
    ui_list *l = &u->lists[PANE_BOTTOM];
    pane_title(u, PANE_BOTTOM, b, "Noisy log: %zu lines%s  (c: caches)", u->log_n,
               u->log_follow ? ", following" : "");
    int rows = b.h - 1;
    if (u->log_follow && l->n_rows)
        l->sel = (int)l->n_rows - 1;
    int top = scroll_to(l, rows);
    for (int r = 0; r < rows; r++) {
        int y, i = row_at(u, l, b, 1, top + r, r, &y, TH_LOG);
        if (i < 0)
            continue;
        theme_element re = u->focus == PANE_BOTTOM && i == l->sel ? TH_ROW_SELECTED : TH_LOG;
        put(u, y, b.x, b.w, re, " %s", ui_log_line(u, l->rows[i]));
    }
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

static void draw_cache(ui_state *u, rect b)
{
    ui_list *l = &u->lists[PANE_BOTTOM];
    pane_title(u, PANE_BOTTOM, b, "Caches and downstream stores: %zu  (l: log)", u->n_caches);
    int rows = b.h - 1;
    int top = scroll_to(l, rows);
    for (int r = 0; r < rows; r++) {
        int y = b.y + 1 + r;
        size_t i = (size_t)(top + r), k = 0;
        if (i >= l->n_rows) {
            fill(u, y, b.x, b.w, TH_ROW);
            continue;
        }
        theme_element re = u->focus == PANE_BOTTOM && (int)i == l->sel ? TH_ROW_SELECTED : TH_ROW;
        /* Row i: a store's header or one of its entries. */
        for (k = 0; k < u->n_caches && i > u->caches[k].n; k++)
            i -= u->caches[k].n + 1;
        if (k >= u->n_caches) {
            fill(u, y, b.x, b.w, TH_ROW);
            continue;
        }
        const ui_cache *c = &u->caches[k];
        if (i == 0) {
            put(u, y, b.x, b.w, re == TH_ROW ? TH_HEADER : re,
                " %s  (%s, %d-tier, %s, %zu entries, %" PRIu64 " bytes, %u hits)", c->dir,
                c->exists ? "exists" : "not created yet", c->tiers ? c->tiers : 1,
                c->writable ? "writable" : "read-only", c->n, c->bytes, cache_hits(u, c->dir));
            continue;
        }
        const ui_cache_entry *e = &c->entries[i - 1];
        put(u, y, b.x, 63, re, "   %-24.24s %-35.35s", e->file, e->key);
        bool bad = sym_entry_state_is_fault(e->state);
        put(u, y, b.x + 63, 20, re == TH_ROW ? (bad ? TH_OUT_BAD_CONTENT : TH_OUT_FOUND) : re,
            "%-19s", sym_entry_state_name(e->state));
        put(u, y, b.x + 83, b.w - 83, re, "%10" PRIu64 " %-8s %s", e->size, e->format, e->detail);
    }
}

static void draw_title(ui_state *u)
{
    char opts[256] = "";
    size_t o = 0;
    for (int i = 0; i < SYM_OPTION_COUNT; i++)
        if (u->options[i] && o < sizeof opts - 40)
            o += (size_t)snprintf(opts + o, sizeof opts - o, "%s%s", o ? "," : "",
                                  sym_option_name((sym_option)i));
    put(u, 0, 0, COLS, TH_TITLE, " symscope  profile: %s  options: %s  theme: %s",
        sym_profile_name(u->profile), o ? opts : "none", theme_name(u->theme));
    /* Whether the engine works, in words (and for scripts driving the screen). */
    char state[64];
    if (u->busy && u->total)
        snprintf(state, sizeof state, " [busy %zu/%zu] ", u->done < u->total ? u->done : u->total,
                 u->total);
    else
        snprintf(state, sizeof state, " [%s] ", u->busy ? "busy" : "ready");
    int w = (int)strlen(state);
    if (COLS > w + 40)
        put(u, 0, COLS - w, w, TH_TITLE, "%s", state);
}

static void draw_status(ui_state *u)
{
    int y = LINES - 2;
    if (u->message[0]) {
        put(u, y, 0, COLS, u->message_error ? TH_ERROR : TH_MESSAGE, " %s", u->message);
    } else if (u->busy) {
        char prog[128] = "";
        if (u->total)
            snprintf(prog, sizeof prog, "module %zu of %zu, ",
                     u->done < u->total ? u->done + 1 : u->total, u->total);
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        double secs =
            ((double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6 - u->busy_start_ms) / 1000.0;
        double rate = secs > 0.2 && u->busy_start_ms ? (double)u->bytes / secs / 1024.0 : 0;
        put(u, y, 0, COLS, TH_STATUS,
            " %s %s%" PRIu64 " bytes, %.0f KiB/s, %.1f s  (x or Ctrl-C cancels)", u->busy_text,
            prog, u->bytes, rate, u->busy_start_ms ? secs : 0.0);
    } else {
        put(u, y, 0, COLS, TH_STATUS, " ready: %zu module%s; ? for help", u->n_mods,
            u->n_mods == 1 ? "" : "s");
    }
}

static void draw_fkeys(ui_state *u)
{
    const char *const *keys, *const *labels;
    size_t n = ui_fkeys(u, &keys, &labels);
    int x = 0, y = LINES - 1;
    fill(u, y, 0, COLS, TH_FKEY_LABEL);
    for (size_t i = 0; i < n && x < COLS; i++) {
        int kw = (int)strlen(keys[i]), lw = (int)strlen(labels[i]);
        put(u, y, x, kw, TH_FKEY_KEY, "%s", keys[i]);
        x += kw;
        put(u, y, x, lw + 1 < COLS - x ? lw + 1 : COLS - x, TH_FKEY_LABEL, "%s ", labels[i]);
        x += lw + 1;
    }
}

/* A box in the middle of the screen: a title, lines (each at most `lens[i]` bytes when lens
 * is given) and a footer. */
static void draw_overlay(ui_state *u, const char *title, const char *const *lines, const int *lens,
                         size_t n)
{
    int w = COLS - 8 < 100 ? COLS - 8 : 100;
    int h = (int)n + 4 < LINES - 4 ? (int)n + 4 : LINES - 4;
    int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
    put(u, y0, x0, w, TH_DIALOG_TITLE, " %s", title);
    for (int r = 1; r < h - 1; r++) {
        int i = r - 1;
        if (i < (int)n)
            put(u, y0 + r, x0, w, TH_DIALOG, "  %.*s", lens ? lens[i] : (int)strlen(lines[i]),
                lines[i]);
        else
            fill(u, y0 + r, x0, w, TH_DIALOG);
    }
    put(u, y0 + h - 1, x0, w, TH_DIALOG_TITLE, " %s",
        (int)n > h - 2 ? "(more lines than fit: make the terminal taller)  any key closes"
                       : "any key closes");
}

/* The dialog's text cut into lines at newlines and at the box's width, without copying. */
static void draw_dialog(ui_state *u)
{
    enum { MAX_LINES = 200 };
    const char *lines[MAX_LINES];
    int lens[MAX_LINES];
    size_t n = 0;
    int w = (COLS - 8 < 100 ? COLS - 8 : 100) - 4;
    if (w < 10)
        w = 10;
    for (const char *p = u->dialog; *p && n < MAX_LINES;) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        int take = len > w ? w : len;
        lines[n] = p;
        lens[n++] = take;
        p += take;
        if (take == len && nl)
            p++; /* past the newline */
    }
    draw_overlay(u, u->dialog_title ? u->dialog_title : "", lines, lens, n);
}

bool ui_hit(const ui_state *u, int y, int x, int *pane, int *row)
{
    for (int p = 0; p < PANE_COUNT; p++) {
        rect b = pane_box[p];
        int first = b.y + (p == PANE_BOTTOM ? 1 : 2);
        if (x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h) {
            *pane = p;
            *row = y >= first ? u->lists[p].top + (y - first) : -1;
            return true;
        }
    }
    return false;
}

int ui_pane_height(const ui_state *u, int pane)
{
    return pane_box[pane].h - (pane == PANE_BOTTOM ? 1 : 2);
}

void ui_draw(ui_state *u)
{
    erase();
    if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
        mvprintw(LINES / 2 - 1, 0, "Terminal too small: %dx%d.", COLS, LINES);
        mvprintw(LINES / 2, 0, "symscope needs at least %dx%d.", UI_MIN_COLS, UI_MIN_ROWS);
        mvprintw(LINES / 2 + 1, 0, "Resize, or Q to quit.");
        return;
    }
    for (int p = 0; p < PANE_COUNT; p++)
        ui_refilter(u, p);
    int avail = LINES - 3; /* title, status, keys */
    int eh = (int)u->n_el + 2;
    if (eh < 4)
        eh = 4;
    if (eh > avail / 4 + 2)
        eh = avail / 4 + 2;
    int bh = avail / 4 < 5 ? 5 : avail / 4;
    int mh = avail - eh - bh;
    int mw = COLS * 11 / 20;
    pane_box[PANE_ELEMENTS] = (rect){1, 0, eh, COLS};
    pane_box[PANE_MODULES] = (rect){1 + eh, 0, mh, mw};
    pane_box[PANE_ATTEMPTS] = (rect){1 + eh, mw + 1, mh, COLS - mw - 1};
    pane_box[PANE_BOTTOM] = (rect){1 + eh + mh, 0, bh, COLS};
    draw_title(u);
    draw_elements(u, pane_box[PANE_ELEMENTS]);
    draw_modules(u, pane_box[PANE_MODULES]);
    attron(ui_attr(u, TH_PANE_TITLE));
    for (int y = 1 + eh; y < 1 + eh + mh; y++)
        mvaddstr(y, mw, u->utf8 ? "\u2502" : "|");
    attroff(ui_attr(u, TH_PANE_TITLE));
    draw_attempts(u, pane_box[PANE_ATTEMPTS]);
    if (u->bottom == BOTTOM_LOG)
        draw_log(u, pane_box[PANE_BOTTOM]);
    else
        draw_cache(u, pane_box[PANE_BOTTOM]);
    draw_status(u);
    draw_fkeys(u);
    if (u->help) {
        const char **lines;
        size_t n = ui_help_lines(&lines);
        draw_overlay(u, "symscope keys", lines, NULL, n);
    } else if (u->dialog) {
        draw_dialog(u);
    }
}
