/* Text made safe to show: secrets in URLs hidden, control bytes and invalid UTF-8 made
 * visible. Everything symscope prints or stores for people goes through these. */
#ifndef SYMSCOPE_DISPLAY_H
#define SYMSCOPE_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A copy of text in which every URL ("scheme://...") has its password and every query value
 * replaced by "***": "https://user:***@host/p?sig=***". NULL in, NULL out (or no memory). */
SYM_API char *sym_redact_urls(const char *text);

/* A copy of text that cannot drive a terminal: newline, CR and tab become "\n", "\r", "\t",
 * other control bytes (C0, DEL, and C1 code points) and bytes that are not UTF-8 become
 * "\xHH". Valid UTF-8 text passes unchanged. */
SYM_API char *sym_display_escape(const char *text);

/* Both: what a terminal line may show. */
SYM_API char *sym_display_text(const char *text);

/* Whether text is valid UTF-8 (no overlong forms, no surrogates). */
SYM_API bool sym_utf8_valid(const char *text, size_t len);

#ifdef __cplusplus
}
#endif

#endif
