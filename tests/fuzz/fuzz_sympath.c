/* libFuzzer target: symbol path text, as -y, _NT_SYMBOL_PATH or the TUI's editor give it.
 * Parsing, the expanded path and the path's downstream stores must hold for any text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "symscope/symscope.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    sym_session *s;
    sym_error err;
    if (sym_session_create(&s, &err) != SYM_OK) {
        free(text);
        return 0;
    }
    /* Nothing is written while a path is parsed: a home that cannot exist keeps it so. */
    sym_session_set_home(s, "/nonexistent/symscope-fuzz", &err);
    if (sym_session_initialize(s, text, &err) == SYM_OK) {
        (void)sym_session_get_path(s);
        (void)sym_session_expanded_path(s);
        for (size_t i = 0; i < sym_session_element_count(s); i++)
            (void)sym_session_element(s, i);
        const char **dirs;
        (void)sym_session_cache_dirs(s, &dirs);
        char *shown = sym_display_text(sym_session_get_path(s));
        free(shown);
    }
    sym_session_free(s);
    free(text);
    return 0;
}
