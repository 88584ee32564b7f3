/* Undo and redo of path edits: the path texts before each edit. An edit after an undo drops
 * what could have been redone, as editors do. */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

static bool push(char ***v, size_t *n, size_t *cap, const char *path)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        char **p = realloc(*v, c * sizeof *p);
        if (!p)
            return false;
        *v = p;
        *cap = c;
    }
    char *s = strdup(path);
    if (!s)
        return false;
    (*v)[(*n)++] = s;
    return true;
}

static void drop_all(char **v, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free(v[i]);
    *n = 0;
}

void ui_history_push(ui_history *h, const char *path)
{
    push(&h->undo, &h->n_undo, &h->cap_undo, path);
    drop_all(h->redo, &h->n_redo);
}

char *ui_history_undo(ui_history *h, const char *current)
{
    if (!h->n_undo || !push(&h->redo, &h->n_redo, &h->cap_redo, current))
        return NULL;
    return h->undo[--h->n_undo];
}

char *ui_history_redo(ui_history *h, const char *current)
{
    if (!h->n_redo || !push(&h->undo, &h->n_undo, &h->cap_undo, current))
        return NULL;
    return h->redo[--h->n_redo];
}

void ui_history_free(ui_history *h)
{
    drop_all(h->undo, &h->n_undo);
    drop_all(h->redo, &h->n_redo);
    free(h->undo);
    free(h->redo);
    memset(h, 0, sizeof *h);
}
