/* The terminal UI: its model (copies of what the engine reported), the layout, the pane and
 * key tables, and the modes of the one main loop. One file per concern:
 *   ui_model.c   engine events into the model, filtered rows
 *   ui_layout.c  pane boxes, column widths and scroll positions, before drawing and input
 *   ui_panes.c   the pane table: title, header, rows, row drawing, filter, Enter action
 *   ui_draw.c    the screen from the model and the layout (never changes either)
 *   ui_text.c    fitting text into columns: escaping, middle ellipsis, wrapping
 *   ui_keys.c    the key table: dispatch, help, function-key bar, mouse
 *   ui_actions.c what the keys do
 *   ui_explain.c module detail, attempt and element explanations
 *   ui_teach.c   step mode (the attempt that waits, why now, what came back), the profiles
 *                side by side and the where view
 *   ui_modes.c   the input line, questions, menus and text views
 *   ui_history.c undo and redo of path edits
 *   ui_export.c  the path and mappings as a command line
 *   ui_color.c   themes into curses attributes
 *   ui_side.c    the side text of a lesson or scenario (i toggles it)
 *   ui_main.c    the loop */
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

/* What an action changed: the loop redraws that much. */
typedef enum ui_redraw { UI_REDRAW_NONE = 0, UI_REDRAW_STATUS = 1, UI_REDRAW_ALL = 3 } ui_redraw;

/* Every action a key can start. */
#define UI_ACTION_LIST(X)                                                                          \
    X(ACT_NONE)                                                                                    \
    X(ACT_UP)                                                                                      \
    X(ACT_DOWN)                                                                                    \
    X(ACT_PGUP)                                                                                    \
    X(ACT_PGDN)                                                                                    \
    X(ACT_HOME)                                                                                    \
    X(ACT_END)                                                                                     \
    X(ACT_LEFT)                                                                                    \
    X(ACT_RIGHT)                                                                                   \
    X(ACT_NEXT_PANE)                                                                               \
    X(ACT_PREV_PANE)                                                                               \
    X(ACT_ENTER)                                                                                   \
    X(ACT_TOGGLE)                                                                                  \
    X(ACT_TAG)                                                                                     \
    X(ACT_ADD)                                                                                     \
    X(ACT_EDIT)                                                                                    \
    X(ACT_DELETE)                                                                                  \
    X(ACT_MOVE_UP)                                                                                 \
    X(ACT_MOVE_DOWN)                                                                               \
    X(ACT_UNDO)                                                                                    \
    X(ACT_REDO)                                                                                    \
    X(ACT_MAPPINGS)                                                                                \
    X(ACT_EXPORT)                                                                                  \
    X(ACT_PROFILE)                                                                                 \
    X(ACT_OPTIONS)                                                                                 \
    X(ACT_LOAD)                                                                                    \
    X(ACT_RELOAD)                                                                                  \
    X(ACT_RELOAD_ALL)                                                                              \
    X(ACT_FORCE)                                                                                   \
    X(ACT_UNLOAD)                                                                                  \
    X(ACT_NO_SYMBOLS)                                                                              \
    X(ACT_MISMATCHES)                                                                              \
    X(ACT_CLEANUP)                                                                                 \
    X(ACT_INIT)                                                                                    \
    X(ACT_CACHE)                                                                                   \
    X(ACT_LOG)                                                                                     \
    X(ACT_FILTER)                                                                                  \
    X(ACT_THEME)                                                                                   \
    X(ACT_MOUSE)                                                                                   \
    X(ACT_CANCEL)                                                                                  \
    X(ACT_STEP_MODE)                                                                               \
    X(ACT_STEP)                                                                                    \
    X(ACT_STEP_MODULE)                                                                             \
    X(ACT_STEP_ALL)                                                                                \
    X(ACT_COMPARE)                                                                                 \
    X(ACT_WHERE)                                                                                   \
    X(ACT_HELP)                                                                                    \
    X(ACT_SIDE)                                                                                    \
    X(ACT_SIDE_VIEW)                                                                               \
    X(ACT_BACK)                                                                                    \
    X(ACT_ESCAPE)                                                                                  \
    X(ACT_QUIT)

