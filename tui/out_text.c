/* Printing untrusted text safely (see out_text.h). */
#include <stdarg.h>
#include <stdlib.h>

#include <symscope/symscope.h>

#include "out_text.h"

static void out_v(FILE *f, const char *fmt, va_list ap, bool newline) OUT_PRINTF(2, 0);

static void out_v(FILE *f, const char *fmt, va_list ap, bool newline)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *raw = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (raw)
        vsnprintf(raw, (size_t)n + 1, fmt, ap);
    char *shown = raw ? sym_display_text(raw) : NULL;
    if (shown)
        fputs(shown, f);
    if (newline)
        fputc('\n', f);
    free(shown);
    free(raw);
}

void out_line(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    out_v(f, fmt, ap, true);
    va_end(ap);
}

void out_text(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    out_v(f, fmt, ap, false);
    va_end(ap);
}
