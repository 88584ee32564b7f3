/* Keys and what they do. The action list is one X-macro table: the help screen, the key
 * dispatch and the function-key bars all come from it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theme.h"
#include "ui.h"

/* X(action, keys as shown, help) */
#define ACTION_LIST(X)                                                                             \
    X(ACT_UP, "Up k", "move up")                                                                   \
    X(ACT_DOWN, "Down j", "move down")                                                             \
    X(ACT_PGUP, "PgUp", "page up")                                                                 \
    X(ACT_PGDN, "PgDn", "page down")                                                               \
    X(ACT_HOME, "Home g", "first row")                                                             \
    X(ACT_END, "End G", "last row (in the log: follow new lines)")                                 \
    X(ACT_NEXT_PANE, "Tab", "next pane")                                                           \
    X(ACT_PREV_PANE, "S-Tab", "previous pane")                                                     \
    X(ACT_ENTER, "Enter", "explain: an attempt's rule and outcome, a module, an element")          \
    X(ACT_SPACE, "Space", "path: enable or disable the element; modules: tag the module")          \
    X(ACT_ADD, "a", "add a path element after the selected one")                                   \
    X(ACT_EDIT, "e F2", "edit the selected path element")                                          \
    X(ACT_DELETE, "d Del F9", "delete the selected path element")                                  \
    X(ACT_MOVE_UP, "[ F7", "move the selected path element up (searches again)")                   \
    X(ACT_MOVE_DOWN, "] F8", "move the selected path element down (searches again)")               \
    X(ACT_PROFILE, "p", "switch profile: native, documented, wine8")                               \
    X(ACT_OPTIONS, "o", "set options (load_anything, exact_symbols, ...)")                         \
    X(ACT_LOAD, "L F3", "load a module: image, minidump or FILE/KEY (Tab completes paths)")        \
    X(ACT_RELOAD, "r", "search again for the selected module")                                     \
    X(ACT_RELOAD_ALL, "R F5", "search again for every module")                                     \
    X(ACT_FORCE, "f", "force-load a mismatched file for the selected module (.reload /i)")         \
    X(ACT_UNLOAD, "u", "unload the tagged modules, or the selected one")                           \
    X(ACT_CLEANUP, "C", "clean up the session (SymCleanup; asks first)")                           \
    X(ACT_INIT, "I", "initialise the session again with the path shown")                           \
    X(ACT_CACHE, "c", "show the caches and downstream stores")                                     \
    X(ACT_LOG, "l", "show the noisy log")                                                          \
    X(ACT_FILTER, "/", "filter the focused pane (empty: no filter)")                               \
    X(ACT_THEME, "t", "switch theme")                                                              \
    X(ACT_MOUSE, "m", "mouse on or off")                                                           \
    X(ACT_CANCEL, "x Ctrl-C", "cancel the work that runs")                                         \
    X(ACT_HELP, "? F1", "this help")                                                               \
    X(ACT_BACK, "q Esc", "back: close help, a dialog, the filter; at the top q quits")             \
    X(ACT_QUIT, "Q F10", "quit")

typedef enum action {
#define A_X(e, keys, help) e,
    ACTION_LIST(A_X)
#undef A_X
        ACT_COUNT,
    ACT_NONE
} action;

static const char *const action_keys[] = {
#define A_X(e, keys, help) keys,
    ACTION_LIST(A_X)
#undef A_X
};
static const char *const action_help[] = {
#define A_X(e, keys, help) help,
    ACTION_LIST(A_X)
#undef A_X
};

