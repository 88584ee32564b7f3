/* Strings for the JSON output (see json_text.h). */
#include <stdlib.h>
#include <string.h>

#include <symscope/symscope.h>

#include "json_text.h"

/* s with every byte that does not start a valid UTF-8 sequence replaced by U+FFFD. */
static char *utf8_fix(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t n = 4;
        while (n > 0 && (i + n > len || !sym_utf8_valid(s + i, n)))
            n--;
        if (n == 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        }
    }
    out[o] = '\0';
    return out;
}

json_object *json_text(const char *s)
{
    if (!s)
        return NULL;
    char *shown = sym_redact_urls(s);
    char *fixed = shown ? utf8_fix(shown) : NULL;
    json_object *j = json_object_new_string(fixed ? fixed : "");
    free(fixed);
    free(shown);
    return j;
}

void json_add_text(json_object *o, const char *key, const char *s)
{
    json_object_object_add(o, key, json_text(s));
    if (!s || sym_utf8_valid(s, strlen(s)))
        return;
    char *shown = sym_redact_urls(s);
    size_t n = shown ? strlen(shown) : 0;
    char *hex = malloc(n * 2 + 1);
    char *hkey = malloc(strlen(key) + 5);
    if (shown && hex && hkey) {
        for (size_t i = 0; i < n; i++) {
            static const char digits[] = "0123456789abcdef";
            hex[2 * i] = digits[(unsigned char)shown[i] >> 4];
            hex[2 * i + 1] = digits[(unsigned char)shown[i] & 15];
        }
        hex[2 * n] = '\0';
        strcpy(hkey, key);
        strcat(hkey, "_hex");
        json_object_object_add(o, hkey, json_object_new_string(hex));
    }
    free(hkey);
    free(hex);
    free(shown);
}