typedef enum ui_action {
#define UI_X(e) e,
    UI_ACTION_LIST(UI_X)
#undef UI_X
        ACT_COUNT
} ui_action;

typedef struct ui_mod {
    ui_module m;
    ui_attempt *att;
    size_t n_att, cap_att;
    bool tagged;
    bool changed; /* its winner changed at the last re-search */
    bool stale;   /* a cancelled run did not reach it: it keeps its previous result */
    unsigned run; /* the run that last searched it */
    int changed_from, changed_to;
    char *prev_location; /* where its symbols came from before the last search */
    char *why;           /* the engine's one-line why, at the end of its search */
} ui_mod;

/* Per path element: attempts that found something and that did not, this session. */
typedef struct ui_counter {
    char *text;
    unsigned hits, misses;
    unsigned network; /* network failures: the element's server is unreachable */
} ui_counter;

typedef enum ui_quick { UI_QUICK_ALL, UI_QUICK_NO_SYMBOLS, UI_QUICK_MISMATCH } ui_quick;

typedef struct ui_list {
    int sel, top;
    int hscroll; /* columns the long last column is shifted left (Left/Right) */
    char filter[128];
    ui_quick quick; /* modules: only those without symbols, or with a mismatch */
    size_t *rows;   /* indexes into the model that pass the filter */
    size_t n_rows, cap_rows;
} ui_list;

typedef struct ui_rect {
    int y, x, h, w;
} ui_rect;

#define UI_BAR_MAX 16

/* Everything the screen's geometry depends on, computed from the terminal size and the
 * model before drawing and before input (ui_layout.c). */
typedef struct ui_layout {
    bool too_small;
    ui_rect pane[PANE_COUNT];
    ui_rect info;              /* the detail lines under the modules and attempts */
    ui_rect split;             /* the line between modules and attempts */
    ui_rect status;            /* the status line, taller for a long message */
    int first_row[PANE_COUNT]; /* lines above a pane's rows (title, header) */
    /* column widths from the content and the width */
    int m_name, m_base, m_state, m_sym, m_el;
    bool m_short_sym; /* symbol classes in short words ("private+lines") */
    int a_step, a_el, a_out, a_bytes, a_ms, a_rule;
    /* the function-key bar: where each key sits, for the mouse */
    size_t n_bar;
    int bar_x[UI_BAR_MAX], bar_w[UI_BAR_MAX];
    ui_action bar_act[UI_BAR_MAX];
    const char *bar_key[UI_BAR_MAX], *bar_label[UI_BAR_MAX];
} ui_layout;

/* The modes of the main loop: keys go to the mode on top of the main screen. */
typedef enum ui_mode {
    UI_MODE_MAIN,
    UI_MODE_INPUT,
    UI_MODE_CONFIRM,
    UI_MODE_MENU,
    UI_MODE_VIEW
} ui_mode;

/* What an input line, a question or a menu is for: their answer is applied when given, to
 * the model as it is then (no pointer into the model is kept while they wait). */
typedef enum ui_purpose {
    UI_FOR_ADD,
    UI_FOR_EDIT,
    UI_FOR_LOAD,
    UI_FOR_FILTER,
    UI_FOR_MAP,
    UI_FOR_EXPORT,
    UI_FOR_CLEANUP,
    UI_FOR_QUIT,
    UI_FOR_PROFILE,
    UI_FOR_OPTIONS,
    UI_FOR_THEME,
    UI_FOR_MAPPINGS,
} ui_purpose;