static action action_of(int ch)
{
    switch (ch) {
    case KEY_UP:
    case 'k':
        return ACT_UP;
    case KEY_DOWN:
    case 'j':
        return ACT_DOWN;
    case KEY_PPAGE:
        return ACT_PGUP;
    case KEY_NPAGE:
        return ACT_PGDN;
    case KEY_HOME:
    case 'g':
        return ACT_HOME;
    case KEY_END:
    case 'G':
        return ACT_END;
    case '\t':
        return ACT_NEXT_PANE;
    case KEY_BTAB:
        return ACT_PREV_PANE;
    case '\n':
    case '\r':
    case KEY_ENTER:
        return ACT_ENTER;
    case ' ':
        return ACT_SPACE;
    case 'a':
        return ACT_ADD;
    case 'e':
    case KEY_F(2):
        return ACT_EDIT;
    case 'd':
    case KEY_DC:
    case KEY_F(9):
        return ACT_DELETE;
    case '[':
    case KEY_F(7):
        return ACT_MOVE_UP;
    case ']':
    case KEY_F(8):
        return ACT_MOVE_DOWN;
    case 'p':
        return ACT_PROFILE;
    case 'o':
        return ACT_OPTIONS;
    case 'L':
    case KEY_F(3):
        return ACT_LOAD;
    case 'r':
        return ACT_RELOAD;
    case 'R':
    case KEY_F(5):
        return ACT_RELOAD_ALL;
    case 'f':
        return ACT_FORCE;
    case 'u':
        return ACT_UNLOAD;
    case 'C':
        return ACT_CLEANUP;
    case 'I':
        return ACT_INIT;
    case 'c':
        return ACT_CACHE;
    case 'l':
        return ACT_LOG;
    case '/':
        return ACT_FILTER;
    case 't':
        return ACT_THEME;
    case 'm':
        return ACT_MOUSE;
    case 'x':
    case 3: /* Ctrl-C */
        return ACT_CANCEL;
    case '?':
    case KEY_F(1):
        return ACT_HELP;
    case 'q':
    case 27:
        return ACT_BACK;
    case 'Q':
    case KEY_F(10):
        return ACT_QUIT;
    default:
        return ACT_NONE;
    }
}

size_t ui_help_lines(const char ***lines)
{
    static char buf[ACT_COUNT][160];
    static const char *out[ACT_COUNT];
    for (int i = 0; i < ACT_COUNT; i++) {
        snprintf(buf[i], sizeof buf[i], "%-10s %s", action_keys[i], action_help[i]);
        out[i] = buf[i];
    }
    *lines = out;
    return ACT_COUNT;
}

size_t ui_fkeys(const ui_state *u, const char *const **keys, const char *const **labels)
{
    static const char *const ek[] = {"F1", "F2", "a", "F7", "F8", "F9", "Spc", "p", "/", "F10"};
    static const char *const el[] = {"Help", "Edit",   "Add",     "Up",     "Down",
                                     "Del",  "On/Off", "Profile", "Filter", "Quit"};
    static const char *const mk[] = {"F1", "F3", "r", "F5", "f", "u", "Spc", "C", "/", "F10"};
    static const char *const ml[] = {"Help",   "Load", "Reload",  "All",    "Force",
                                     "Unload", "Tag",  "Cleanup", "Filter", "Quit"};
    static const char *const ak[] = {"F1", "Enter", "/", "x", "F10"};
    static const char *const al[] = {"Help", "Explain", "Filter", "Cancel", "Quit"};
    static const char *const bk[] = {"F1", "c", "l", "/", "t", "F10"};
    static const char *const bl[] = {"Help", "Caches", "Log", "Filter", "Theme", "Quit"};
    switch (u->focus) {
    case PANE_ELEMENTS:
        *keys = ek;
        *labels = el;
        return sizeof ek / sizeof ek[0];
    case PANE_MODULES:
        *keys = mk;
        *labels = ml;
        return sizeof mk / sizeof mk[0];
    case PANE_ATTEMPTS:
        *keys = ak;
        *labels = al;
        return sizeof ak / sizeof ak[0];
    default:
        *keys = bk;
        *labels = bl;
        return sizeof bk / sizeof bk[0];
    }
}

/* ---- explanations ---- */

