/* The key table: one row per binding (key codes, action, keys as shown, help text, label in
 * the function-key bar, panes where it acts). Dispatch, the help view, the bars and mouse
 * clicks on the bar all read it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

enum {
    P_EL = 1 << PANE_ELEMENTS,
    P_MOD = 1 << PANE_MODULES,
    P_ATT = 1 << PANE_ATTEMPTS,
    P_BOT = 1 << PANE_BOTTOM,
    P_ALL = P_EL | P_MOD | P_ATT | P_BOT,
    P_STEP = 1 << PANE_COUNT /* bar_panes only: the bar while step mode is on */
};

/* bar_panes: where the label shows in the bar (a key may act in more panes than that). */
typedef struct key_row {
    ui_key_def def;
    unsigned bar_panes;
} key_row;

#define CTRL(c) ((c)&0x1f)

static const key_row keys[] = {
    {{{'?', KEY_F(1)}, ACT_HELP, "? F1", "this help: every key, then a legend", "Help", P_ALL},
     P_ALL | P_STEP},
    {{{KEY_UP, 'k'}, ACT_UP, "Up k", "move up", NULL, P_ALL}, 0},
    {{{KEY_DOWN, 'j'}, ACT_DOWN, "Down j", "move down", NULL, P_ALL}, 0},
    {{{KEY_PPAGE}, ACT_PGUP, "PgUp", "page up", NULL, P_ALL}, 0},
    {{{KEY_NPAGE}, ACT_PGDN, "PgDn", "page down", NULL, P_ALL}, 0},
    {{{KEY_HOME, 'g'}, ACT_HOME, "Home g", "first row", NULL, P_ALL}, 0},
    {{{KEY_END, 'G'}, ACT_END, "End G", "last row (in the log: follow new lines)", NULL, P_ALL}, 0},
    {{{KEY_LEFT, '<'},
      ACT_LEFT,
      "Left <",
      "scroll the long column (location, why) left",
      NULL,
      P_ALL},
     0},
    {{{KEY_RIGHT, '>'},
      ACT_RIGHT,
      "Right >",
      "scroll the long column right: see its end",
      NULL,
      P_ALL},
     0},
    {{{'\t'}, ACT_NEXT_PANE, "Tab", "next pane", NULL, P_ALL}, 0},
    {{{KEY_BTAB}, ACT_PREV_PANE, "S-Tab", "previous pane", NULL, P_ALL}, 0},
    {{{'\n', '\r', KEY_ENTER},
      ACT_ENTER,
      "Enter",
      "details: of an element; of a module (why, mismatches, fix); of an attempt (its rule)",
      "Detail",
      P_ALL},
     P_MOD | P_ATT},
    {{{' '}, ACT_TOGGLE, "Space", "path: enable or disable the element", "On/Off", P_EL}, P_EL},
    {{{' '}, ACT_TAG, "Space", "modules: tag the module (u unloads the tagged ones)", "Tag", P_MOD},
     0},
    {{{'a'}, ACT_ADD, "a", "add a path element after the selected one", "Add", P_ALL}, P_EL},
    {{{'e', KEY_F(2)}, ACT_EDIT, "e F2", "edit the selected path element", "Edit", P_EL}, P_EL},
    {{{'d', KEY_DC, KEY_F(9)},
      ACT_DELETE,
      "d Del F9",
      "delete the selected path element (z undoes)",
      "Del",
      P_EL},
     P_EL},
    {{{'[', KEY_F(7)},
      ACT_MOVE_UP,
      "[ F7",
      "move the selected path element up (searches again)",
      "Up",
      P_EL},
     P_EL},
    {{{']', KEY_F(8)},
      ACT_MOVE_DOWN,
      "] F8",
      "move the selected path element down (searches again)",
      "Down",
      P_EL},
     P_EL},
    {{{'z', CTRL('z')}, ACT_UNDO, "z Ctrl-Z", "undo the last path edit", "Undo", P_ALL}, P_EL},
    {{{'Z', CTRL('y')}, ACT_REDO, "Z Ctrl-Y", "redo the path edit undone last", "Redo", P_ALL},
     P_EL},
    {{{'M'},
      ACT_MAPPINGS,
      "M",
      "drive and share mappings: add or change one (searches again)",
      "Maps",
      P_ALL},
     P_EL},
    {{{'w'},
      ACT_EXPORT,
      "w",
      "write the path and mappings as a command line to a file",
      "Export",
      P_ALL},
     P_EL},
    {{{'p'}, ACT_PROFILE, "p", "switch profile: native, documented, wine8", "Profile", P_ALL},
     P_EL},
    {{{'o'}, ACT_OPTIONS, "o", "set options (load_anything, exact_symbols, ...)", NULL, P_ALL}, 0},
    {{{'L', KEY_F(3)},
      ACT_LOAD,
      "L F3",
      "load a module: image, minidump or FILE/KEY (Tab completes paths)",
      "Load",
      P_ALL},
     P_MOD},
    {{{'r'}, ACT_RELOAD, "r", "search again for the selected module", "Reload", P_MOD | P_ATT},
     P_MOD},
    {{{'R', KEY_F(5)}, ACT_RELOAD_ALL, "R F5", "search again for every module", NULL, P_ALL}, 0},
    {{{'f'},
      ACT_FORCE,
      "f",
      "force-load a mismatched file for the selected module (.reload /i)",
      "Force",
      P_MOD | P_ATT},
     P_MOD},
    {{{'u'}, ACT_UNLOAD, "u", "unload the tagged modules, or the selected one", "Unload", P_MOD},
     P_MOD},
    {{{'n'},
      ACT_NO_SYMBOLS,
      "n",
      "modules: show only those without symbols (again: all)",
      "NoSym",
      P_MOD},
     P_MOD},
    {{{'#'},
      ACT_MISMATCHES,
      "#",
      "modules: show only those with a mismatch (again: all)",
      "Mism",
      P_MOD},
     P_MOD},
    {{{'C'}, ACT_CLEANUP, "C", "clean up the session (SymCleanup; asks first)", NULL, P_ALL}, 0},
    {{{'I'}, ACT_INIT, "I", "initialise the session again with the path shown", NULL, P_ALL}, 0},
    {{{'c'}, ACT_CACHE, "c", "show the caches and downstream stores", "Caches", P_ALL}, P_BOT},
    {{{'l'}, ACT_LOG, "l", "show the noisy log", "Log", P_ALL}, P_BOT},
    {{{'/'}, ACT_FILTER, "/", "filter the focused pane (empty: no filter)", "Filter", P_ALL},
     P_ALL},
    {{{'t'}, ACT_THEME, "t", "switch theme", "Theme", P_ALL}, P_BOT},
    {{{'m'}, ACT_MOUSE, "m", "mouse on or off", NULL, P_ALL}, 0},
    {{{'i'},
      ACT_SIDE,
      "i",
      "a lesson or scenario: show or hide its text beside the panes",
      NULL,
      P_ALL},
     0},
    {{{'T'},
      ACT_SIDE_VIEW,
      "T",
      "a lesson or scenario: its whole text in a view (it scrolls)",
      NULL,
      P_ALL},
     0},
    {{{'x', CTRL('c')},
      ACT_CANCEL,
      "x Ctrl-C",
      "cancel the work that runs (says what stopped; a waiting attempt goes, skipped)",
      "Cancel",
      P_ALL},
     P_ATT | P_STEP},
    {{{'S'},
      ACT_STEP_MODE,
      "S",
      "step mode on/off: the engine waits before each attempt (also --step)",
      "Step",
      P_ALL},
     P_ATT | P_STEP},
    {{{'s', KEY_F(11)},
      ACT_STEP,
      "s F11",
      "step mode: make the waiting attempt, then wait before the next",
      "Next",
      P_ALL},
     P_STEP},
    {{{'E', KEY_F(12), KEY_F(23)},
      ACT_STEP_MODULE,
      "E F12",
      "step mode: run this module's search to its end (S-F11 too)",
      "Module",
      P_ALL},
     P_STEP},
    {{{'A', KEY_F(6)},
      ACT_STEP_ALL,
      "A F6",
      "step mode: run the work to its end (step mode stays on)",
      "All",
      P_ALL},
     P_STEP},
    {{{'P'},
      ACT_COMPARE,
      "P",
      "the selected module under the three profiles side by side (dry runs)",
      "Profiles",
      P_ALL},
     P_ATT},
    {{{'W'},
      ACT_WHERE,
      "W",
      "every place the selected module's symbol file would be found, in order",
      "Where",
      P_ALL},
     P_ATT},
    {{{'q'},
      ACT_BACK,
      "q",
      "back: close a view, clear a filter, leave the caches; at the top, quit",
      NULL,
      P_ALL},
     0},
    {{{27}, ACT_ESCAPE, "Esc", "back, as q, but never quits", NULL, P_ALL}, 0},
    {{{'Q', KEY_F(10)}, ACT_QUIT, "Q F10", "quit (asks while work runs)", "Quit", P_ALL},
     P_ALL | P_STEP},
};