typedef struct ui_input {
    ui_purpose purpose;
    char label[96];
    char buf[1024];
    size_t len, pos;
    char hint[512];
    bool complete_paths;
    size_t target;          /* the element edited or added after, by index */
    char target_text[1024]; /* its text when the edit began */
} ui_input;

typedef struct ui_menu {
    ui_purpose purpose;
    char title[128];
    char **items;
    size_t n;
    int sel;
} ui_menu;

typedef struct ui_view {
    char *title;
    char *text;
    bool wide; /* the terminal's whole width (columns side by side), not at most 110 */
    int top;
    int n_lines; /* wrapped at the box's width (layout) */
    int rows;    /* lines of text the box shows */
} ui_view;

typedef struct ui_mapping {
    char *from, *dir;
} ui_mapping;

/* Path texts before the edits, for undo and redo. */
typedef struct ui_history {
    char **undo, **redo;
    size_t n_undo, n_redo, cap_undo, cap_redo;
} ui_history;

/* Step mode: the attempt that waits (copied when the engine reported it) and what came back
 * from the last one of the same module. */
typedef struct ui_step {
    bool on;
    bool waiting;
    uint64_t base;
    char *module;
    sym_profile profile;
    ui_attempt next;
    ui_attempt last;
    bool have_last;
} ui_step;

typedef struct ui_state {
    bridge *b;
    /* the path, as last reported */
    char *path, *expanded;
    ui_element *el;
    size_t n_el;
    char *path_lint; /* the lint's findings about the path as a whole */
    sym_profile profile;
    bool options[SYM_OPTION_COUNT];
    bool initialized;
    ui_counter *counters;
    size_t n_counters, cap_counters;
    ui_mapping *maps;
    size_t n_maps;
    ui_history history;
    bool path_edited;
    char *initial_path;
    /* modules (unloaded ones stay listed, marked) */
    ui_mod *mods;
    size_t n_mods, cap_mods;
    size_t *hash; /* base -> index + 1, open addressing */
    size_t hash_cap;
    int w_name, w_base; /* the widest module name and base seen */
    bool select_new;    /* select the next module that appears (after L) */
    /* the noisy log, a ring */
    char **log;
    size_t log_start, log_n;
    bool log_follow;
    ui_cache *caches;
    size_t n_caches;
    /* what the screen shows */
    int focus, bottom;
    ui_list lists[PANE_COUNT];
    ui_layout lay;
    ui_mode mode;
    ui_input input;
    ui_menu menu;
    ui_view view;
    char question[256];
    ui_purpose question_for;
    char message[512];
    bool message_error;
    /* progress */
    bool busy;
    double busy_start_ms; /* for the transfer rate */
    char busy_text[128];
    size_t total, done;
    unsigned run; /* counts the engine's runs (a BUSY with a total starts one) */
    bool cancelling;
    uint64_t bytes;
    bool quit;
    ui_step step;
    /* look */
    theme *theme;
    bool color;
    int depth_colors; /* colours really used: 0 (attributes only), 8, 16, 256 */
    bool utf8;
    bool mouse;
    /* a lesson's or scenario's text, beside the panes (ui_side.c) */
    char *side_title, *side_text;
    bool side_on;
    /* timing of key presses for the latency benchmark (SYMSCOPE_TUI_TIMING) */
    FILE *timing;
} ui_state;

/* ui_model.c */
ui_redraw ui_apply(ui_state *u, ui_event *ev);
ui_mod *ui_find_mod(ui_state *u, uint64_t base);
void ui_model_free(ui_state *u);
void ui_refilter(ui_state *u, int pane);
const ui_mod *ui_selected_mod(const ui_state *u);
const ui_attempt *ui_selected_attempt(const ui_state *u);
const ui_element *ui_selected_element(const ui_state *u);
const char *ui_log_line(const ui_state *u, size_t i);
const ui_counter *ui_counter_of(const ui_state *u, const char *text);
void ui_reset_counters(ui_state *u);
bool ui_mod_has_symbols(const ui_mod *m);
bool ui_mod_saw_mismatch(const ui_mod *m);
size_t ui_cache_rows(const ui_state *u);

