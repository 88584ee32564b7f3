/* The session's set-up as a command line: what was tried on screen, to run again with
 * `symscope find` or the UI. Quoted for a POSIX shell. */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/* Appends ' ' and s single-quoted ('\'' for a quote). */
static void quoted(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t need = *len + strlen(s) * 4 + 4;
    if (need > *cap) {
        size_t c = need * 2;
        char *b = realloc(*buf, c);
        if (!b)
            return;
        *buf = b;
        *cap = c;
    }
    char *o = *buf + *len;
    *o++ = ' ';
    *o++ = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    *o++ = '\'';
    *o = '\0';
    *len = (size_t)(o - *buf);
}

static void word(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t need = *len + strlen(s) + 2;
    if (need > *cap) {
        size_t c = need * 2;
        char *b = realloc(*buf, c);
        if (!b)
            return;
        *buf = b;
        *cap = c;
    }
    *len += (size_t)sprintf(*buf + *len, " %s", s);
}

char *ui_export_command(const ui_state *u)
{
    size_t len = 0, cap = 256;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    len = (size_t)sprintf(buf, "symscope");
    word(&buf, &len, &cap, "--profile");
    word(&buf, &len, &cap, sym_profile_name(u->profile));
    for (int i = 0; i < SYM_OPTION_COUNT; i++)
        if (u->options[i]) {
            word(&buf, &len, &cap, "-o");
            word(&buf, &len, &cap, sym_option_name((sym_option)i));
        }
    word(&buf, &len, &cap, "-y");
    quoted(&buf, &len, &cap, u->path ? u->path : "");
    for (size_t i = 0; i < u->n_maps; i++) {
        size_t n = strlen(u->maps[i].from) + strlen(u->maps[i].dir) + 2;
        char *m = malloc(n);
        if (!m)
            continue;
        strcpy(m, u->maps[i].from);
        strcat(m, "=");
        strcat(m, u->maps[i].dir);
        word(&buf, &len, &cap, "--map");
        quoted(&buf, &len, &cap, m);
        free(m);
    }
    return buf;
}