#define N_KEYS (sizeof keys / sizeof keys[0])

ui_action ui_key_action(const ui_state *u, int ch)
{
    unsigned bit = 1u << u->focus;
    for (size_t i = 0; i < N_KEYS; i++) {
        if (!(keys[i].def.panes & bit))
            continue;
        for (size_t k = 0; k < 4 && keys[i].def.codes[k]; k++)
            if (keys[i].def.codes[k] == ch)
                return keys[i].def.act;
    }
    return ACT_NONE;
}

bool ui_keys_conflict(char *why, size_t n)
{
    for (size_t i = 0; i < N_KEYS; i++)
        for (size_t j = i + 1; j < N_KEYS; j++) {
            if (!(keys[i].def.panes & keys[j].def.panes))
                continue; /* one key, two panes, two actions: allowed */
            for (size_t a = 0; a < 4 && keys[i].def.codes[a]; a++)
                for (size_t b = 0; b < 4 && keys[j].def.codes[b]; b++)
                    if (keys[i].def.codes[a] == keys[j].def.codes[b]) {
                        snprintf(why, n, "key %s is bound twice: to \"%s\" and to \"%s\"",
                                 keys[i].def.shown, keys[i].def.help, keys[j].def.help);
                        return true;
                    }
        }
    return false;
}

