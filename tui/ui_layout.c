/* The layout: pane boxes, column widths (from the content and the width), filtered rows and
 * scroll positions, computed before drawing and before input, so drawing only reads. */
#include <stdio.h>
#include <string.h>

#include "ui.h"

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int digits(uint64_t v)
{
    int n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

/* Keeps the selection visible. */
static void scroll_to(ui_list *l, int rows)
{
    if (rows <= 0) {
        l->top = 0;
        return;
    }
    if (l->sel < l->top)
        l->top = l->sel;
    if (l->sel >= l->top + rows)
        l->top = l->sel - rows + 1;
    if (l->top > (int)l->n_rows - rows)
        l->top = (int)l->n_rows - rows;
    if (l->top < 0)
        l->top = 0;
}

static void module_columns(ui_state *u, int w)
{
    ui_layout *l = &u->lay;
    int sym = 7, sym_short = 7, el = 2;
    for (size_t i = 0; i < u->n_mods; i++) {
        const ui_mod *m = &u->mods[i];
        int s = (int)strlen(sym_symclass_name(m->m.symbols));
        if (s > sym)
            sym = s;
        s = (int)strlen(ui_symclass_short(m->m.symbols));
        if (s > sym_short)
            sym_short = s;
        int e = m->m.element >= 0 ? digits((uint64_t)m->m.element)
                : m->m.file       ? (int)strlen(sym_step_name(m->m.step))
                                  : 1;
        if (e > el)
            el = e;
    }
    l->m_name = clamp(u->w_name, 6, w < 70 ? 12 : 24);
    l->m_short_sym = w < 90;
    l->m_sym = l->m_short_sym ? sym_short : sym;
    l->m_el = el;
    l->m_state = 8;
    l->m_base = u->w_base ? u->w_base : 8;
    /* Narrow panes drop the columns the detail lines repeat, least useful first. */
    int fixed = 2 + l->m_name + 1 + 3 + l->m_sym + 1;
    const int why_min = 24;
    if (fixed + l->m_base + 1 + l->m_state + 1 + l->m_el + 1 + why_min > w)
        l->m_base = 0;
    if (fixed + (l->m_base ? l->m_base + 1 : 0) + l->m_state + 1 + l->m_el + 1 + why_min > w)
        l->m_state = 0;
    if (fixed + (l->m_base ? l->m_base + 1 : 0) + (l->m_state ? l->m_state + 1 : 0) + l->m_el + 1 +
            why_min >
        w)
        l->m_el = 0;
}

static void attempt_columns(ui_state *u, int w)
{
    ui_layout *l = &u->lay;
    const ui_mod *m = ui_selected_mod(u);
    int out = 7, rule = 4, el = 2;
    uint64_t bytes = 0;
    for (size_t i = 0; m && i < m->n_att; i++) {
        const ui_attempt *a = &m->att[i];
        int o = (int)strlen(sym_outcome_name(a->outcome));
        out = o > out ? o : out;
        int r = a->rule ? (int)strlen(a->rule) : 0;
        rule = r > rule ? r : rule;
        int e = a->element >= 0 ? digits((uint64_t)a->element) : 1;
        el = e > el ? e : el;
        bytes = a->bytes > bytes ? a->bytes : bytes;
    }
    l->a_out = out;
    l->a_el = el;
    int used = 4 + el + 1 + out + 1;
    const int loc_min = 20;
    l->a_step = used + 10 + loc_min <= w ? 9 : 0;
    used += l->a_step ? 10 : 0;
    l->a_rule = used + clamp(rule, 4, 18) + 1 + loc_min <= w ? clamp(rule, 4, 18) : 0;
    used += l->a_rule ? l->a_rule + 1 : 0;
    int bw = digits(bytes) > 5 ? digits(bytes) : 5;
    l->a_bytes = used + bw + 1 + loc_min + 20 <= w ? bw : 0;
    used += l->a_bytes ? l->a_bytes + 1 : 0;
    l->a_ms = used + 8 + loc_min + 30 <= w ? 7 : 0;
}

/* Lines the detail text of the focused pane needs at the screen's width. */
static int info_lines(const ui_state *u, int cols)
{
    char text[8192];
    if (u->step.on)
        ui_step_text(u, text, sizeof text);
    else
        ui_pane(u, u->focus)->info(u, text, sizeof text);
    return ui_text_lines(text, cols - 1, u->utf8);
}

void ui_layout_compute(ui_state *u)
{
    ui_layout *l = &u->lay;
    l->too_small = COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS;
    if (u->bottom == BOTTOM_LOG && u->log_follow) {
        ui_list *b = &u->lists[PANE_BOTTOM];
        b->sel = u->log_n ? (int)u->log_n - 1 : 0;
    }
    for (int p = 0; p < PANE_COUNT; p++)
        ui_refilter(u, p);
    if (l->too_small)
        return;
    /* A long message wraps onto up to three lines rather than being cut. */
    char msg[600];
    snprintf(msg, sizeof msg, " %s", u->message);
    int sh = u->message[0] ? clamp(ui_text_lines(msg, COLS, u->utf8), 1, 3) : 1;
    l->status = (ui_rect){LINES - 1 - sh, 0, sh, COLS};
    int avail = LINES - 2 - sh;         /* title, status, keys */
    int cols = COLS - ui_side_width(u); /* a lesson's text takes the right */
    int eh = (int)u->n_el + 2;
    eh = clamp(eh, 4, avail / 4 + 2);
    int bh = avail / 4 < 4 ? 4 : avail / 4;
    /* Stepping: the attempt that waits, why now and what came back need room. */
    int ih = clamp(info_lines(u, cols), 2, LINES >= 40 ? 6 : u->step.on && LINES >= 24 ? 5 : 3);
    int mh = avail - eh - bh - ih;
    int mw = cols * 11 / 20;
    l->pane[PANE_ELEMENTS] = (ui_rect){1, 0, eh, cols};
    l->pane[PANE_MODULES] = (ui_rect){1 + eh, 0, mh, mw};
    l->pane[PANE_ATTEMPTS] = (ui_rect){1 + eh, mw + 1, mh, cols - mw - 1};
    l->split = (ui_rect){1 + eh, mw, mh, 1};
    l->info = (ui_rect){1 + eh + mh, 0, ih, cols};
    l->pane[PANE_BOTTOM] = (ui_rect){1 + eh + mh + ih, 0, bh, cols};
    for (int p = 0; p < PANE_COUNT; p++)
        l->first_row[p] = ui_pane(u, p)->header ? 2 : 1;
    module_columns(u, mw);
    attempt_columns(u, cols - mw - 1);
    for (int p = 0; p < PANE_COUNT; p++)
        scroll_to(&u->lists[p], ui_pane_rows(u, p));
    ui_bar_layout(u);
    if (u->mode == UI_MODE_VIEW) {
        int w = (COLS - 4 < 110 || u->view.wide ? COLS - 4 : 110) - 4;
        int h = LINES - 4;
        u->view.n_lines = ui_text_lines(u->view.text, w, u->utf8);
        u->view.rows = clamp(u->view.n_lines, 1, h - 2);
        u->view.top = clamp(u->view.top, 0, u->view.n_lines - u->view.rows);
    }
}

int ui_pane_rows(const ui_state *u, int pane)
{
    int r = u->lay.pane[pane].h - u->lay.first_row[pane];
    return r > 0 ? r : 0;
}

bool ui_hit(const ui_state *u, int y, int x, int *pane, int *row)
{
    for (int p = 0; p < PANE_COUNT; p++) {
        ui_rect b = u->lay.pane[p];
        int first = b.y + u->lay.first_row[p];
        if (x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h) {
            *pane = p;
            *row = y >= first ? u->lists[p].top + (y - first) : -1;
            return true;
        }
    }
    return false;
}
