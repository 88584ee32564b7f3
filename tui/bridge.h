/* The bridge between the screen and the engine: the session lives on a worker thread that runs
 * commands one at a time; everything the engine reports comes back as copies in a queue, and a
 * pipe wakes the screen's poll(). The screen never touches the session. */
#ifndef SYMSCOPE_TUI_BRIDGE_H
#define SYMSCOPE_TUI_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compare.h"
#include "options.h"
#include "symscope/symscope.h"
#include "where.h"

/* A path element as the screen shows it. */
typedef struct ui_element {
    char *text;
    sym_elem_kind kind;
    sym_elem_source source;
    sym_elem_state state;
    char *reason;
    char *stores; /* "c:\\cache (local, 1-tier) -> http://... (http)" */
    int n_stores;
    bool enabled;
    char *lint; /* the path lint's findings for it, each "message [kind] fix: ..." a line */
    int n_lint;
} ui_element;

/* An attempt, copied. */
typedef struct ui_attempt {
    unsigned n;
    sym_step step;
    int element, store;
    char *rule, *location, *local, *detail, *source;
    sym_outcome outcome;
    sym_identity expected, found;
    uint64_t bytes;
    double ms;
    int http_status;
    bool symsrv;
} ui_attempt;

/* A module, copied. */
typedef struct ui_module {
    uint64_t base;
    uint32_t size;
    char *name, *image, *image_name, *wanted_file, *file, *location, *cv_path;
    sym_identity wanted;
    sym_module_state state;
    sym_symclass symbols;
    bool unmatched;
    int element;
    sym_step step;
    char letters[8];
} ui_module;

typedef struct ui_change {
    uint64_t base;
    int old_element, new_element;
    sym_symclass old_symbols, new_symbols;
} ui_change;

typedef struct ui_cache_entry {
    char *file, *key, *name, *format, *detail;
    uint64_t size;
    sym_entry_state state;
} ui_cache_entry;

typedef struct ui_cache {
    char *dir;
    int tiers;
    bool exists, writable;
    uint64_t bytes;
    size_t n;
    ui_cache_entry *entries;
} ui_cache;

#define UI_EVENT_LIST(X)                                                                           \
    X(UI_EV_ATTEMPT) /* base, attempt */                                                           \
    X(UI_EV_MODULE)  /* module (loaded, searched, ...) */                                          \
    X(UI_EV_SEARCH_BEGIN)                                                                          \
    X(UI_EV_UNLOADED) /* base */                                                                   \
    X(UI_EV_LOG)      /* text: a line of the noisy log */                                          \
    X(UI_EV_PATH)     /* path, expanded, elements, profile, options */                             \
    X(UI_EV_CHANGES)  /* changes after a re-search */                                              \
    X(UI_EV_CLEANED)  /* the session was cleaned up */                                             \
    X(UI_EV_CACHES)   /* caches */                                                                 \
    X(UI_EV_BUSY)     /* text: what the engine is doing; total: modules to search */               \
    X(UI_EV_IDLE)     /* the command is done */                                                    \
    X(UI_EV_MESSAGE)  /* text; error: whether it is an error */                                    \
    X(UI_EV_PAUSED)   /* step mode: attempt (no outcome yet) waits; module; profile */             \
    X(UI_EV_COMPARE)  /* text: the module; compare: the three profiles' dry runs */                \
    X(UI_EV_WHERE)    /* text: the module; where: the places in search order */

typedef enum ui_event_kind {
#define UI_X(e) e,
    UI_EVENT_LIST(UI_X)
#undef UI_X
} ui_event_kind;