/* The key as the bar shows it: its function key when it has one, else its first name. */
static const char *bar_key(const char *shown, char *buf, size_t n)
{
    const char *f = strstr(shown, "F");
    if (f && (f == shown || f[-1] == ' ') && f[1] >= '0' && f[1] <= '9') {
        size_t len = strcspn(f, " ");
        snprintf(buf, n, "%.*s", (int)len, f);
    } else {
        size_t len = strcspn(shown, " ");
        snprintf(buf, n, "%.*s", (int)len, shown);
    }
    if (strcmp(buf, "Space") == 0)
        snprintf(buf, n, "Spc");
    return buf;
}

void ui_bar_layout(ui_state *u)
{
    static char names[N_KEYS][16];
    static char labels[N_KEYS][24];
    ui_layout *l = &u->lay;
    /* Stepping: the step keys, whatever the focus. */
    unsigned bit = u->step.on ? (unsigned)P_STEP : 1u << u->focus;
    size_t pick[N_KEYS], n = 0, quit = N_KEYS;
    for (size_t i = 0; i < N_KEYS; i++) {
        if (!keys[i].def.bar || !(keys[i].bar_panes & bit))
            continue;
        bar_key(keys[i].def.shown, names[i], sizeof names[i]);
        snprintf(labels[i], sizeof labels[i], "%s ", keys[i].def.bar);
        if (keys[i].def.act == ACT_QUIT)
            quit = i;
        else
            pick[n++] = i;
    }
    /* Quit always shows, last; the pane's keys take what room is left, in table order. */
    int room = COLS - (quit < N_KEYS ? (int)(strlen(names[quit]) + strlen(labels[quit])) : 0);
    int x = 0;
    l->n_bar = 0;
    for (size_t k = 0; k <= n && l->n_bar < UI_BAR_MAX; k++) {
        size_t i = k < n ? pick[k] : quit;
        if (i == N_KEYS)
            break;
        int w = (int)(strlen(names[i]) + strlen(labels[i]));
        if (k < n && x + w > room)
            continue;
        l->bar_key[l->n_bar] = names[i];
        l->bar_label[l->n_bar] = labels[i];
        l->bar_act[l->n_bar] = keys[i].def.act;
        l->bar_x[l->n_bar] = x;
        l->bar_w[l->n_bar] = w;
        l->n_bar++;
        x += w;
    }
}

