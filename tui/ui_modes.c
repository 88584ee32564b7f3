/* The modes of the main loop on top of the main screen: an input line with file-name
 * completion, a yes/no question whose default is No, a menu, and a scrolling text view (help,
 * explanations). They wait for nothing: the main loop keeps taking engine events and hands
 * them keys. What they are for is applied when they end, to the model as it is then. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ui.h"

/* Completes the last word of the line as a file name: the longest common prefix of the
 * matches; several matches are listed in the hint line. */
static void complete(ui_input *le)
{
    le->hint[0] = '\0';
    le->buf[le->len] = '\0';
    const char *word = le->buf;
    char dir[1024], base[1024];
    const char *slash = strrchr(word, '/');
    if (slash) {
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - word + 1), word);
        snprintf(base, sizeof base, "%s", slash + 1);
    } else {
        snprintf(dir, sizeof dir, "%s", "");
        snprintf(base, sizeof base, "%s", word);
    }
    DIR *d = opendir(dir[0] ? dir : ".");
    if (!d) {
        snprintf(le->hint, sizeof le->hint, "no such directory: %.480s", dir);
        return;
    }
    char common[1024] = "";
    size_t n = 0, hint_len = 0;
    bool is_dir = false;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, base, strlen(base)) != 0 || strcmp(de->d_name, ".") == 0 ||
            strcmp(de->d_name, "..") == 0)
            continue;
        if (de->d_name[0] == '.' && base[0] != '.')
            continue;
        if (n == 0) {
            snprintf(common, sizeof common, "%s", de->d_name);
            char full[2100];
            snprintf(full, sizeof full, "%s%s", dir, de->d_name);
            struct stat st;
            is_dir = stat(full[0] ? full : ".", &st) == 0 && S_ISDIR(st.st_mode);
        } else {
            size_t k = 0;
            while (common[k] && common[k] == de->d_name[k])
                k++;
            common[k] = '\0';
        }
        size_t nl = strlen(de->d_name);
        if (hint_len + nl + 3 < sizeof le->hint) {
            memcpy(le->hint + hint_len, de->d_name, nl);
            memcpy(le->hint + hint_len + nl, "  ", 3);
            hint_len += nl + 2;
        }
        n++;
    }
    closedir(d);
    if (n == 0) {
        snprintf(le->hint, sizeof le->hint, "no file starts with '%.480s'", base);
        return;
    }
    if (n == 1)
        le->hint[0] = '\0';
    char done[2048];
    snprintf(done, sizeof done, "%s%s%s", dir, common, n == 1 && is_dir ? "/" : "");
    snprintf(le->buf, sizeof le->buf, "%.1023s", done);
    le->len = le->pos = strlen(le->buf);
}

void ui_open_input(ui_state *u, ui_purpose purpose, const char *label, const char *initial,
                   bool complete_paths)
{
    ui_input *in = &u->input;
    memset(in, 0, sizeof *in);
    in->purpose = purpose;
    snprintf(in->label, sizeof in->label, "%s", label);
    snprintf(in->buf, sizeof in->buf, "%s", initial ? initial : "");
    in->len = in->pos = strlen(in->buf);
    in->complete_paths = complete_paths;
    u->mode = UI_MODE_INPUT;
}

void ui_open_confirm(ui_state *u, ui_purpose purpose, const char *question)
{
    snprintf(u->question, sizeof u->question, "%s", question);
    u->question_for = purpose;
    u->mode = UI_MODE_CONFIRM;
}

static void menu_free(ui_menu *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->items[i]);
    free(m->items);
    m->items = NULL;
    m->n = 0;
}

void ui_open_menu(ui_state *u, ui_purpose purpose, const char *title, const char *const *items,
                  size_t n, int current)
{
    ui_menu *m = &u->menu;
    menu_free(m);
    m->items = calloc(n ? n : 1, sizeof *m->items);
    for (size_t i = 0; m->items && i < n; i++)
        if ((m->items[m->n] = strdup(items[i])) != NULL)
            m->n++;
    m->purpose = purpose;
    snprintf(m->title, sizeof m->title, "%s", title);
    m->sel = current >= 0 && (size_t)current < m->n ? current : 0;
    u->mode = UI_MODE_MENU;
}

void ui_open_view(ui_state *u, const char *title, char *text_owned)
{
    free(u->view.title);
    free(u->view.text);
    u->view.title = strdup(title);
    u->view.text = text_owned ? text_owned : strdup("");
    u->view.top = 0;
    u->view.wide = false;
    u->mode = UI_MODE_VIEW;
}

