/* The side text: a lesson's or scenario's "what to watch, which keys to press", in a column at
 * the right of the panes, from the title line to the status line. `i` shows or hides it; T
 * shows the whole text in a view; below UI_MIN_COLS + 40 columns it is hidden and the panes
 * keep the width. */
#include <stdio.h>
#include <string.h>

#include "ui.h"

int ui_side_width(const ui_state *u)
{
    if (!u->side_text || !u->side_on || COLS < UI_MIN_COLS + 40)
        return 0;
    int w = COLS / 3;
    return w < 40 ? 40 : w > 60 ? 60 : w;
}

void ui_side_draw(const ui_state *u)
{
    int w = ui_side_width(u);
    if (!w || u->lay.too_small)
        return;
    int x = COLS - w, top = 1, bottom = u->lay.status.y; /* rows [top, bottom) */
    attr_t a = ui_attr(u, TH_PANE_TITLE);
    attron(a);
    for (int y = top; y < bottom; y++)
        mvaddstr(y, x, u->utf8 ? "\u2502" : "|");
    attroff(a);
    /* The title, wrapped: a lesson's number and name stay whole. */
    int tw = w - 3, y = top;
    const char *p = u->side_title && *u->side_title ? u->side_title : "Lesson";
    while (*p && y < bottom) {
        int len = 0;
        const char *next = ui_text_wrap(p, tw, u->utf8, &len);
        /* Words stay whole in the title when a blank allows it. */
        for (int k = len; p[len] && p[len] != ' ' && k > 0; k--)
            if (p[k - 1] == ' ') {
                len = k - 1;
                next = p + k;
                break;
            }
        char line[1024];
        snprintf(line, sizeof line, "%.*s", len, p);
        ui_put(u, y, x + 1, 1, TH_PANE_TITLE, "");
        ui_put(u, y++, x + 2, w - 2, TH_PANE_TITLE, line);
        p = next;
    }
    y++; /* a blank line between the title and the text */
    for (p = u->side_text; y < bottom; y++) {
        int len = 0;
        const char *next = *p ? ui_text_wrap(p, tw, u->utf8, &len) : p;
        char line[1024];
        snprintf(line, sizeof line, "%.*s", len, p);
        if (y == bottom - 1 && *next) {
            /* More than fits: say so, and where the whole text is. */
            ui_put(u, y, x + 1, w - 1, TH_HEADER, " ... (T: the whole text)");
            break;
        }
        ui_put(u, y, x + 1, 1, TH_ROW, "");
        ui_put(u, y, x + 2, w - 2, TH_ROW, line);
        p = next;
    }
}