char *ui_help_text(void)
{
    static const char legend[] =
        "\n"
        "Path element states: ok; missing (no such directory); unmapped (a drive or share with\n"
        "no --map: M maps it); unsupported; unreachable (its server failed this session);\n"
        "disabled (Space); invalid. A ! before an element's index: the path lint has a finding\n"
        "(the detail lines and Enter give it with its fix).\n"
        "\n"
        "Step mode (S): the engine waits before each attempt; the detail lines show the attempt\n"
        "that waits, why this place comes now and what the last one brought back, and the bar\n"
        "shows the step keys.\n"
        "\n"
        "Attempt outcomes: found; mismatch (a file with another identity: the detail line shows\n"
        "both keys); not-found; denied; network; server-error; bad-content (not a symbol file);\n"
        "skipped (unmapped, offline or a remembered miss); copied, cached, already-cached (into\n"
        "a downstream store or cache).\n"
        "\n"
        "Module letters (lm column, as WinDbg's lm): M a mismatched file was taken; # the\n"
        "symbols do not match. Marks before the name: + tagged; * winner changed at the last\n"
        "search; ~ a cancelled search did not reach it (it keeps its previous result).\n"
        "\n"
        "Colours: each outcome, element state and symbol class has its theme colour (t switches\n"
        "themes). The words and letters say the same without colour; the selected row is in\n"
        "reverse video when there is no colour (NO_COLOR, --color=never, mono terminals).\n"
        "\n"
        "Long texts are cut in the middle (\"...\"); the detail lines under the panes show the\n"
        "selected row in full, and Left/Right scroll the long column.\n";
    size_t cap = sizeof legend + 64;
    for (size_t i = 0; i < N_KEYS; i++)
        cap += strlen(keys[i].def.shown) + strlen(keys[i].def.help) + 16;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t o = 0;
    o +=
        (size_t)snprintf(out + o, cap - o, "Keys (Up/Down/PgUp/PgDn scroll this view, q closes)\n");
    for (size_t i = 0; i < N_KEYS; i++)
        o += (size_t)snprintf(out + o, cap - o, "%-9s %s\n", keys[i].def.shown, keys[i].def.help);
    snprintf(out + o, cap - o, "%s", legend);
    return out;
}

static ui_redraw click(ui_state *u)
{
    MEVENT ev;
    if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
        return UI_REDRAW_NONE;
    if (ev.y == LINES - 1) {
        /* The function-key bar: the action under the click. */
        for (size_t i = 0; i < u->lay.n_bar; i++)
            if (ev.x >= u->lay.bar_x[i] && ev.x < u->lay.bar_x[i] + u->lay.bar_w[i])
                return ui_do(u, u->lay.bar_act[i]);
        return UI_REDRAW_NONE;
    }
    /* A row: focus its pane and select it. */
    int pane, row;
    if (!ui_hit(u, ev.y, ev.x, &pane, &row))
        return UI_REDRAW_NONE;
    u->focus = pane;
    if (row >= 0 && (size_t)row < u->lists[pane].n_rows) {
        u->lists[pane].sel = row;
        if (pane == PANE_MODULES)
            u->lists[PANE_ATTEMPTS].sel = u->lists[PANE_ATTEMPTS].top = 0;
        if (pane == PANE_BOTTOM)
            u->log_follow = false;
    }
    return UI_REDRAW_ALL;
}

ui_redraw ui_key(ui_state *u, int ch)
{
    if (ch == KEY_RESIZE)
        return UI_REDRAW_ALL;
    ui_action act = ui_key_action(u, ch);
    if (ch == KEY_MOUSE)
        return click(u);
    if (act == ACT_NONE)
        return UI_REDRAW_NONE;
    return ui_do(u, act);
}
