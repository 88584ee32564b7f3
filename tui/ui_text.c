/* Fitting text into screen columns. Names come from files, dumps and servers: control
 * characters are shown escaped, never sent to the terminal. Long texts are cut in the middle,
 * so both the start of a path and its file name stay visible. */
#include <stdio.h>
#include <string.h>

#include "ui.h"

/* One character of s: its bytes (*n) and the text to show for it (escaped when a control
 * character or a broken UTF-8 sequence). Returns the columns it takes. */
static int char_at(const char *s, bool utf8, int *n, char show[8])
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x20 || c == 0x7f) {
        snprintf(show, 8, "\\x%02x", c);
        *n = 1;
        return 4;
    }
    if (c < 0x80) {
        show[0] = (char)c;
        show[1] = '\0';
        *n = 1;
        return 1;
    }
    if (!utf8) {
        snprintf(show, 8, "\\x%02x", c);
        *n = 1;
        return 4;
    }
    int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
    for (int i = 1; i < len; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            len = 0;
    if (len == 0) {
        snprintf(show, 8, "\\x%02x", c);
        *n = 1;
        return 4;
    }
    memcpy(show, s, (size_t)len);
    show[len] = '\0';
    *n = len;
    return 1;
}

int ui_text_width(const char *s, bool utf8)
{
    int w = 0, n;
    char show[8];
    while (s && *s) {
        w += char_at(s, utf8, &n, show);
        s += n;
    }
    return w;
}

/* Appends the shown form of s, from column skip, at most w columns; returns columns used. */
static int append(const char *s, int skip, int w, bool utf8, char *out, size_t size, size_t *o)
{
    int used = 0, col = 0, n;
    char show[8];
    while (*s && used < w) {
        int cw = char_at(s, utf8, &n, show);
        s += n;
        if (col < skip) {
            col += cw;
            continue;
        }
        if (used + cw > w)
            break;
        size_t sl = strlen(show);
        if (*o + sl + 1 > size)
            break;
        memcpy(out + *o, show, sl);
        *o += sl;
        used += cw;
        col += cw;
    }
    out[*o] = '\0';
    return used;
}

int ui_text_fit(const char *s, int w, int skip, bool utf8, char *out, size_t out_size)
{
    size_t o = 0;
    out[0] = '\0';
    if (!s || w <= 0 || out_size < 2)
        return 0;
    int total = ui_text_width(s, utf8);
    if (skip > 0 || total <= w)
        return append(s, skip > 0 ? skip : 0, w, utf8, out, out_size, &o);
    const char *dots = utf8 ? "\u2026" : "~";
    if (skip < 0) {
        /* A sentence: its start says the most, so it is cut at the end. */
        int used = append(s, 0, w - 1, utf8, out, out_size, &o);
        size_t dl = strlen(dots);
        if (o + dl + 1 < out_size) {
            memcpy(out + o, dots, dl + 1);
            used++;
        }
        return used;
    }
    if (w < 4)
        return append(s, 0, w, utf8, out, out_size, &o);
    /* Head and tail around the ellipsis; the tail (the file name) gets the larger half. */
    int head = (w - 1) / 3, tail = w - 1 - head;
    int used = append(s, 0, head, utf8, out, out_size, &o);
    size_t dl = strlen(dots);
    if (o + dl + 1 < out_size) {
        memcpy(out + o, dots, dl + 1);
        o += dl;
        used++;
    }
    /* The tail: skip characters until what is left fits. */
    int col = 0, n;
    char show[8];
    const char *p = s;
    while (*p && total - col > tail) {
        col += char_at(p, utf8, &n, show);
        p += n;
    }
    return used + append(p, 0, tail, utf8, out, out_size, &o);
}

const char *ui_text_wrap(const char *s, int w, bool utf8, int *len)
{
    int col = 0, n;
    char show[8];
    const char *p = s, *space = NULL;
    while (*p && *p != '\n') {
        int cw = char_at(p, utf8, &n, show);
        if (col + cw > w && col > 0)
            break;
        if (*p == ' ')
            space = p;
        col += cw;
        p += n;
    }
    if (!*p) {
        *len = (int)(p - s);
        return p;
    }
    if (*p == '\n') {
        *len = (int)(p - s);
        return p + 1;
    }
    /* Break at the last blank when it is not too far back; paths are cut where they must. */
    if (space && space > s && (p - space) < w / 3) {
        *len = (int)(space - s);
        return space + 1;
    }
    *len = (int)(p - s);
    return p;
}

int ui_text_lines(const char *s, int w, bool utf8)
{
    int n = 0, len;
    if (w < 1)
        w = 1;
    while (s && *s) {
        s = ui_text_wrap(s, w, utf8, &len);
        n++;
    }
    return n;
}