/* ui_layout.c */
void ui_layout_compute(ui_state *u);
/* Rows of a pane's list that show at once. */
int ui_pane_rows(const ui_state *u, int pane);
/* The pane (and row, -1 for its title lines) at a screen position. */
bool ui_hit(const ui_state *u, int y, int x, int *pane, int *row);

/* ui_panes.c: the pane table */
typedef struct ui_pane_def {
    const char *name;
    void (*title)(const ui_state *u, char *out, size_t n);
    void (*header)(const ui_state *u, char *out, size_t n); /* NULL: no header line */
    size_t (*count)(const ui_state *u);                     /* rows before filtering */
    bool (*match)(const ui_state *u, size_t i, const char *filter);
    void (*draw_row)(const ui_state *u, size_t i, int y, ui_rect box, bool selected);
    void (*info)(const ui_state *u, char *out, size_t n); /* the detail lines' text */
    ui_redraw (*enter)(ui_state *u);                      /* Enter: explain the row */
} ui_pane_def;
const ui_pane_def *ui_pane(const ui_state *u, int pane);
const char *ui_symclass_short(sym_symclass c);

/* ui_draw.c */
void ui_draw(const ui_state *u);
/* The status line alone (progress, a message): what UI_REDRAW_STATUS asks for. */
void ui_draw_status(const ui_state *u);
/* Text at y,x fitted to w columns (middle ellipsis when cut, unless scrolled by skip
 * columns), padded with blanks. */
void ui_put(const ui_state *u, int y, int x, int w, theme_element e, const char *text);
void ui_put_scrolled(const ui_state *u, int y, int x, int w, theme_element e, const char *text,
                     int skip);
theme_element ui_row_element(const ui_state *u, int pane, bool selected, theme_element normal);

/* ui_text.c: no curses here */
/* Columns a UTF-8 (or byte) string takes. */
int ui_text_width(const char *s, bool utf8);
/* Fits s into w columns: control characters escaped, cut in the middle with an ellipsis
 * when too long (skip > 0: the first skip columns dropped instead; skip < 0: cut at the end,
 * for sentences). Returns the columns used. */
int ui_text_fit(const char *s, int w, int skip, bool utf8, char *out, size_t out_size);
/* Where the next line of a wrapped text starts; *len gets the bytes of this line. */
const char *ui_text_wrap(const char *s, int w, bool utf8, int *len);
/* Lines a text takes wrapped at w columns. */
int ui_text_lines(const char *s, int w, bool utf8);

/* ui_color.c */
void ui_color_init(ui_state *u, const char *color_mode);
/* Applies a theme (switching at run time); returns a message when it had to be degraded. */
void ui_color_apply(ui_state *u, theme *t, char *note, size_t note_size);
attr_t ui_attr(const ui_state *u, theme_element e);
theme_element ui_outcome_element(sym_outcome o);
theme_element ui_state_element(sym_elem_state s);
theme_element ui_symbols_element(sym_symclass c, bool unmatched);
/* "256 colours", "8 colours", "attributes only" */
const char *ui_depth_name(const ui_state *u);

/* ui_keys.c: the key table */
typedef struct ui_key_def {
    int codes[4]; /* 0 ends the list (Ctrl-@ is never bound) */
    ui_action act;
    const char *shown; /* "[ F7" */
    const char *help;
    const char *bar; /* label in the function-key bar, NULL: not shown there */
    unsigned panes;  /* bit per pane where the key acts */
} ui_key_def;
/* The action of a key in the focused pane. */
ui_action ui_key_action(const ui_state *u, int ch);
/* True (with why) when one key is bound to two actions in one pane: the second could never
 * be reached. The UI refuses to start with such a table. */
