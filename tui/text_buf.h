/* A growing text for the texts the commands and the screen share. */
#ifndef SYMSCOPE_TEXT_BUF_H
#define SYMSCOPE_TEXT_BUF_H

#include <stddef.h>

typedef struct text_buf {
    char *s;
    size_t len, cap;
} text_buf;

/* Appends; on failure to grow the text is left as it was. */
void text_add(text_buf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text (malloc'd, "" when nothing was added); t is emptied. */
char *text_take(text_buf *t);
/* A formatted string, malloc'd; NULL when out of memory. */
char *text_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