void ui_close_mode(ui_state *u)
{
    if (u->mode == UI_MODE_INPUT)
        curs_set(0);
    if (u->mode == UI_MODE_MENU)
        menu_free(&u->menu);
    if (u->mode == UI_MODE_VIEW) {
        free(u->view.title);
        free(u->view.text);
        u->view.title = u->view.text = NULL;
    }
    u->mode = UI_MODE_MAIN;
}

static ui_redraw input_key(ui_state *u, int ch)
{
    ui_input *le = &u->input;
    if (ch == 27 || ch == 7 /* Ctrl-G */) {
        ui_purpose p = le->purpose;
        ui_close_mode(u);
        if (p != UI_FOR_FILTER)
            ui_set_message(u, false, "cancelled: nothing changed");
        return UI_REDRAW_ALL;
    }
    if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        le->buf[le->len] = '\0';
        ui_input done = *le;
        ui_close_mode(u);
        return ui_input_done(u, &done);
    }
    if (ch == '\t' && le->complete_paths) {
        complete(le);
    } else if (ch == KEY_LEFT && le->pos > 0) {
        le->pos--;
    } else if (ch == KEY_RIGHT && le->pos < le->len) {
        le->pos++;
    } else if (ch == KEY_HOME || ch == 1) {
        le->pos = 0;
    } else if (ch == KEY_END || ch == 5) {
        le->pos = le->len;
    } else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && le->pos > 0) {
        memmove(le->buf + le->pos - 1, le->buf + le->pos, le->len - le->pos);
        le->pos--;
        le->len--;
    } else if (ch == KEY_DC && le->pos < le->len) {
        memmove(le->buf + le->pos, le->buf + le->pos + 1, le->len - le->pos - 1);
        le->len--;
    } else if (ch == 21) { /* Ctrl-U */
        le->len = le->pos = 0;
    } else if (ch >= 32 && ch < 256 && le->len + 1 < sizeof le->buf) {
        memmove(le->buf + le->pos + 1, le->buf + le->pos, le->len - le->pos);
        le->buf[le->pos++] = (char)ch;
        le->len++;
    }
    le->buf[le->len] = '\0';
    return UI_REDRAW_ALL;
}

static ui_redraw menu_key(ui_state *u, int ch)
{
    ui_menu *m = &u->menu;
    if (ch == KEY_UP || ch == 'k')
        m->sel = m->sel > 0 ? m->sel - 1 : 0;
    else if (ch == KEY_DOWN || ch == 'j')
        m->sel = m->sel + 1 < (int)m->n ? m->sel + 1 : m->sel;
    else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        ui_purpose p = m->purpose;
        int sel = m->sel;
        ui_close_mode(u);
        return ui_menu_done(u, p, sel);
    } else if (ch == 27 || ch == 'q') {
        ui_close_mode(u);
        ui_set_message(u, false, "cancelled: nothing changed");
    }
    return UI_REDRAW_ALL;
}

static ui_redraw view_key(ui_state *u, int ch)
{
    ui_view *v = &u->view;
    int page = v->rows > 1 ? v->rows - 1 : 1;
    switch (ch) {
    case KEY_UP:
    case 'k':
        v->top--;
        break;
    case KEY_DOWN:
    case 'j':
        v->top++;
        break;
    case KEY_PPAGE:
        v->top -= page;
        break;
    case KEY_NPAGE:
    case ' ':
        v->top += page;
        break;
    case KEY_HOME:
    case 'g':
        v->top = 0;
        break;
    case KEY_END:
    case 'G':
        v->top = v->n_lines;
        break;
    case 'Q':
    case KEY_F(10):
        ui_close_mode(u);
        return ui_do(u, ACT_QUIT);
    default:
        /* q, Esc, Enter and any other key close the view. */
        ui_close_mode(u);
        break;
    }
    return UI_REDRAW_ALL; /* the layout keeps top in range */
}

ui_redraw ui_mode_key(ui_state *u, int ch)
{
    if (ch == KEY_RESIZE)
        return UI_REDRAW_ALL;
    if (u->lay.too_small) {
        /* Behind the notice nothing acts but quitting. */
        if (ch == 'Q' || ch == 'q' || ch == KEY_F(10))
            u->quit = true;
        return UI_REDRAW_NONE;
    }
    if (ch == KEY_MOUSE && u->mode != UI_MODE_MAIN)
        return UI_REDRAW_NONE; /* clicks act on the main screen only */
    switch (u->mode) {
    case UI_MODE_INPUT:
        return input_key(u, ch);
    case UI_MODE_CONFIRM: {
        ui_purpose p = u->question_for;
        ui_close_mode(u);
        return ui_confirm_done(u, p, ch == 'y' || ch == 'Y');
    }
    case UI_MODE_MENU:
        return menu_key(u, ch);
    case UI_MODE_VIEW:
        return view_key(u, ch);
    case UI_MODE_MAIN:
    default:
        return ui_key(u, ch);
    }
}