bool ui_keys_conflict(char *why, size_t n);
/* Keys in the main mode. */
ui_redraw ui_key(ui_state *u, int ch);
/* The help text: every key, then the legend. malloc'd. */
char *ui_help_text(void);
/* The bar of the focused pane, into the layout. */
void ui_bar_layout(ui_state *u);

/* ui_actions.c */
ui_redraw ui_do(ui_state *u, ui_action act);
ui_redraw ui_input_done(ui_state *u, const ui_input *in);
ui_redraw ui_confirm_done(ui_state *u, ui_purpose purpose, bool yes);
ui_redraw ui_menu_done(ui_state *u, ui_purpose purpose, int index);
/* Sends a command, saying "queued" when the engine is busy with another. */
void ui_send(ui_state *u, ui_cmd_kind kind, const char *text, uint64_t base, int index, bool flag,
             const char *what);

/* ui_explain.c: malloc'd texts */
char *ui_explain_module(const ui_state *u, const ui_mod *m);
char *ui_explain_attempt(const ui_state *u, const ui_mod *m, const ui_attempt *a);
char *ui_explain_element(const ui_state *u, const ui_element *e);
/* The engine's why and fix of a module, from the copies. */
void ui_module_why(const ui_mod *m, char *out, size_t n);
/* The fix in the screen's words ("f takes the mismatch", "M maps C:"). */
void ui_module_fix(const ui_mod *m, char *out, size_t n);

/* The rule's meaning in a sentence ("" when unknown). */
const char *ui_rule_text(const char *rule);

/* ui_teach.c */
/* The detail lines in step mode: the attempt that waits, why now, what came back. */
void ui_step_text(const ui_state *u, char *out, size_t n);
ui_redraw ui_step_do(ui_state *u, ui_action act);
/* Engine events for step mode and the two views. */
void ui_step_paused(ui_state *u, ui_event *ev);
void ui_step_attempt(ui_state *u, uint64_t base, const ui_attempt *a);
void ui_step_idle(ui_state *u);
void ui_teach_result(ui_state *u, ui_event *ev);
void ui_step_free(ui_state *u);

/* ui_modes.c */
void ui_open_input(ui_state *u, ui_purpose purpose, const char *label, const char *initial,
                   bool complete_paths);
void ui_open_confirm(ui_state *u, ui_purpose purpose, const char *question);
/* items are copied */
void ui_open_menu(ui_state *u, ui_purpose purpose, const char *title, const char *const *items,
                  size_t n, int current);
void ui_open_view(ui_state *u, const char *title, char *text_owned);
void ui_close_mode(ui_state *u);
ui_redraw ui_mode_key(ui_state *u, int ch);
void ui_mode_draw(const ui_state *u);

/* ui_history.c */
void ui_history_push(ui_history *h, const char *path);
/* The path to go back to (malloc'd), with current kept for redo; NULL when none. */
char *ui_history_undo(ui_history *h, const char *current);
char *ui_history_redo(ui_history *h, const char *current);
void ui_history_free(ui_history *h);

/* ui_export.c */
/* The path, profile, options and mappings as a symscope command line (malloc'd). */
char *ui_export_command(const ui_state *u);

/* ui_side.c */
/* Columns the side text takes at the right of the panes (0: none, hidden or too narrow). */
int ui_side_width(const ui_state *u);
void ui_side_draw(const ui_state *u);

/* ui_main.c */
struct common_opts;
/* How the terminal UI starts: mouse clicks taken, step mode from the start, and a side text
 * (a lesson's) when side_text is given. */
typedef struct ui_start {
    bool mouse, step;
    const char *side_title, *side_text;
} ui_start;
/* The terminal UI on a session made from the options, with the modules loaded. Returns the
 * exit status. */
int ui_open(struct common_opts *opts, const char *const *modules, size_t n_modules,
            const ui_start *start);
void ui_set_message(ui_state *u, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
