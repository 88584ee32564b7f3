/* The terminal UI: its model (copies of what the engine reported), panes, keys and prompts.
 * One file per concern: ui_model.c (events into the model), ui_draw.c (the panes),
 * ui_keys.c (the key table and actions), ui_prompt.c (input line, dialogs), ui_color.c
 * (themes into curses colours), ui_main.c (the loop). */
#ifndef SYMSCOPE_TUI_UI_H
#define SYMSCOPE_TUI_UI_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bridge.h"
#include "theme.h"

enum { PANE_ELEMENTS, PANE_MODULES, PANE_ATTEMPTS, PANE_BOTTOM, PANE_COUNT };
enum { BOTTOM_LOG, BOTTOM_CACHE };

#define UI_MIN_COLS 60
#define UI_MIN_ROWS 16
#define UI_LOG_MAX 20000

typedef struct ui_mod {
    ui_module m;
    ui_attempt *att;
    size_t n_att, cap_att;
    bool tagged;
    bool changed; /* its winner changed at the last re-search */
    int changed_from, changed_to;
    char *prev_location; /* where its symbols came from before the last search */
} ui_mod;

/* Per path element: attempts that found something and that did not, this session. */
typedef struct ui_counter {
    char *text;
    unsigned hits, misses;
    unsigned network; /* network failures: the element's server is unreachable */
} ui_counter;

typedef struct ui_list {
    int sel, top;
    char filter[128];
    size_t *rows; /* indexes into the model that pass the filter */
    size_t n_rows, cap_rows;
} ui_list;

typedef struct ui_state {
    bridge *b;
    /* the path, as last reported */
    char *path, *expanded;
    ui_element *el;
    size_t n_el;
    sym_profile profile;
    bool options[SYM_OPTION_COUNT];
    bool initialized;
    ui_counter *counters;
    size_t n_counters, cap_counters;
    /* modules (unloaded ones stay listed, marked) */
    ui_mod *mods;
    size_t n_mods, cap_mods;
    size_t *hash; /* base -> index + 1, open addressing */
    size_t hash_cap;
    /* the noisy log, a ring */
    char **log;
    size_t log_start, log_n;
    bool log_follow;
    ui_cache *caches;
    size_t n_caches;
    /* what the screen shows */
    int focus, bottom;
    ui_list lists[PANE_COUNT];
    bool help;
    char *dialog; /* an explanation box, closed by any key */
    char *dialog_title;
    char message[512];
    bool message_error;
    /* progress */
    bool busy;
    double busy_start_ms; /* for the transfer rate */
    char busy_text[128];
    size_t total, done;
    uint64_t bytes;
    bool quit;
    bool dirty;
    /* look */
    theme *theme;
    bool color;
    bool utf8;
    bool mouse;
    char *theme_name;
    /* timing of key presses for the latency benchmark (SYMSCOPE_TUI_TIMING) */
    FILE *timing;
} ui_state;

/* ui_model.c */
void ui_apply(ui_state *u, ui_event *ev);
ui_mod *ui_find_mod(ui_state *u, uint64_t base);
void ui_model_free(ui_state *u);
void ui_refilter(ui_state *u, int pane);
size_t ui_pane_size(const ui_state *u, int pane);
ui_mod *ui_selected_mod(ui_state *u);
const char *ui_log_line(const ui_state *u, size_t i);
const ui_counter *ui_counter_of(const ui_state *u, const char *text);

/* ui_draw.c */
void ui_draw(ui_state *u);
int ui_pane_height(const ui_state *u, int pane);
/* The pane (and row, -1 for its title lines) at a screen position. */
bool ui_hit(const ui_state *u, int y, int x, int *pane, int *row);

/* ui_color.c */
void ui_color_init(ui_state *u, const char *color_mode);
/* Applies a theme (switching at run time); returns a message when it had to be degraded. */
void ui_color_apply(ui_state *u, theme *t, char *note, size_t note_size);
attr_t ui_attr(const ui_state *u, theme_element e);
theme_element ui_outcome_element(sym_outcome o);
theme_element ui_state_element(sym_elem_state s);
theme_element ui_symbols_element(sym_symclass c, bool unmatched);

/* ui_keys.c */
void ui_key(ui_state *u, int ch);
/* Help text: every key, one per line ("key  what it does"). */
size_t ui_help_lines(const char ***lines);
/* The function-key bar of the focused pane: pairs of key and label. */
size_t ui_fkeys(const ui_state *u, const char *const **keys, const char *const **labels);

/* ui_prompt.c: modal input on the bottom line (the engine keeps running behind it). */
/* Returns a malloc'd line, or NULL when cancelled (Esc). complete_paths: Tab completes file
 * names. */
char *ui_prompt(ui_state *u, const char *label, const char *initial, bool complete_paths);
/* A yes/no question whose default is No. */
bool ui_confirm(ui_state *u, const char *question);
/* Chooses one of n items; returns its index or -1. */
int ui_menu(ui_state *u, const char *title, const char *const *items, size_t n, int current);
void ui_show_dialog(ui_state *u, const char *title, const char *text);

/* ui_main.c */
/* Takes queued engine events into the model (from inside prompts too). */
void ui_pump(ui_state *u);
void ui_set_message(ui_state *u, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
