/* Modal input on the bottom lines: an input line with file-name completion, a yes/no
 * question whose default is No, a menu, an explanation box. The engine keeps working behind
 * them: events are taken in and the screen redrawn while they wait for keys. */
#include <dirent.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui.h"

/* Waits for a key, drawing engine progress meanwhile. */
static int wait_key(ui_state *u, void (*draw_extra)(ui_state *, void *), void *ctx)
{
    for (;;) {
        if (u->dirty) {
            ui_draw(u);
            if (draw_extra)
                draw_extra(u, ctx);
            refresh();
            u->dirty = false;
        }
        int ch = getch();
        if (ch != ERR) {
            if (ch == KEY_RESIZE)
                u->dirty = true;
            else
                return ch;
            continue;
        }
        struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {bridge_fd(u->b), POLLIN, 0}};
        if (poll(fds, 2, 200) > 0 && (fds[1].revents & POLLIN)) {
            ui_pump(u);
            u->dirty = true;
        }
    }
}

typedef struct line_edit {
    const char *label;
    char buf[1024];
    size_t len, pos;
    char hint[512];
} line_edit;

static void draw_line(ui_state *u, void *ctx)
{
    line_edit *le = ctx;
    int y = LINES - 1;
    attr_t a = ui_attr(u, TH_INPUT);
    attron(a);
    mvhline(y, 0, ' ', COLS);
    mvprintw(y, 0, "%s", le->label);
    int lx = (int)strlen(le->label);
    int room = COLS - lx - 1;
    size_t start = le->pos > (size_t)room ? le->pos - (size_t)room : 0;
    mvaddnstr(y, lx, le->buf + start, room);
    attroff(a);
    if (le->hint[0]) {
        attron(ui_attr(u, TH_MESSAGE));
        mvhline(y - 1, 0, ' ', COLS);
        mvaddnstr(y - 1, 0, le->hint, COLS);
        attroff(ui_attr(u, TH_MESSAGE));
    }
    move(y, lx + (int)(le->pos - start));
    curs_set(1);
}

/* Completes the last word of the line as a file name: the longest common prefix of the
 * matches; several matches are listed in the hint line. */
static void complete(line_edit *le)
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

char *ui_prompt(ui_state *u, const char *label, const char *initial, bool complete_paths)
{
    line_edit le = {.label = label};
    snprintf(le.buf, sizeof le.buf, "%s", initial ? initial : "");
    le.len = le.pos = strlen(le.buf);
    u->dirty = true;
    char *result = NULL;
    for (;;) {
        int ch = wait_key(u, draw_line, &le);
        u->dirty = true;
        if (ch == 27 || ch == 7 /* Ctrl-G */) {
            break;
        } else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
            le.buf[le.len] = '\0';
            result = strdup(le.buf);
            break;
        } else if (ch == '\t' && complete_paths) {
            complete(&le);
        } else if (ch == KEY_LEFT && le.pos > 0) {
            le.pos--;
        } else if (ch == KEY_RIGHT && le.pos < le.len) {
            le.pos++;
        } else if (ch == KEY_HOME || ch == 1) {
            le.pos = 0;
        } else if (ch == KEY_END || ch == 5) {
            le.pos = le.len;
        } else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && le.pos > 0) {
            memmove(le.buf + le.pos - 1, le.buf + le.pos, le.len - le.pos);
            le.pos--;
            le.len--;
        } else if (ch == KEY_DC && le.pos < le.len) {
            memmove(le.buf + le.pos, le.buf + le.pos + 1, le.len - le.pos - 1);
            le.len--;
        } else if (ch == 21) { /* Ctrl-U */
            le.len = le.pos = 0;
        } else if (ch >= 32 && ch < 256 && le.len + 1 < sizeof le.buf) {
            memmove(le.buf + le.pos + 1, le.buf + le.pos, le.len - le.pos);
            le.buf[le.pos++] = (char)ch;
            le.len++;
        }
        le.buf[le.len] = '\0';
    }
    curs_set(0);
    return result;
}

static void draw_question(ui_state *u, void *ctx)
{
    int y = LINES - 1;
    attr_t a = ui_attr(u, TH_DIALOG_TITLE);
    attron(a);
    mvhline(y, 0, ' ', COLS);
    mvprintw(y, 0, " %s [y/N] ", (const char *)ctx);
    attroff(a);
}

bool ui_confirm(ui_state *u, const char *question)
{
    u->dirty = true;
    int ch = wait_key(u, draw_question, (void *)question);
    u->dirty = true;
    return ch == 'y' || ch == 'Y';
}

typedef struct menu {
    const char *title;
    const char *const *items;
    size_t n;
    int sel;
} menu;

static void draw_menu(ui_state *u, void *ctx)
{
    menu *m = ctx;
    int w = COLS - 8 < 110 ? COLS - 8 : 110;
    int h = (int)m->n + 2 < LINES - 4 ? (int)m->n + 2 : LINES - 4;
    int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
    int rows = h - 2, top = m->sel >= rows ? m->sel - rows + 1 : 0;
    attron(ui_attr(u, TH_DIALOG_TITLE));
    mvhline(y0, x0, ' ', w);
    mvaddnstr(y0, x0 + 1, m->title, w - 2);
    attroff(ui_attr(u, TH_DIALOG_TITLE));
    for (int r = 0; r < rows; r++) {
        int i = top + r;
        attr_t a = ui_attr(u, i == m->sel ? TH_ROW_SELECTED : TH_DIALOG);
        attron(a);
        mvhline(y0 + 1 + r, x0, ' ', w);
        if (i < (int)m->n)
            mvaddnstr(y0 + 1 + r, x0 + 2, m->items[i], w - 3);
        attroff(a);
    }
    attron(ui_attr(u, TH_DIALOG_TITLE));
    mvhline(y0 + h - 1, x0, ' ', w);
    mvaddnstr(y0 + h - 1, x0 + 1, "Up/Down choose, Enter takes, Esc cancels", w - 2);
    attroff(ui_attr(u, TH_DIALOG_TITLE));
}

int ui_menu(ui_state *u, const char *title, const char *const *items, size_t n, int current)
{
    menu m = {title, items, n, current >= 0 && (size_t)current < n ? current : 0};
    for (;;) {
        u->dirty = true;
        int ch = wait_key(u, draw_menu, &m);
        if (ch == KEY_UP || ch == 'k')
            m.sel = m.sel > 0 ? m.sel - 1 : 0;
        else if (ch == KEY_DOWN || ch == 'j')
            m.sel = m.sel + 1 < (int)n ? m.sel + 1 : m.sel;
        else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
            u->dirty = true;
            return m.sel;
        } else if (ch == 27 || ch == 'q') {
            u->dirty = true;
            return -1;
        }
    }
}

void ui_show_dialog(ui_state *u, const char *title, const char *text)
{
    free(u->dialog);
    free(u->dialog_title);
    u->dialog = strdup(text);
    u->dialog_title = strdup(title);
    u->dirty = true;
}