static const char *rule_text(const char *rule)
{
    static const struct {
        const char *rule, *text;
    } rules[] = {
        {"D", "the file directly in the element's directory (D\\file)"},
        {"D\\<ext>", "a sub-directory named after the image's extension (D\\dll\\file)"},
        {"D\\symbols\\<ext>", "symbols\\<ext> under the element (D\\symbols\\dll\\file)"},
        {"cv-path", "the PDB path recorded in the image's CodeView record"},
        {"image-dir", "the directory the image was loaded from"},
        {"store", "the store's key directory: <file>\\<key>\\<file>"},
        {"store-compressed", "the compressed file in the key directory (last character '_', a "
                             "CAB)"},
        {"store-pointer", "file.ptr in the key directory: PATH: to the file, or MSG: why not"},
        {"copy", "a copy into a store to the left of where it was found (downstream)"},
        {"decompress", "the compressed file expanded into the leftmost store"},
        {"download", "an HTTP download, verified and renamed into the downstream store"},
        {"cache", "a cache element to the left: what is found later is copied into it"},
        {"http", "GET <store>/<file>/<key>/<file> from the HTTP store"},
        {"http-compressed", "GET of the compressed name (file.pd_) from the HTTP store"},
        {"http-pointer", "GET of file.ptr from the HTTP store"},
        {"index2", "GET <store>/index2.txt, once per store per session: 200 makes it two-tier"},
        {"element", "the element as a whole"},
        {"cancel", "the search was cancelled"},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (rule && strcmp(rule, rules[i].rule) == 0)
            return rules[i].text;
    return "";
}

static const char *outcome_text(sym_outcome o)
{
    switch (o) {
    case SYM_OUT_FOUND:
        return "found: the identity matches what the module wants";
    case SYM_OUT_MISMATCH:
        return "mismatch: the right name, another identity (GUID/age, signature or "
               "timestamp/size); the search goes on";
    case SYM_OUT_NOT_FOUND:
        return "not found";
    case SYM_OUT_DENIED:
        return "denied: permission denied, or HTTP 401/403";
    case SYM_OUT_NETWORK:
        return "network: DNS, connect, TLS, reset, timeout or a cut transfer";
    case SYM_OUT_SERVER_ERROR:
        return "server error: HTTP 5xx or 429, after retries";
    case SYM_OUT_BAD_CONTENT:
        return "bad content: not a symbol file (an HTML page, truncated, too large)";
    case SYM_OUT_SKIPPED:
        return "skipped: unmapped drive, disabled, offline, remembered miss, cancelled";
    case SYM_OUT_COPIED:
        return "copied into a downstream store";
    case SYM_OUT_CACHED:
        return "copied into a cache element (cached to)";
    case SYM_OUT_ALREADY_CACHED:
        return "already in the cache";
    default:
        return "";
    }
}

static void explain_attempt(ui_state *u)
{
    ui_mod *m = ui_selected_mod(u);
    ui_list *l = &u->lists[PANE_ATTEMPTS];
    if (!m || !l->n_rows)
        return;
    const ui_attempt *a = &m->att[l->rows[l->sel]];
    char want[SYM_KEY_MAX] = "-", have[SYM_KEY_MAX] = "-";
    sym_identity_key(&a->expected, want);
    sym_identity_key(&a->found, have);
    char step[256];
    snprintf(step, sizeof step,
             "%s: %s (profile %s searches cv-path, element and image-dir in "
             "its own order)",
             sym_step_name(a->step),
             a->step == SYM_STEP_CV_PATH     ? "the PDB path recorded in the image"
             : a->step == SYM_STEP_IMAGE_DIR ? "the image's own directory"
                                             : "an element of the symbol path, left to right",
             sym_profile_name(u->profile));
    char element[600] = "none";
    if (a->element >= 0 && (size_t)a->element < u->n_el) {
        const ui_element *e = &u->el[a->element];
        char store[32] = "";
        if (a->store >= 0)
            snprintf(store, sizeof store, ", store %d", a->store);
        snprintf(element, sizeof element, "%d: %s (%s element, from %s%s)", a->element, e->text,
                 sym_elem_kind_name(e->kind), sym_elem_source_name(e->source), store);
    }
    char text[4096];
    snprintf(text, sizeof text,
             "Module: %s wants %s, key %s\n"
             "Step: %s\n"
             "Element: %s\n"
             "Rule: %s - %s\n"
             "Location: %s\n"
             "Local path: %s\n"
             "Outcome: %s\n"
             "%s%s%s"
             "Found identity: %s\n"
             "Bytes: %llu, time: %.2f ms%s%s",
             m->m.name, m->m.wanted_file ? m->m.wanted_file : "?", want, step, element,
             a->rule ? a->rule : "", rule_text(a->rule), a->location ? a->location : "",
             a->local ? a->local : "(none: not a local path)", outcome_text(a->outcome),
             a->detail && a->detail[0] ? "Detail: " : "", a->detail ? a->detail : "",
             a->detail && a->detail[0] ? "\n" : "", have, (unsigned long long)a->bytes, a->ms,
             a->source ? "\nFrom: " : "", a->source ? a->source : "");
    char title[128];
    snprintf(title, sizeof title, "Attempt %u of %s", a->n, m->m.name);
    ui_show_dialog(u, title, text);
}

static void explain_element(ui_state *u)
{
    ui_list *l = &u->lists[PANE_ELEMENTS];
    if (!l->n_rows)
        return;
    const ui_element *e = &u->el[l->rows[l->sel]];
    const ui_counter *c = ui_counter_of(u, e->text);
    char text[4096];
    snprintf(text, sizeof text,
             "Text: %s\nKind: %s\nFrom: %s\nState: %s%s%s\nEnabled: %s\nStores: %s\n"
             "This session: %u hits, %u misses\n\nExpanded path: %s",
             e->text, sym_elem_kind_name(e->kind), sym_elem_source_name(e->source),
             sym_elem_state_name(e->state), e->reason ? " - " : "", e->reason ? e->reason : "",
             e->enabled ? "yes" : "no (Space enables it)",
             e->stores && e->stores[0] ? e->stores : "(a plain directory)", c ? c->hits : 0,
             c ? c->misses : 0, u->expanded ? u->expanded : "");
    ui_show_dialog(u, "Path element", text);
}

/* ---- path editing: a new path text, then the engine searches again ---- */

static void send_path_with(ui_state *u, const char *const *texts, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(texts[i]) + 1;
    char *p = calloc(1, len);
    if (!p)
        return;
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(p, ";");
        strcat(p, texts[i]);
    }
    bridge_command(u->b, UI_CMD_SET_PATH, p, 0, 0, false);
    free(p);
}

