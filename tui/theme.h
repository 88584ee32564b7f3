/* Themes: YAML files (libyaml) that give every UI element a foreground, a background and
 * attributes. An element falls back to its section's default, then to the global default.
 * A theme says what colour depth it needs and is degraded on a weaker terminal. */
#ifndef SYMSCOPE_TUI_THEME_H
#define SYMSCOPE_TUI_THEME_H

#include <stdbool.h>
#include <stddef.h>

/* X(enum, section, name): every element the screen draws. "default" of each section is the
 * section's fallback. */
#define THEME_ELEMENT_LIST(X)                                                                      \
    X(TH_UI_DEFAULT, "ui", "default")                                                              \
    X(TH_TITLE, "ui", "title")                                                                     \
    X(TH_STATUS, "ui", "status")                                                                   \
    X(TH_MESSAGE, "ui", "message")                                                                 \
    X(TH_ERROR, "ui", "error")                                                                     \
    X(TH_FKEY_KEY, "ui", "fkey_key")                                                               \
    X(TH_FKEY_LABEL, "ui", "fkey_label")                                                           \
    X(TH_PANE_TITLE, "ui", "pane_title")                                                           \
    X(TH_PANE_TITLE_ACTIVE, "ui", "pane_title_active")                                             \
    X(TH_HEADER, "ui", "header")                                                                   \
    X(TH_ROW, "ui", "row")                                                                         \
    X(TH_ROW_SELECTED, "ui", "row_selected")                                                       \
    X(TH_ROW_TAGGED, "ui", "row_tagged")                                                           \
    X(TH_CHANGED, "ui", "changed")                                                                 \
    X(TH_DIALOG, "ui", "dialog")                                                                   \
    X(TH_DIALOG_TITLE, "ui", "dialog_title")                                                       \
    X(TH_INPUT, "ui", "input")                                                                     \
    X(TH_HELP_KEY, "ui", "help_key")                                                               \
    X(TH_LOG, "ui", "log")                                                                         \
    X(TH_BADGE, "ui", "badge")                                                                     \
    X(TH_OUT_DEFAULT, "outcome", "default")                                                        \
    X(TH_OUT_FOUND, "outcome", "found")                                                            \
    X(TH_OUT_MISMATCH, "outcome", "mismatch")                                                      \
    X(TH_OUT_NOT_FOUND, "outcome", "not-found")                                                    \
    X(TH_OUT_DENIED, "outcome", "denied")                                                          \
    X(TH_OUT_NETWORK, "outcome", "network")                                                        \
    X(TH_OUT_SERVER_ERROR, "outcome", "server-error")                                              \
    X(TH_OUT_BAD_CONTENT, "outcome", "bad-content")                                                \
    X(TH_OUT_SKIPPED, "outcome", "skipped")                                                        \
    X(TH_OUT_COPIED, "outcome", "copied")                                                          \
    X(TH_OUT_CACHED, "outcome", "cached")                                                          \
    X(TH_OUT_ALREADY_CACHED, "outcome", "already-cached")                                          \
    X(TH_STATE_DEFAULT, "state", "default")                                                        \
    X(TH_STATE_OK, "state", "ok")                                                                  \
    X(TH_STATE_MISSING, "state", "missing")                                                        \
    X(TH_STATE_UNMAPPED, "state", "unmapped")                                                      \
    X(TH_STATE_UNSUPPORTED, "state", "unsupported")                                                \
    X(TH_STATE_UNREACHABLE, "state", "unreachable")                                                \
    X(TH_STATE_DISABLED, "state", "disabled")                                                      \
    X(TH_STATE_INVALID, "state", "invalid")                                                        \
    X(TH_SYM_DEFAULT, "symbols", "default")                                                        \
    X(TH_SYM_PRIVATE, "symbols", "private")                                                        \
    X(TH_SYM_PUBLIC, "symbols", "public")                                                          \
    X(TH_SYM_EXPORT, "symbols", "export")                                                          \
    X(TH_SYM_NONE, "symbols", "none")                                                              \
    X(TH_SYM_DEFERRED, "symbols", "deferred")                                                      \
    X(TH_SYM_UNMATCHED, "symbols", "unmatched")

typedef enum theme_element {
#define TH_X(e, section, name) e,
    THEME_ELEMENT_LIST(TH_X)
#undef TH_X
        TH_COUNT
} theme_element;

typedef enum theme_depth {
    TH_DEPTH_MONO = 0, /* attributes only */
    TH_DEPTH_16,
    TH_DEPTH_256,
    TH_DEPTH_TRUE, /* 24-bit */
} theme_depth;

#define TH_COLOR_DEFAULT (-1) /* the terminal's own colour */
#define TH_RGB(r, g, b) (0x1000000 | ((r) << 16) | ((g) << 8) | (b))
#define TH_IS_RGB(c) ((c) >= 0x1000000)

enum {
    TH_ATTR_BOLD = 1,
    TH_ATTR_UNDERLINE = 2,
    TH_ATTR_REVERSE = 4,
    TH_ATTR_DIM = 8,
    TH_ATTR_ITALIC = 16,
    TH_ATTR_BLINK = 32
};

typedef struct theme_style {
    int fg, bg;     /* TH_COLOR_DEFAULT, 0..255, or TH_RGB(...) */
    unsigned attrs; /* TH_ATTR_* */
    bool set;       /* given by the file (otherwise inherited) */
} theme_style;

typedef struct theme theme;

/* The built-in default theme (never fails). */
theme *theme_default(void);
/* NAME (built-in, then <system dir>/themes/NAME.yaml, then
 * $XDG_CONFIG_HOME/symscope/themes/NAME.yaml) or a FILE path. NULL with a message that names
 * the file, line and column when it cannot be read. */
theme *theme_load(const char *name_or_file, char *err, size_t err_size);
void theme_free(theme *t);
const char *theme_name(const theme *t);
theme_depth theme_depth_needed(const theme *t);
/* The resolved style of an element (with the fallbacks applied). */
theme_style theme_style_of(const theme *t, theme_element e);
/* Names of every theme found (built-in and in the search path), sorted, NULL-terminated;
 * free with theme_names_free. */
char **theme_names(void);
void theme_names_free(char **names);
/* The style degraded to a depth: truecolor to the 256-colour cube, 256 to the nearest of 16,
 * 16 to attributes only. */
theme_style theme_degrade(theme_style s, theme_depth to);
const char *theme_element_name(theme_element e); /* "outcome.found" */

#endif