/* ---- drawing ---- */

static void draw_input(const ui_state *u)
{
    const ui_input *le = &u->input;
    int y = LINES - 1;
    if (le->hint[0])
        ui_put(u, y - 1, 0, COLS, TH_MESSAGE, le->hint);
    int lx = (int)strlen(le->label);
    int room = COLS - lx - 1;
    if (room < 1)
        room = 1;
    size_t start = le->pos > (size_t)room ? le->pos - (size_t)room : 0;
    ui_put(u, y, 0, lx, TH_INPUT, le->label);
    attr_t a = ui_attr(u, TH_INPUT);
    attron(a);
    mvhline(y, lx, ' ', COLS - lx);
    mvaddnstr(y, lx, le->buf + start, room);
    attroff(a);
    move(y, lx + (int)(le->pos - start));
    curs_set(1);
}

static void draw_menu(const ui_state *u)
{
    const ui_menu *m = &u->menu;
    int w = COLS - 8 < 110 ? COLS - 8 : 110;
    int h = (int)m->n + 2 < LINES - 4 ? (int)m->n + 2 : LINES - 4;
    int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
    int rows = h - 2, top = m->sel >= rows ? m->sel - rows + 1 : 0;
    char title[160];
    snprintf(title, sizeof title, " %s", m->title);
    ui_put(u, y0, x0, w, TH_DIALOG_TITLE, title);
    for (int r = 0; r < rows; r++) {
        int i = top + r;
        ui_put(u, y0 + 1 + r, x0, 2, i == m->sel ? TH_ROW_SELECTED : TH_DIALOG,
               i == m->sel ? ">" : "");
        ui_put(u, y0 + 1 + r, x0 + 2, w - 2, i == m->sel ? TH_ROW_SELECTED : TH_DIALOG,
               i < (int)m->n ? m->items[i] : "");
    }
    ui_put(u, y0 + h - 1, x0, w, TH_DIALOG_TITLE, " Up/Down choose, Enter takes, q/Esc cancels");
}

static void draw_view(const ui_state *u)
{
    const ui_view *v = &u->view;
    int w = COLS - 4 < 110 || v->wide ? COLS - 4 : 110;
    int h = v->rows + 2;
    int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
    char title[200];
    snprintf(title, sizeof title, " %s", v->title ? v->title : "");
    ui_put(u, y0, x0, w, TH_DIALOG_TITLE, title);
    const char *p = v->text ? v->text : "";
    int len;
    for (int i = 0; i < v->top && *p; i++)
        p = ui_text_wrap(p, w - 4, u->utf8, &len);
    for (int r = 0; r < v->rows; r++) {
        char line[4096] = "";
        if (*p) {
            const char *next = ui_text_wrap(p, w - 4, u->utf8, &len);
            snprintf(line, sizeof line, "%.*s", len, p);
            p = next;
        }
        ui_put(u, y0 + 1 + r, x0, 2, TH_DIALOG, "");
        ui_put(u, y0 + 1 + r, x0 + 2, w - 2, TH_DIALOG, line);
    }
    char foot[160];
    if (v->n_lines > v->rows)
        snprintf(foot, sizeof foot, " lines %d-%d of %d: Up/Down/PgUp/PgDn scroll, q closes",
                 v->top + 1, v->top + v->rows, v->n_lines);
    else
        snprintf(foot, sizeof foot, " q or any key closes");
    ui_put(u, y0 + h - 1, x0, w, TH_DIALOG_TITLE, foot);
}

void ui_mode_draw(const ui_state *u)
{
    switch (u->mode) {
    case UI_MODE_INPUT:
        draw_input(u);
        break;
    case UI_MODE_CONFIRM: {
        char q[300];
        snprintf(q, sizeof q, " %s [y/N] ", u->question);
        ui_put(u, LINES - 1, 0, COLS, TH_DIALOG_TITLE, q);
        break;
    }
    case UI_MODE_MENU:
        draw_menu(u);
        break;
    case UI_MODE_VIEW:
        draw_view(u);
        break;
    case UI_MODE_MAIN:
    default:
        break;
    }
}
