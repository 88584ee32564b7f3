/* The screen, from the model and the layout: a title line, the panes from the pane table, the
 * detail lines, a status line, the function-key bar, and the mode on top. Only visible rows
 * are drawn, so 10,000 modules cost what 40 do. Nothing here changes the state. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ui.h"

void ui_put_scrolled(const ui_state *u, int y, int x, int w, theme_element e, const char *text,
                     int skip)
{
    if (w <= 0)
        return;
    char buf[4096];
    int used = ui_text_fit(text, w, skip, u->utf8, buf, sizeof buf);
    attr_t a = ui_attr(u, e);
    attron(a);
    mvaddstr(y, x, buf);
    for (int i = used; i < w; i++)
        addch(' ');
    attroff(a);
}

void ui_put(const ui_state *u, int y, int x, int w, theme_element e, const char *text)
{
    ui_put_scrolled(u, y, x, w, e, text, 0);
}

theme_element ui_row_element(const ui_state *u, int pane, bool selected, theme_element normal)
{
    if (selected)
        return u->focus == pane ? TH_ROW_SELECTED : TH_ROW_TAGGED;
    return normal;
}

static void draw_pane(const ui_state *u, int pane)
{
    const ui_pane_def *d = ui_pane(u, pane);
    const ui_list *l = &u->lists[pane];
    ui_rect b = u->lay.pane[pane];
    if (b.h <= 0)
        return;
    char title[1024], right[200] = "";
    d->title(u, title, sizeof title);
    size_t o = 0;
    if (l->quick != UI_QUICK_ALL)
        o += (size_t)snprintf(right + o, sizeof right - o, " only %s ",
                              l->quick == UI_QUICK_NO_SYMBOLS ? "without symbols" : "mismatches");
    if (l->filter[0])
        o += (size_t)snprintf(right + o, sizeof right - o, " filter: %.100s ", l->filter);
    if (l->hscroll)
        snprintf(right + o, sizeof right - o, " +%d cols ", l->hscroll);
    theme_element te = u->focus == pane ? TH_PANE_TITLE_ACTIVE : TH_PANE_TITLE;
    char line[1100];
    snprintf(line, sizeof line, "%s%s", u->focus == pane ? (u->utf8 ? "\u25b6 " : "> ") : "  ",
             title);
    int rw = ui_text_width(right, u->utf8);
    if (rw && rw < b.w - 20) {
        ui_put(u, b.y, b.x, b.w - rw, te, line);
        ui_put(u, b.y, b.x + b.w - rw, rw, te, right);
    } else {
        ui_put(u, b.y, b.x, b.w, te, line);
    }
    if (d->header) {
        char h[512];
        d->header(u, h, sizeof h);
        ui_put(u, b.y + 1, b.x, b.w, TH_HEADER, h);
    }
    int first = u->lay.first_row[pane], rows = b.h - first;
    theme_element blank = pane == PANE_BOTTOM && u->bottom == BOTTOM_LOG ? TH_LOG : TH_ROW;
    for (int r = 0; r < rows; r++) {
        int y = b.y + first + r, i = l->top + r;
        if (i >= (int)l->n_rows) {
            ui_put(u, y, b.x, b.w, blank, "");
            continue;
        }
        bool sel = i == l->sel && (pane != PANE_BOTTOM || u->focus == PANE_BOTTOM);
        d->draw_row(u, l->rows[i], y, b, sel);
    }
    if (l->n_rows == 0 && rows > 0 && (l->filter[0] || l->quick != UI_QUICK_ALL) && d->count(u) > 0)
        ui_put(u, b.y + first, b.x, b.w, TH_ROW, "  (no row passes the filter; q clears it)");
}

/* The detail lines: the focused pane's selected row in full, wrapped; in step mode the
 * attempt that waits. */
static void draw_info(const ui_state *u)
{
    ui_rect b = u->lay.info;
    char text[8192];
    if (u->step.on)
        ui_step_text(u, text, sizeof text); /* the step in place of the selected row */
    else
        ui_pane(u, u->focus)->info(u, text, sizeof text);
    const char *p = text;
    for (int r = 0; r < b.h; r++) {
        int len = 0;
        const char *next = *p ? ui_text_wrap(p, b.w - 1, u->utf8, &len) : p;
        char line[4096];
        snprintf(line, sizeof line, "%.*s", len, p);
        if (r == b.h - 1 && *next) {
            /* More than fits: say so at the end of the last line. */
            ui_put(u, b.y + r, b.x, 1, TH_DIALOG, "");
            ui_put(u, b.y + r, b.x + 1, b.w - 3, TH_DIALOG, line);
            ui_put(u, b.y + r, b.x + b.w - 2, 2, TH_DIALOG, u->utf8 ? "\u2026" : "+");
            break;
        }
        ui_put(u, b.y + r, b.x, 1, TH_DIALOG, "");
        ui_put(u, b.y + r, b.x + 1, b.w - 1, TH_DIALOG, line);
        p = next;
    }
}

