/* Text made safe to show (see symscope/display.h). */
#include <stdio.h>
#include <stdlib.h>

#include "symscope/display.h"
#include "util/util.h"

/* Where a URL written in free text ends: symbol paths separate elements with ';' and '*'. */
static bool url_end(char c)
{
    return c == '\0' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\'' ||
           c == '<' || c == '>' || c == ';' || c == '*' || c == '`';
}

static bool scheme_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '-' || c == '.';
}

/* Appends the URL u[0..n) with its password and query values hidden. */
static void add_redacted(strbuf *b, const char *u, size_t n)
{
    const char *sep = strstr(u, "://");
    size_t start = (size_t)(sep - u) + 3;
    sb_addn(b, u, start);
    size_t auth_end = start;
    while (auth_end < n && u[auth_end] != '/' && u[auth_end] != '?' && u[auth_end] != '#')
        auth_end++;
    size_t at = auth_end;
    for (size_t i = start; i < auth_end; i++)
        if (u[i] == '@')
            at = i;
    size_t i = start;
    if (at < auth_end) {
        size_t colon = start;
        while (colon < at && u[colon] != ':')
            colon++;
        sb_addn(b, u + start, colon - start);
        sb_add(b, colon < at ? ":***@" : "@");
        i = at + 1;
    }
    size_t q = i;
    while (q < n && u[q] != '?')
        q++;
    sb_addn(b, u + i, q - i);
    if (q == n)
        return;
    /* Every query value: SAS tokens, signatures and keys all travel there. */
    sb_addc(b, '?');
    i = q + 1;
    while (i < n && u[i] != '#') {
        size_t end = i;
        while (end < n && u[end] != '&' && u[end] != '#')
            end++;
        size_t eq = i;
        while (eq < end && u[eq] != '=')
            eq++;
        if (eq < end)
            sb_addn(b, u + i, eq - i + 1);
        if (end > i)
            sb_add(b, "***");
        if (end < n && u[end] == '&')
            sb_addc(b, '&');
        i = end < n && u[end] == '&' ? end + 1 : end;
    }
    sb_addn(b, u + i, n - i);
}

char *sym_redact_urls(const char *text)
{
    if (!text)
        return NULL;
    strbuf b;
    sb_init(&b);
    const char *p = text;
    for (;;) {
        const char *sep = strstr(p, "://");
        if (!sep)
            break;
        const char *start = sep;
        while (start > p && scheme_char(start[-1]))
            start--;
        if (start == sep) {
            sb_addn(&b, p, (size_t)(sep - p) + 3);
            p = sep + 3;
            continue;
        }
        const char *end = sep + 3;
        while (!url_end(*end))
            end++;
        sb_addn(&b, p, (size_t)(start - p));
        add_redacted(&b, start, (size_t)(end - start));
        p = end;
    }
    sb_add(&b, p);
    return sb_take(&b);
}

/* The length of the UTF-8 sequence at s (1..4), or 0 when it is not valid UTF-8. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned min;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (left < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

bool sym_utf8_valid(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq(s + i, len - i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

char *sym_display_escape(const char *text)
{
    if (!text)
        return NULL;
    strbuf b;
    sb_init(&b);
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text);
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq(s + i, len - i);
        unsigned char c = s[i];
        if (n == 1 && c >= 0x20 && c != 0x7F) {
            sb_addc(&b, (char)c);
        } else if (n == 1 && (c == '\n' || c == '\r' || c == '\t')) {
            sb_add(&b, c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t");
        } else if (n == 2 && c == 0xC2 && s[i + 1] < 0xA0) {
            /* C1 controls (U+0080..U+009F): some terminals obey them as escapes. */
            sb_printf(&b, "\\u%04x", (unsigned)s[i + 1]);
        } else if (n > 1) {
            sb_addn(&b, (const char *)s + i, n);
        } else {
            sb_printf(&b, "\\x%02x", (unsigned)c);
            n = 1;
        }
        i += n;
    }
    return sb_take(&b);
}

char *sym_display_text(const char *text)
{
    char *r = sym_redact_urls(text);
    char *e = sym_display_escape(r);
    free(r);
    return e;
}