static void edit_path(ui_state *u, action act)
{
    ui_list *l = &u->lists[PANE_ELEMENTS];
    size_t n = u->n_el;
    size_t sel = l->n_rows ? l->rows[l->sel] : 0;
    const char **t = calloc(n + 1, sizeof *t);
    if (!t)
        return;
    for (size_t i = 0; i < n; i++)
        t[i] = u->el[i].text;
    char *owned = NULL;
    switch (act) {
    case ACT_MOVE_UP:
    case ACT_MOVE_DOWN: {
        size_t other = act == ACT_MOVE_UP ? sel - 1 : sel + 1;
        if (n < 2 || (act == ACT_MOVE_UP && sel == 0) || other >= n) {
            free(t);
            return;
        }
        const char *x = t[sel];
        t[sel] = t[other];
        t[other] = x;
        l->sel += act == ACT_MOVE_UP ? -1 : 1;
        break;
    }
    case ACT_DELETE:
        if (!n) {
            free(t);
            return;
        }
        memmove(&t[sel], &t[sel + 1], (n - sel - 1) * sizeof *t);
        n--;
        break;
    case ACT_ADD:
    case ACT_EDIT:
        owned = ui_prompt(u, act == ACT_ADD ? "New path element: " : "Edit element: ",
                          act == ACT_EDIT && n ? t[sel] : "", true);
        if (!owned || !*owned) {
            free(owned);
            free(t);
            return;
        }
        if (act == ACT_EDIT && n) {
            t[sel] = owned;
        } else {
            size_t at = n ? sel + 1 : 0;
            memmove(&t[at + 1], &t[at], (n - at) * sizeof *t);
            t[at] = owned;
            n++;
            l->sel = (int)at;
        }
        break;
    default:
        break;
    }
    send_path_with(u, t, n);
    free(owned);
    free(t);
}