static void draw_title(const ui_state *u)
{
    char opts[256] = "";
    size_t o = 0;
    for (int i = 0; i < SYM_OPTION_COUNT; i++)
        if (u->options[i] && o < sizeof opts - 40)
            o += (size_t)snprintf(opts + o, sizeof opts - o, "%s%s", o ? "," : "",
                                  sym_option_name((sym_option)i));
    char line[512];
    /* Wide: where the profile's rules come from too. */
    snprintf(line, sizeof line, " symscope  profile: %s (%s)  options: %s  theme: %s (%s)",
             sym_profile_name(u->profile), sym_profile_source(u->profile), o ? opts : "none",
             theme_name(u->theme), ui_depth_name(u));
    if (ui_text_width(line, u->utf8) > COLS - 12)
        snprintf(line, sizeof line, " symscope  profile: %s  options: %s  theme: %s (%s)",
                 sym_profile_name(u->profile), o ? opts : "none", theme_name(u->theme),
                 ui_depth_name(u));
    /* Narrow: the theme's name goes, then the options' names; profile and depth stay. */
    if (ui_text_width(line, u->utf8) > COLS - 12)
        snprintf(line, sizeof line, " symscope  profile: %s  options: %s  %s",
                 sym_profile_name(u->profile), o ? opts : "none", ui_depth_name(u));
    if (ui_text_width(line, u->utf8) > COLS - 12) {
        int n = 0;
        for (int i = 0; i < SYM_OPTION_COUNT; i++)
            n += u->options[i];
        snprintf(line, sizeof line, " symscope  profile: %s  options: %d (o)  %s",
                 sym_profile_name(u->profile), n, ui_depth_name(u));
    }
    /* Whether the engine works, in words (and for scripts driving the screen). */
    char state[64];
    if (u->busy && u->total)
        snprintf(state, sizeof state, " [busy %zu/%zu] ", u->done < u->total ? u->done : u->total,
                 u->total);
    else
        snprintf(state, sizeof state, " [%s] ", u->busy ? "busy" : "ready");
    int w = (int)strlen(state);
    ui_put(u, 0, 0, COLS - w, TH_TITLE, line);
    ui_put(u, 0, COLS - w, w, TH_TITLE, state);
}

void ui_draw_status(const ui_state *u)
{
    ui_rect b = u->lay.status;
    int y = b.y;
    char line[1024];
    if (u->message[0]) {
        snprintf(line, sizeof line, " %s", u->message);
        const char *p = line;
        for (int r = 0; r < b.h; r++) {
            int len = 0;
            const char *next = *p ? ui_text_wrap(p, COLS, u->utf8, &len) : p;
            char part[1024];
            snprintf(part, sizeof part, "%.*s", len, p);
            if (r == b.h - 1 && *next) {
                /* Longer still: its end stays, as the file and line are at the start. */
                ui_put_scrolled(u, b.y + r, 0, COLS, u->message_error ? TH_ERROR : TH_MESSAGE, p,
                                -1);
                break;
            }
            ui_put(u, b.y + r, 0, COLS, u->message_error ? TH_ERROR : TH_MESSAGE, part);
            p = next;
        }
        return;
    }
    if (u->busy) {
        char prog[128] = "";
        if (u->total)
            snprintf(prog, sizeof prog, "module %zu of %zu, ",
                     u->done < u->total ? u->done + 1 : u->total, u->total);
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        double secs =
            ((double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6 - u->busy_start_ms) / 1000.0;
        double rate = secs > 0.2 && u->busy_start_ms ? (double)u->bytes / secs / 1024.0 : 0;
        snprintf(line, sizeof line,
                 " %s %s%" PRIu64 " bytes, %.0f KiB/s, %.1f s  (x or Ctrl-C cancels)",
                 u->cancelling ? "cancelling" : u->busy_text, prog, u->bytes, rate,
                 u->busy_start_ms ? secs : 0.0);
        ui_put(u, y, 0, COLS, TH_STATUS, line);
        return;
    }
    size_t loaded = 0;
    for (size_t i = 0; i < u->n_mods; i++)
        loaded += u->mods[i].m.state != SYM_MOD_UNLOADED;
    /* A lesson's text that does not fit beside the panes (or is hidden) is one key away. */
    bool text_away = u->side_text && (!u->side_on || !ui_side_width(u));
    snprintf(line, sizeof line, " ready: %zu module%s loaded%s%s; ? for help", loaded,
             loaded == 1 ? "" : "s", u->n_el ? "" : "; the path is empty (a adds an element)",
             text_away ? "; T shows the lesson's text" : "");
    ui_put(u, y, 0, COLS, TH_STATUS, line);
}

static void draw_bar(const ui_state *u)
{
    const ui_layout *l = &u->lay;
    int y = LINES - 1;
    ui_put(u, y, 0, COLS, TH_FKEY_LABEL, "");
    for (size_t i = 0; i < l->n_bar; i++) {
        int kw = (int)strlen(l->bar_key[i]);
        if (l->bar_x[i] + l->bar_w[i] > COLS)
            break;
        ui_put(u, y, l->bar_x[i], kw, TH_FKEY_KEY, l->bar_key[i]);
        ui_put(u, y, l->bar_x[i] + kw, l->bar_w[i] - kw, TH_FKEY_LABEL, l->bar_label[i]);
    }
}

void ui_draw(const ui_state *u)
{
    erase();
    if (u->lay.too_small) {
        mvprintw(LINES / 2 - 1, 0, "Terminal too small: %dx%d.", COLS, LINES);
        mvprintw(LINES / 2, 0, "symscope needs at least %dx%d.", UI_MIN_COLS, UI_MIN_ROWS);
        mvprintw(LINES / 2 + 1, 0, "Resize, or Q to quit.");
        return;
    }
    draw_title(u);
    for (int p = 0; p < PANE_COUNT; p++)
        draw_pane(u, p);
    ui_rect s = u->lay.split;
    attr_t a = ui_attr(u, TH_PANE_TITLE);
    attron(a);
    for (int y = s.y; y < s.y + s.h; y++)
        mvaddstr(y, s.x, u->utf8 ? "\u2502" : "|");
    attroff(a);
    draw_info(u);
    ui_side_draw(u);
    ui_draw_status(u);
    draw_bar(u);
    ui_mode_draw(u);
}
