/* Strings for the JSON output: always valid UTF-8, secrets in URLs hidden. */
#ifndef SYMSCOPE_JSON_TEXT_H
#define SYMSCOPE_JSON_TEXT_H

#include <json-c/json.h>

/* A JSON string of s with URL credentials and query values hidden (sym_redact_urls) and each
 * byte that is not UTF-8 replaced by U+FFFD; NULL (JSON null) for NULL. */
json_object *json_text(const char *s);

/* Adds key: json_text(s) to o. When s is not valid UTF-8, also adds "<key>_hex": the exact
 * bytes (after redaction) in hexadecimal, so the original can be recovered. */
void json_add_text(json_object *o, const char *key, const char *s);

#endif
