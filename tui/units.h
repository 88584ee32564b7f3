/* Durations and sizes as people write them: "30d", "12h", "90m", "45s", "500ms"; "500M",
 * "2G", "100K". */
#ifndef SYMSCOPE_TUI_UNITS_H
#define SYMSCOPE_TUI_UNITS_H

#include <stdbool.h>
#include <stdint.h>

/* Milliseconds; a bare number is seconds. */
bool units_parse_duration_ms(const char *s, uint64_t *ms);
/* Bytes; a bare number is bytes. */
bool units_parse_size(const char *s, uint64_t *bytes);

#endif