/* ---- other actions ---- */

static void choose_profile(ui_state *u)
{
    const char *items[SYM_PROFILE_COUNT];
    char buf[SYM_PROFILE_COUNT][160];
    for (int i = 0; i < SYM_PROFILE_COUNT; i++) {
        snprintf(buf[i], sizeof buf[i], "%-11s %s", sym_profile_name((sym_profile)i),
                 sym_profile_source((sym_profile)i));
        items[i] = buf[i];
    }
    int k = ui_menu(u, "Profile", items, SYM_PROFILE_COUNT, (int)u->profile);
    if (k >= 0 && k != (int)u->profile)
        bridge_command(u->b, UI_CMD_PROFILE, NULL, 0, k, false);
}

static void choose_option(ui_state *u)
{
    const char *items[SYM_OPTION_COUNT];
    char buf[SYM_OPTION_COUNT][200];
    for (int i = 0; i < SYM_OPTION_COUNT; i++) {
        snprintf(buf[i], sizeof buf[i], "[%c] %-26s %s", u->options[i] ? 'x' : ' ',
                 sym_option_name((sym_option)i), sym_option_help((sym_option)i));
        items[i] = buf[i];
    }
    int k = ui_menu(u, "Options (Enter turns one on or off)", items, SYM_OPTION_COUNT, 0);
    if (k >= 0)
        bridge_command(u->b, UI_CMD_OPTION, NULL, 0, k, !u->options[k]);
}

static void choose_theme(ui_state *u)
{
    char **names = theme_names();
    size_t n = 0;
    while (names && names[n])
        n++;
    int cur = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], theme_name(u->theme)) == 0)
            cur = (int)i;
    int k = n ? ui_menu(u, "Theme", (const char *const *)names, n, cur) : -1;
    if (k >= 0) {
        char err[512], note[256];
        theme *t = theme_load(names[k], err, sizeof err);
        if (!t) {
            ui_set_message(u, true, "%s", err);
        } else {
            ui_color_apply(u, t, note, sizeof note);
            if (note[0])
                ui_set_message(u, false, "%s", note);
            else
                ui_set_message(u, false, "theme %s", names[k]);
        }
    }
    theme_names_free(names);
}

static void unload(ui_state *u)
{
    size_t n = 0;
    for (size_t i = 0; i < u->n_mods; i++)
        if (u->mods[i].tagged && u->mods[i].m.state != SYM_MOD_UNLOADED) {
            bridge_command(u->b, UI_CMD_UNLOAD, NULL, u->mods[i].m.base, 0, false);
            n++;
        }
    ui_mod *m = ui_selected_mod(u);
    if (!n && m && m->m.state != SYM_MOD_UNLOADED) {
        bridge_command(u->b, UI_CMD_UNLOAD, NULL, m->m.base, 0, false);
        n = 1;
    }
    ui_set_message(u, false, "unloading %zu module%s", n, n == 1 ? "" : "s");
}

static void move_sel(ui_state *u, action act)
{
    ui_list *l = &u->lists[u->focus];
    int page = ui_pane_height(u, u->focus);
    int last = l->n_rows ? (int)l->n_rows - 1 : 0;
    if (u->focus == PANE_BOTTOM && u->bottom == BOTTOM_LOG)
        u->log_follow = act == ACT_END;
    switch (act) {
    case ACT_UP:
        l->sel--;
        break;
    case ACT_DOWN:
        l->sel++;
        break;
    case ACT_PGUP:
        l->sel -= page > 1 ? page - 1 : 1;
        break;
    case ACT_PGDN:
        l->sel += page > 1 ? page - 1 : 1;
        break;
    case ACT_HOME:
        l->sel = 0;
        break;
    case ACT_END:
        l->sel = last;
        break;
    default:
        break;
    }
    if (l->sel < 0)
        l->sel = 0;
    if (l->sel > last)
        l->sel = last;
    if (u->focus == PANE_MODULES)
        u->lists[PANE_ATTEMPTS].sel = u->lists[PANE_ATTEMPTS].top = 0;
}