typedef struct ui_event {
    ui_event_kind kind;
    uint64_t base;
    ui_attempt attempt;
    ui_module module;
    char *text;
    bool error;
    /* UI_EV_PATH */
    char *path, *expanded;
    ui_element *elements;
    size_t n_elements;
    char *path_lint; /* findings about the path as a whole, a line each; NULL when none */
    sym_profile profile;
    bool options[SYM_OPTION_COUNT];
    bool initialized;
    /* UI_EV_CHANGES */
    ui_change *changes;
    size_t n_changes;
    /* UI_EV_CACHES */
    ui_cache *caches;
    size_t n_caches;
    size_t total;
    compare_result *compare;
    where_result *where;
    struct ui_event *next;
} ui_event;

void ui_event_free(ui_event *ev);
void ui_module_clear(ui_module *m);
void ui_attempt_clear(ui_attempt *a);
void ui_element_clear(ui_element *e);
void ui_cache_clear(ui_cache *c);

/* What the screen asks the engine to do. */
#define UI_CMD_LIST(X)                                                                             \
    X(UI_CMD_SET_PATH) /* text (NULL: default) */                                                  \
    X(UI_CMD_ENABLE)   /* index, flag */                                                           \
    X(UI_CMD_PROFILE)  /* profile */                                                               \
    X(UI_CMD_OPTION)   /* option, flag */                                                          \
    X(UI_CMD_LOAD)     /* text: image, minidump or FILE/KEY */                                     \
    X(UI_CMD_RELOAD)   /* base */                                                                  \
    X(UI_CMD_RELOAD_ALL)                                                                           \
    X(UI_CMD_FORCE)  /* base */                                                                    \
    X(UI_CMD_UNLOAD) /* base */                                                                    \
    X(UI_CMD_CLEANUP)                                                                              \
    X(UI_CMD_INITIALIZE) /* text: the path */                                                      \
    X(UI_CMD_SCAN_CACHES)                                                                          \
    X(UI_CMD_MAP)     /* text: FROM=DIR */                                                         \
    X(UI_CMD_COMPARE) /* text: the module (image or FILE/KEY): the three profiles, dry runs */     \
    X(UI_CMD_WHERE)   /* text: the module: every place, in plan mode */                            \
    X(UI_CMD_QUIT)

typedef enum ui_cmd_kind {
#define UI_X(e) e,
    UI_CMD_LIST(UI_X)
#undef UI_X
} ui_cmd_kind;

typedef struct bridge bridge;

/* Starts the worker with a session made from the options o (already initialised with the
 * path) and the modules to load. jobs: searches at once. o stays the caller's and unchanged
 * until bridge_stop: the comparison and where sessions are made from it, with the session's
 * path, options and mappings as they are then. step: step mode from the start. */
bridge *bridge_start(sym_session *s, const common_opts *o, int jobs, char *const *modules,
                     size_t n_modules, bool step);
/* Stops the worker (cancelling what runs) and frees the session. */
void bridge_stop(bridge *b);
/* The file descriptor that becomes readable when events are queued. */
int bridge_fd(const bridge *b);
/* Takes every queued event, oldest first (a list linked by next). */
ui_event *bridge_take(bridge *b);
void bridge_command(bridge *b, ui_cmd_kind kind, const char *text, uint64_t base, int index,
                    bool flag);
/* Cancels what runs now (all modules), from the screen's thread. */
void bridge_cancel(bridge *b);
bool bridge_busy(const bridge *b);

/* Step mode: the engine waits before each attempt (SYM_EV_ATTEMPT_BEGIN) until told to go
 * on; a waiting attempt is reported as UI_EV_PAUSED. Searches run one at a time meanwhile.
 * Cancelling, quitting or turning step mode off lets the waiting attempt go. */
typedef enum bridge_step_how {
    BRIDGE_STEP_OFF,    /* step mode off: everything runs */
    BRIDGE_STEP_ON,     /* step mode on: the next attempt waits */
    BRIDGE_STEP_ONE,    /* the waiting attempt goes; the next one waits */
    BRIDGE_STEP_MODULE, /* the waiting module's search runs to its end */
    BRIDGE_STEP_ALL     /* the work that runs now runs to its end */
} bridge_step_how;
void bridge_step(bridge *b, bridge_step_how how);

#endif
