/* Small containers and string helpers for the engine (abort-free: callers check NULL). */
#ifndef SYMSCOPE_UTIL_H
#define SYMSCOPE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/internal.h"

/* A growable string. */
typedef struct strbuf {
    char *s;
    size_t len, cap;
    bool failed; /* an allocation failed; the contents are cut */
} strbuf;

void sb_init(strbuf *b);
void sb_free(strbuf *b);
void sb_add(strbuf *b, const char *s);
void sb_addn(strbuf *b, const char *s, size_t n);
void sb_addc(strbuf *b, char c);
void sb_printf(strbuf *b, const char *fmt, ...) UTIL_PRINTF(2, 3);
/* Takes the string out (b is empty afterwards); NULL when an allocation failed. */
char *sb_take(strbuf *b);

char *util_strdup(const char *s); /* NULL in, NULL out */
char *util_asprintf(const char *fmt, ...) UTIL_PRINTF(1, 2);

/* Grows *arr (of elem bytes) so that it holds at least need elements. */
bool util_grow(void *arr, size_t *cap, size_t need, size_t elem);

/* Opens path for reading only when it is a regular file: O_NONBLOCK first, so that a FIFO
 * or a device cannot hang the open, then fstat. -1 with err set (naming the path) otherwise. */
int util_open_regular(const char *path, sym_error *err);

/* Monotonic milliseconds. */
double util_now_ms(void);

#endif