static void edit_filter(ui_state *u)
{
    ui_list *l = &u->lists[u->focus];
    char *f = ui_prompt(u, "Filter: ", l->filter, false);
    if (!f)
        return;
    snprintf(l->filter, sizeof l->filter, "%s", f);
    free(f);
    l->sel = l->top = 0;
}

static void click(ui_state *u)
{
    MEVENT ev;
    if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
        return;
    if (ev.y == LINES - 1) {
        /* The function-key bar: the key under the click. */
        const char *const *keys, *const *labels;
        size_t n = ui_fkeys(u, &keys, &labels);
        int x = 0;
        for (size_t i = 0; i < n; i++) {
            int w = (int)(strlen(keys[i]) + strlen(labels[i]) + 1);
            if (ev.x >= x && ev.x < x + w) {
                static const struct {
                    const char *k;
                    int ch;
                } map[] = {{"F1", KEY_F(1)}, {"F2", KEY_F(2)}, {"F3", KEY_F(3)}, {"F5", KEY_F(5)},
                           {"F7", KEY_F(7)}, {"F8", KEY_F(8)}, {"F9", KEY_F(9)}, {"F10", KEY_F(10)},
                           {"Spc", ' '},     {"Enter", '\n'}};
                int ch = (unsigned char)keys[i][0];
                for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
                    if (strcmp(map[k].k, keys[i]) == 0)
                        ch = map[k].ch;
                ui_key(u, ch);
                return;
            }
            x += w;
        }
        return;
    }
    /* A row: focus its pane and select it. */
    int pane, row;
    if (!ui_hit(u, ev.y, ev.x, &pane, &row))
        return;
    u->focus = pane;
    if (row >= 0 && (size_t)row < u->lists[pane].n_rows) {
        u->lists[pane].sel = row;
        if (pane == PANE_MODULES)
            u->lists[PANE_ATTEMPTS].sel = u->lists[PANE_ATTEMPTS].top = 0;
        if (pane == PANE_BOTTOM)
            u->log_follow = false;
    }
}

