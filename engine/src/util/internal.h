/* Helpers shared by the engine's files; not part of the public API. */
#ifndef SYMSCOPE_INTERNAL_H
#define SYMSCOPE_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "symscope/error.h"

#if defined(__GNUC__)
#define UTIL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define UTIL_PRINTF(a, b)
#endif

/* Sets err (when not NULL) and returns status, so callers can `return err_set(...)`. */
sym_status err_set(sym_error *err, sym_status status, const char *fmt, ...) UTIL_PRINTF(3, 4);

/* Little-endian loads from a byte buffer the caller has bounds-checked. */
static inline uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t le64(const uint8_t *p)
{
    return (uint64_t)le32(p) | ((uint64_t)le32(p + 4) << 32);
}

/* Allocation that reports failure through err; NULL on failure. */
void *util_calloc(size_t n, size_t size, sym_error *err);
char *util_strndup(const char *s, size_t n, sym_error *err);

/* A NUL-terminated copy of at most max bytes of buf (stops at the first NUL). */
char *util_strdup_bounded(const uint8_t *buf, size_t max, sym_error *err);

/* UTF-16LE (n_units code units) to a newly allocated UTF-8 string; lone surrogates become
 * U+FFFD. */
char *util_utf16le_to_utf8(const uint8_t *buf, size_t n_units, sym_error *err);

#endif
