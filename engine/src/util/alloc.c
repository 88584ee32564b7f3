/* Allocation and string helpers that report failure as a status. */
#include <stdlib.h>

#include "util/internal.h"

void *util_calloc(size_t n, size_t size, sym_error *err)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        err_set(err, SYM_E_NOMEM, "out of memory (%zu x %zu bytes)", n, size);
    return p;
}

char *util_strndup(const char *s, size_t n, sym_error *err)
{
    char *p = util_calloc(n + 1, 1, err);
    if (p)
        memcpy(p, s, n);
    return p;
}

char *util_strdup_bounded(const uint8_t *buf, size_t max, sym_error *err)
{
    const uint8_t *nul = memchr(buf, 0, max);
    return util_strndup((const char *)buf, nul ? (size_t)(nul - buf) : max, err);
}

char *util_utf16le_to_utf8(const uint8_t *buf, size_t n_units, sym_error *err)
{
    /* Each code unit needs at most 3 UTF-8 bytes (a surrogate pair: 4 for 2 units). */
    char *out = util_calloc(n_units * 3 + 1, 1, err);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n_units; i++) {
        uint32_t c = le16(buf + 2 * i);
        if (c == 0)
            break;
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n_units) {
            uint32_t lo = le16(buf + 2 * (i + 1));
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                i++;
            } else {
                c = 0xFFFD;
            }
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = 0xFFFD;
        }
        if (c < 0x80) {
            out[o++] = (char)c;
        } else if (c < 0x800) {
            out[o++] = (char)(0xC0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[o++] = (char)(0xE0 | (c >> 12));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[o++] = (char)(0xF0 | (c >> 18));
            out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[o] = '\0';
    return out;
}