void ui_key(ui_state *u, int ch)
{
    u->dirty = true;
    if (ch == KEY_RESIZE)
        return;
    if (ch == KEY_MOUSE) {
        click(u);
        return;
    }
    action act = action_of(ch);
    if (u->help || u->dialog) {
        /* Any key closes the help or a dialog. */
        u->help = false;
        free(u->dialog);
        u->dialog = NULL;
        return;
    }
    if (act != ACT_NONE && act != ACT_CANCEL)
        u->message[0] = '\0';
    ui_mod *m = ui_selected_mod(u);
    switch (act) {
    case ACT_UP:
    case ACT_DOWN:
    case ACT_PGUP:
    case ACT_PGDN:
    case ACT_HOME:
    case ACT_END:
        move_sel(u, act);
        break;
    case ACT_NEXT_PANE:
        u->focus = (u->focus + 1) % PANE_COUNT;
        break;
    case ACT_PREV_PANE:
        u->focus = (u->focus + PANE_COUNT - 1) % PANE_COUNT;
        break;
    case ACT_ENTER:
        if (u->focus == PANE_ATTEMPTS)
            explain_attempt(u);
        else if (u->focus == PANE_MODULES)
            u->focus = PANE_ATTEMPTS;
        else if (u->focus == PANE_ELEMENTS)
            explain_element(u);
        break;
    case ACT_SPACE:
        if (u->focus == PANE_ELEMENTS && u->lists[PANE_ELEMENTS].n_rows) {
            size_t i = u->lists[PANE_ELEMENTS].rows[u->lists[PANE_ELEMENTS].sel];
            bridge_command(u->b, UI_CMD_ENABLE, NULL, 0, (int)i, !u->el[i].enabled);
        } else if (u->focus == PANE_MODULES && m) {
            m->tagged = !m->tagged;
            move_sel(u, ACT_DOWN);
        }
        break;
    case ACT_ADD:
    case ACT_EDIT:
    case ACT_DELETE:
    case ACT_MOVE_UP:
    case ACT_MOVE_DOWN:
        if (u->focus != PANE_ELEMENTS && act != ACT_ADD) {
            ui_set_message(u, false, "Tab to the path pane to change elements");
            break;
        }
        u->focus = PANE_ELEMENTS;
        edit_path(u, act);
        break;
    case ACT_PROFILE:
        choose_profile(u);
        break;
    case ACT_OPTIONS:
        choose_option(u);
        break;
    case ACT_LOAD: {
        char *what = ui_prompt(u, "Load (image, minidump or FILE/KEY): ", "", true);
        if (what && *what)
            bridge_command(u->b, UI_CMD_LOAD, what, 0, 0, false);
        free(what);
        break;
    }
    case ACT_RELOAD:
        if (m && m->m.state != SYM_MOD_UNLOADED)
            bridge_command(u->b, UI_CMD_RELOAD, NULL, m->m.base, 0, false);
        break;
    case ACT_RELOAD_ALL:
        bridge_command(u->b, UI_CMD_RELOAD_ALL, NULL, 0, 0, false);
        break;
    case ACT_FORCE:
        if (m && m->m.state != SYM_MOD_UNLOADED)
            bridge_command(u->b, UI_CMD_FORCE, NULL, m->m.base, 0, false);
        break;
    case ACT_UNLOAD:
        unload(u);
        break;
    case ACT_CLEANUP:
        if (ui_confirm(u, "Clean up the session? Every module is dropped (SymCleanup).")) {
            bridge_command(u->b, UI_CMD_CLEANUP, NULL, 0, 0, false);
        } else {
            ui_set_message(u, false, "clean-up cancelled: nothing changed");
        }
        break;
    case ACT_INIT:
        if (u->initialized)
            ui_set_message(u, false, "the session is initialised already");
        else
            bridge_command(u->b, UI_CMD_INITIALIZE, u->path, 0, 0, false);
        break;
    case ACT_CACHE:
        u->bottom = BOTTOM_CACHE;
        u->lists[PANE_BOTTOM].sel = u->lists[PANE_BOTTOM].top = 0;
        bridge_command(u->b, UI_CMD_SCAN_CACHES, NULL, 0, 0, false);
        break;
    case ACT_LOG:
        u->bottom = BOTTOM_LOG;
        u->log_follow = true;
        break;
    case ACT_FILTER:
        edit_filter(u);
        break;
    case ACT_THEME:
        choose_theme(u);
        break;
    case ACT_MOUSE:
        u->mouse = !u->mouse;
        mousemask(u->mouse ? BUTTON1_CLICKED | BUTTON1_PRESSED : 0, NULL);
        ui_set_message(u, false, "mouse %s", u->mouse ? "on" : "off");
        break;
    case ACT_CANCEL:
        bridge_cancel(u->b);
        ui_set_message(u, false, "cancelling...");
        break;
    case ACT_HELP:
        u->help = true;
        break;
    case ACT_BACK:
        if (u->lists[u->focus].filter[0])
            u->lists[u->focus].filter[0] = '\0';
        else if (ch == 27)
            ui_set_message(u, false, "q or Q quits"); /* a stray Esc never ends the session */
        else
            u->quit = !u->busy || ui_confirm(u, "Work is running. Quit anyway?");
        break;
    case ACT_QUIT:
        u->quit = !u->busy || ui_confirm(u, "Work is running. Quit anyway?");
        break;
    case ACT_NONE:
    default:
        break;
    }
}
