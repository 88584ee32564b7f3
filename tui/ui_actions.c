/* What the keys do. Each action returns what must be redrawn. Actions that ask first open a
 * mode (input line, question, menu) and finish in ui_input_done, ui_confirm_done or
 * ui_menu_done, reading the model as it is when the answer comes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui.h"

void ui_send(ui_state *u, ui_cmd_kind kind, const char *text, uint64_t base, int index, bool flag,
             const char *what)
{
    bool queued = u->busy;
    bridge_command(u->b, kind, text, base, index, flag);
    if (queued && what)
        ui_set_message(u, false, "queued: %s (after the work that runs; x cancels it)", what);
}

/* ---- the path: a new text, remembered for undo, then the engine searches again ---- */

static void send_path(ui_state *u, const char *path, const char *what)
{
    ui_history_push(&u->history, u->path ? u->path : "");
    u->path_edited = true;
    ui_send(u, UI_CMD_SET_PATH, path, 0, 0, false, what);
}

/* The path with element `sel` replaced (text), removed (text NULL, insert false), or text
 * inserted before `sel`. */
static char *path_with(const ui_state *u, size_t sel, const char *text, bool insert)
{
    size_t len = 1 + (text ? strlen(text) + 1 : 0);
    for (size_t i = 0; i < u->n_el; i++)
        len += strlen(u->el[i].text) + 1;
    char *p = calloc(1, len);
    if (!p)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i <= u->n_el; i++) {
        if (i == sel && insert && text)
            o += (size_t)snprintf(p + o, len - o, "%s%s", o ? ";" : "", text);
        if (i == u->n_el)
            break;
        const char *t = i == sel && !insert ? text : u->el[i].text;
        if (t)
            o += (size_t)snprintf(p + o, len - o, "%s%s", o ? ";" : "", t);
    }
    return p;
}

static ui_redraw move_element(ui_state *u, bool up)
{
    const ui_element *e = ui_selected_element(u);
    if (!e)
        return UI_REDRAW_NONE;
    size_t sel = (size_t)(e - u->el);
    if ((up && sel == 0) || (!up && sel + 1 >= u->n_el)) {
        ui_set_message(u, false, "the element is %s already", up ? "first" : "last");
        return UI_REDRAW_STATUS;
    }
    size_t other = up ? sel - 1 : sel + 1;
    size_t lo = up ? other : sel; /* lo and lo + 1 swap places */
    size_t len = 1;
    for (size_t i = 0; i < u->n_el; i++)
        len += strlen(u->el[i].text) + 1;
    char *p = malloc(len);
    if (!p)
        return UI_REDRAW_NONE;
    size_t o = 0;
    p[0] = '\0';
    for (size_t i = 0; i < u->n_el; i++) {
        size_t k = i == lo ? lo + 1 : i == lo + 1 ? lo : i;
        o += (size_t)snprintf(p + o, len - o, "%s%s", o ? ";" : "", u->el[k].text);
    }
    u->lists[PANE_ELEMENTS].sel = (int)other;
    send_path(u, p, "moving the element");
    free(p);
    return UI_REDRAW_ALL;
}

static ui_redraw delete_element(ui_state *u)
{
    const ui_element *e = ui_selected_element(u);
    if (!e)
        return UI_REDRAW_NONE;
    char *p = path_with(u, (size_t)(e - u->el), NULL, false);
    if (p) {
        ui_set_message(u, false, "deleted %s (z undoes)", e->text);
        send_path(u, p, "deleting the element");
    }
    free(p);
    return UI_REDRAW_ALL;
}

static ui_redraw start_edit(ui_state *u, bool add)
{
    const ui_element *e = ui_selected_element(u);
    if (!add && !e)
        return UI_REDRAW_NONE;
    u->focus = PANE_ELEMENTS;
    ui_open_input(u, add ? UI_FOR_ADD : UI_FOR_EDIT,
                  add ? "New path element: " : "Edit element: ", add ? "" : e->text, true);
    /* The element by index and text, not by pointer: the path may change while the line is
     * open, and the edit applies to the path as it is then. */
    u->input.target = e ? (size_t)(e - u->el) : 0;
    snprintf(u->input.target_text, sizeof u->input.target_text, "%s", e ? e->text : "");
    return UI_REDRAW_ALL;
}

/* The element an edit began on, found again in the path as it is now. */
static bool edit_target(const ui_state *u, const ui_input *in, size_t *at)
{
    if (in->target < u->n_el && strcmp(u->el[in->target].text, in->target_text) == 0) {
        *at = in->target;
        return true;
    }
    for (size_t i = 0; i < u->n_el; i++)
        if (strcmp(u->el[i].text, in->target_text) == 0) {
            *at = i;
            return true;
        }
    return false;
}

static ui_redraw finish_edit(ui_state *u, const ui_input *in)
{
    if (!in->buf[0]) {
        ui_set_message(u, false, "empty: nothing changed");
        return UI_REDRAW_ALL;
    }
    size_t at = 0;
    bool found = edit_target(u, in, &at);
    char *p;
    if (in->purpose == UI_FOR_EDIT) {
        if (!found) {
            ui_set_message(u, true, "%s left the path while it was edited: nothing changed",
                           in->target_text);
            return UI_REDRAW_ALL;
        }
        p = path_with(u, at, in->buf, false);
    } else {
        size_t pos = u->n_el == 0 ? 0 : found ? at + 1 : u->n_el;
        p = path_with(u, pos, in->buf, true);
        u->lists[PANE_ELEMENTS].sel = (int)pos;
    }
    if (p)
        send_path(u, p, in->purpose == UI_FOR_EDIT ? "editing the element" : "adding the element");
    free(p);
    return UI_REDRAW_ALL;
}

static ui_redraw undo_redo(ui_state *u, bool undo)
{
    char *p = undo ? ui_history_undo(&u->history, u->path ? u->path : "")
                   : ui_history_redo(&u->history, u->path ? u->path : "");
    if (!p) {
        ui_set_message(u, false, "nothing to %s", undo ? "undo" : "redo");
        return UI_REDRAW_STATUS;
    }
    u->path_edited = true;
    ui_set_message(u, false, "%s: the path is %s again", undo ? "undone" : "redone",
                   p[0] ? p : "(empty)");
    ui_send(u, UI_CMD_SET_PATH, p, 0, 0, false, undo ? "undo" : "redo");
    free(p);
    return UI_REDRAW_ALL;
}

/* ---- mappings and export ---- */

/* "C:=" for the first element whose drive or share is not mapped: where the hint points. */
static void unmapped_hint(const ui_state *u, char *out, size_t n)
{
    for (size_t i = 0; i < u->n_el; i++) {
        const char *r = u->el[i].reason;
        if (u->el[i].state != SYM_STATE_UNMAPPED || !r ||
            (strncmp(r, "drive ", 6) != 0 && strncmp(r, "share ", 6) != 0))
            continue;
        const char *end = strstr(r + 6, " is not mapped");
        if (end) {
            snprintf(out, n, "%.*s=", (int)(end - (r + 6)), r + 6);
            return;
        }
    }
}

static ui_redraw open_mappings(ui_state *u)
{
    size_t n = u->n_maps + 1;
    char **items = calloc(n, sizeof *items);
    if (!items)
        return UI_REDRAW_NONE;
    for (size_t i = 0; i < u->n_maps; i++) {
        size_t len = strlen(u->maps[i].from) + strlen(u->maps[i].dir) + 8;
        items[i] = malloc(len);
        if (items[i])
            snprintf(items[i], len, "%s = %s", u->maps[i].from, u->maps[i].dir);
    }
    items[u->n_maps] = strdup("add a mapping: FROM=DIR (a drive C: or a share \\\\server\\share)");
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        ok = ok && items[i];
    if (ok)
        ui_open_menu(u, UI_FOR_MAPPINGS, "Mappings (Enter changes one, or adds; FROM= removes)",
                     (const char *const *)items, n, (int)u->n_maps);
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
    return UI_REDRAW_ALL;
}

static void remember_mapping(ui_state *u, const char *from, const char *dir)
{
    for (size_t i = 0; i < u->n_maps; i++)
        if (strcasecmp(u->maps[i].from, from) == 0) {
            char *d = strdup(dir);
            if (d) {
                free(u->maps[i].dir);
                u->maps[i].dir = d;
            }
            return;
        }
    ui_mapping *m = realloc(u->maps, (u->n_maps + 1) * sizeof *m);
    if (!m)
        return;
    u->maps = m;
    u->maps[u->n_maps].from = strdup(from);
    u->maps[u->n_maps].dir = strdup(dir);
    if (u->maps[u->n_maps].from && u->maps[u->n_maps].dir)
        u->n_maps++;
}

static void forget_mapping(ui_state *u, const char *from)
{
    for (size_t i = 0; i < u->n_maps; i++)
        if (strcasecmp(u->maps[i].from, from) == 0) {
            free(u->maps[i].from);
            free(u->maps[i].dir);
            memmove(&u->maps[i], &u->maps[i + 1], (u->n_maps - i - 1) * sizeof *u->maps);
            u->n_maps--;
            return;
        }
}

static ui_redraw finish_mapping(ui_state *u, const char *text)
{
    const char *eq = strchr(text, '=');
    if (!eq || eq == text) {
        ui_set_message(u, true,
                       "a mapping is FROM=DIR (C:=/mnt/c; C:= removes it): nothing "
                       "changed");
        return UI_REDRAW_ALL;
    }
    char from[512];
    snprintf(from, sizeof from, "%.*s", (int)(eq - text), text);
    if (!eq[1]) {
        forget_mapping(u, from);
        u->path_edited = true;
        ui_set_message(u, false, "%s no longer mapped; searching again", from);
        ui_send(u, UI_CMD_MAP, text, 0, 0, false, "the mapping");
        return UI_REDRAW_ALL;
    }
    remember_mapping(u, from, eq + 1);
    u->path_edited = true;
    ui_set_message(u, false, "mapped %s to %s; searching again", from, eq + 1);
    ui_send(u, UI_CMD_MAP, text, 0, 0, false, "the mapping");
    return UI_REDRAW_ALL;
}

static ui_redraw finish_export(ui_state *u, const char *file)
{
    char *cmd = ui_export_command(u);
    FILE *f = cmd && file[0] ? fopen(file, "w") : NULL;
    if (!f) {
        ui_set_message(u, true, "cannot write %s: %s", file[0] ? file : "(no file name)",
                       strerror(errno));
        free(cmd);
        return UI_REDRAW_ALL;
    }
    fprintf(f, "%s\n", cmd);
    bool ok = fclose(f) == 0;
    ui_set_message(u, !ok, ok ? "wrote %s: %s" : "cannot write %s (%s)", file, cmd);
    free(cmd);
    return UI_REDRAW_ALL;
}

/* ---- menus ---- */

static ui_redraw open_profiles(ui_state *u)
{
    const char *items[SYM_PROFILE_COUNT];
    char buf[SYM_PROFILE_COUNT][160];
    for (int i = 0; i < SYM_PROFILE_COUNT; i++) {
        snprintf(buf[i], sizeof buf[i], "%-11s %s", sym_profile_name((sym_profile)i),
                 sym_profile_source((sym_profile)i));
        items[i] = buf[i];
    }
    ui_open_menu(u, UI_FOR_PROFILE, "Profile", items, SYM_PROFILE_COUNT, (int)u->profile);
    return UI_REDRAW_ALL;
}

static ui_redraw open_options(ui_state *u)
{
    const char *items[SYM_OPTION_COUNT];
    char buf[SYM_OPTION_COUNT][200];
    for (int i = 0; i < SYM_OPTION_COUNT; i++) {
        snprintf(buf[i], sizeof buf[i], "[%c] %-26s %s", u->options[i] ? 'x' : ' ',
                 sym_option_name((sym_option)i), sym_option_help((sym_option)i));
        items[i] = buf[i];
    }
    ui_open_menu(u, UI_FOR_OPTIONS, "Options (Enter turns one on or off)", items, SYM_OPTION_COUNT,
                 0);
    return UI_REDRAW_ALL;
}

static ui_redraw open_themes(ui_state *u)
{
    char **names = theme_names();
    size_t n = 0;
    while (names && names[n])
        n++;
    int cur = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], theme_name(u->theme)) == 0)
            cur = (int)i;
    if (n)
        ui_open_menu(u, UI_FOR_THEME, "Theme", (const char *const *)names, n, cur);
    theme_names_free(names);
    return UI_REDRAW_ALL;
}

static void set_theme(ui_state *u, const char *name)
{
    char err[512], note[256];
    theme *t = theme_load(name, err, sizeof err);
    if (!t) {
        ui_set_message(u, true, "%s", err);
        return;
    }
    ui_color_apply(u, t, note, sizeof note);
    if (note[0])
        ui_set_message(u, false, "%s", note);
    else
        ui_set_message(u, false, "theme %s (%s)", name, ui_depth_name(u));
}

ui_redraw ui_menu_done(ui_state *u, ui_purpose purpose, int k)
{
    switch (purpose) {
    case UI_FOR_PROFILE:
        if (k >= 0 && k != (int)u->profile)
            ui_send(u, UI_CMD_PROFILE, NULL, 0, k, false, "the profile switch");
        break;
    case UI_FOR_OPTIONS:
        if (k >= 0 && k < SYM_OPTION_COUNT)
            ui_send(u, UI_CMD_OPTION, NULL, 0, k, !u->options[k], "the option switch");
        break;
    case UI_FOR_THEME: {
        char **names = theme_names();
        size_t n = 0;
        while (names && names[n])
            n++;
        if (k >= 0 && (size_t)k < n)
            set_theme(u, names[k]);
        theme_names_free(names);
        break;
    }
    case UI_FOR_MAPPINGS: {
        char initial[1100] = "";
        if (k >= 0 && (size_t)k < u->n_maps)
            snprintf(initial, sizeof initial, "%s=%s", u->maps[k].from, u->maps[k].dir);
        else
            unmapped_hint(u, initial, sizeof initial);
        ui_open_input(u, UI_FOR_MAP, "Mapping FROM=DIR: ", initial, true);
        break;
    }
    default:
        break;
    }
    return UI_REDRAW_ALL;
}

ui_redraw ui_input_done(ui_state *u, const ui_input *in)
{
    switch (in->purpose) {
    case UI_FOR_ADD:
    case UI_FOR_EDIT:
        return finish_edit(u, in);
    case UI_FOR_LOAD:
        if (in->buf[0]) {
            u->select_new = true;
            ui_send(u, UI_CMD_LOAD, in->buf, 0, 0, false, "loading the module");
        }
        break;
    case UI_FOR_FILTER: {
        ui_list *l = &u->lists[u->focus];
        snprintf(l->filter, sizeof l->filter, "%.127s", in->buf);
        l->sel = l->top = 0;
        break;
    }
    case UI_FOR_MAP:
        return finish_mapping(u, in->buf);
    case UI_FOR_EXPORT:
        return finish_export(u, in->buf);
    default:
        break;
    }
    return UI_REDRAW_ALL;
}

ui_redraw ui_confirm_done(ui_state *u, ui_purpose purpose, bool yes)
{
    switch (purpose) {
    case UI_FOR_CLEANUP:
        if (yes)
            ui_send(u, UI_CMD_CLEANUP, NULL, 0, 0, false, "the clean-up");
        else
            ui_set_message(u, false, "clean-up cancelled: nothing changed");
        break;
    case UI_FOR_QUIT:
        if (yes)
            u->quit = true;
        else
            ui_set_message(u, false, "quit cancelled");
        break;
    default:
        break;
    }
    return UI_REDRAW_ALL;
}

/* ---- the rest ---- */

static ui_redraw unload(ui_state *u)
{
    size_t n = 0;
    for (size_t i = 0; i < u->n_mods; i++)
        if (u->mods[i].tagged && u->mods[i].m.state != SYM_MOD_UNLOADED) {
            ui_send(u, UI_CMD_UNLOAD, NULL, u->mods[i].m.base, 0, false, NULL);
            n++;
        }
    const ui_mod *m = ui_selected_mod(u);
    if (!n && m && m->m.state == SYM_MOD_UNLOADED) {
        ui_set_message(u, false, "%s is unloaded already (L loads it again)", m->m.name);
        return UI_REDRAW_STATUS;
    }
    if (!n && m) {
        ui_send(u, UI_CMD_UNLOAD, NULL, m->m.base, 0, false, NULL);
        n = 1;
    }
    ui_set_message(u, false, "%s %zu module%s", u->busy ? "queued: unloading" : "unloaded", n,
                   n == 1 ? "" : "s");
    return UI_REDRAW_ALL;
}

/* r and f on one module: it must be loaded. */
static ui_redraw on_module(ui_state *u, ui_cmd_kind kind, const char *what)
{
    const ui_mod *m = ui_selected_mod(u);
    if (!m) {
        ui_set_message(u, false, "no module selected");
        return UI_REDRAW_STATUS;
    }
    if (m->m.state == SYM_MOD_UNLOADED) {
        ui_set_message(u, false, "%s is unloaded: L loads it again", m->m.name);
        return UI_REDRAW_STATUS;
    }
    if (kind == UI_CMD_FORCE && !ui_mod_saw_mismatch(m)) {
        ui_set_message(u, false, "%s: no mismatched file was seen to take", m->m.name);
        return UI_REDRAW_STATUS;
    }
    ui_send(u, kind, NULL, m->m.base, 0, false, what);
    return UI_REDRAW_ALL;
}

static ui_redraw move_sel(ui_state *u, ui_action act)
{
    ui_list *l = &u->lists[u->focus];
    int page = ui_pane_rows(u, u->focus);
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
    return UI_REDRAW_ALL;
}

static ui_redraw quick_filter(ui_state *u, ui_quick q)
{
    ui_list *l = &u->lists[PANE_MODULES];
    l->quick = l->quick == q ? UI_QUICK_ALL : q;
    l->sel = l->top = 0;
    u->focus = PANE_MODULES;
    return UI_REDRAW_ALL;
}

static ui_redraw cancel(ui_state *u)
{
    if (!u->busy) {
        ui_set_message(u, false, "nothing to cancel: the engine is idle");
        return UI_REDRAW_STATUS;
    }
    bridge_cancel(u->b);
    u->cancelling = true;
    ui_set_message(u, false, "cancelling %s at module %zu of %zu...", u->busy_text,
                   u->done < u->total ? u->done + 1 : u->total, u->total);
    return UI_REDRAW_ALL;
}

/* q: close what is open; at the top, quit (asking when the path was edited). Esc closes
 * too, but a stray Esc never ends the session. */
static ui_redraw back(ui_state *u, bool may_quit)
{
    ui_list *l = &u->lists[u->focus];
    if (l->filter[0] || l->quick != UI_QUICK_ALL) {
        l->filter[0] = '\0';
        l->quick = UI_QUICK_ALL;
        ui_set_message(u, false, "filter cleared");
    } else if (l->hscroll) {
        l->hscroll = 0;
    } else if (u->focus == PANE_BOTTOM && u->bottom == BOTTOM_CACHE) {
        u->bottom = BOTTOM_LOG;
        u->log_follow = true;
    } else if (!may_quit) {
        ui_set_message(u, false, "q or Q quits");
    } else if (u->path_edited) {
        ui_open_confirm(u, UI_FOR_QUIT,
                        "The path was edited (it is printed on exit; w writes it). Quit?");
    } else if (u->busy) {
        ui_open_confirm(u, UI_FOR_QUIT, "Work is running. Quit anyway?");
    } else {
        u->quit = true;
    }
    return UI_REDRAW_ALL;
}

ui_redraw ui_do(ui_state *u, ui_action act)
{
    if (act != ACT_CANCEL && act != ACT_NONE)
        u->message[0] = '\0';
    switch (act) {
    case ACT_UP:
    case ACT_DOWN:
    case ACT_PGUP:
    case ACT_PGDN:
    case ACT_HOME:
    case ACT_END:
        return move_sel(u, act);
    case ACT_LEFT:
    case ACT_RIGHT: {
        ui_list *l = &u->lists[u->focus];
        l->hscroll += act == ACT_RIGHT ? 8 : -8;
        if (l->hscroll < 0)
            l->hscroll = 0;
        return UI_REDRAW_ALL;
    }
    case ACT_NEXT_PANE:
        u->focus = (u->focus + 1) % PANE_COUNT;
        return UI_REDRAW_ALL;
    case ACT_PREV_PANE:
        u->focus = (u->focus + PANE_COUNT - 1) % PANE_COUNT;
        return UI_REDRAW_ALL;
    case ACT_ENTER:
        return ui_pane(u, u->focus)->enter(u);
    case ACT_TOGGLE: {
        const ui_element *e = ui_selected_element(u);
        if (e)
            ui_send(u, UI_CMD_ENABLE, NULL, 0, (int)(e - u->el), !e->enabled,
                    e->enabled ? "disabling the element" : "enabling the element");
        return UI_REDRAW_ALL;
    }
    case ACT_TAG: {
        const ui_mod *m = ui_selected_mod(u);
        if (m)
            u->mods[m - u->mods].tagged = !m->tagged;
        return move_sel(u, ACT_DOWN);
    }
    case ACT_ADD:
        return start_edit(u, true);
    case ACT_EDIT:
        return start_edit(u, false);
    case ACT_DELETE:
        return delete_element(u);
    case ACT_MOVE_UP:
    case ACT_MOVE_DOWN:
        return move_element(u, act == ACT_MOVE_UP);
    case ACT_UNDO:
    case ACT_REDO:
        return undo_redo(u, act == ACT_UNDO);
    case ACT_MAPPINGS:
        return open_mappings(u);
    case ACT_EXPORT:
        ui_open_input(u, UI_FOR_EXPORT, "Write the command line to: ", "symscope-path.sh", true);
        return UI_REDRAW_ALL;
    case ACT_PROFILE:
        return open_profiles(u);
    case ACT_OPTIONS:
        return open_options(u);
    case ACT_LOAD:
        ui_open_input(u, UI_FOR_LOAD, "Load (image, minidump or FILE/KEY): ", "", true);
        return UI_REDRAW_ALL;
    case ACT_RELOAD:
        return on_module(u, UI_CMD_RELOAD, "searching the module again");
    case ACT_RELOAD_ALL:
        ui_send(u, UI_CMD_RELOAD_ALL, NULL, 0, 0, false, "searching every module again");
        return UI_REDRAW_ALL;
    case ACT_FORCE:
        return on_module(u, UI_CMD_FORCE, "force-loading the mismatch");
    case ACT_UNLOAD:
        return unload(u);
    case ACT_NO_SYMBOLS:
        return quick_filter(u, UI_QUICK_NO_SYMBOLS);
    case ACT_MISMATCHES:
        return quick_filter(u, UI_QUICK_MISMATCH);
    case ACT_CLEANUP:
        ui_open_confirm(u, UI_FOR_CLEANUP,
                        "Clean up the session? Every module is dropped (SymCleanup).");
        return UI_REDRAW_ALL;
    case ACT_INIT:
        if (u->initialized)
            ui_set_message(u, false, "the session is initialised already");
        else
            ui_send(u, UI_CMD_INITIALIZE, u->path, 0, 0, false, "initialising");
        return UI_REDRAW_ALL;
    case ACT_CACHE:
        u->bottom = BOTTOM_CACHE;
        u->lists[PANE_BOTTOM].sel = u->lists[PANE_BOTTOM].top = 0;
        ui_send(u, UI_CMD_SCAN_CACHES, NULL, 0, 0, false, "scanning the caches");
        return UI_REDRAW_ALL;
    case ACT_LOG:
        u->bottom = BOTTOM_LOG;
        u->log_follow = true;
        return UI_REDRAW_ALL;
    case ACT_FILTER:
        ui_open_input(u, UI_FOR_FILTER, "Filter: ", u->lists[u->focus].filter, false);
        return UI_REDRAW_ALL;
    case ACT_THEME:
        return open_themes(u);
    case ACT_MOUSE:
        u->mouse = !u->mouse;
        mousemask(u->mouse ? BUTTON1_CLICKED | BUTTON1_PRESSED : 0, NULL);
        ui_set_message(u, false, "mouse %s", u->mouse ? "on" : "off");
        return UI_REDRAW_STATUS;
    case ACT_CANCEL:
        return cancel(u);
    case ACT_STEP_MODE:
    case ACT_STEP:
    case ACT_STEP_MODULE:
    case ACT_STEP_ALL:
    case ACT_COMPARE:
    case ACT_WHERE:
        return ui_step_do(u, act);
    case ACT_HELP:
        ui_open_view(u, "symscope keys", ui_help_text());
        return UI_REDRAW_ALL;
    case ACT_BACK:
        return back(u, true);
    case ACT_ESCAPE:
        return back(u, false);
    case ACT_SIDE:
    case ACT_SIDE_VIEW:
        if (!u->side_text) {
            ui_set_message(u, false, "no lesson text: i shows one when a lesson or scenario runs");
            return UI_REDRAW_STATUS;
        }
        /* Too narrow to show it beside the panes: the whole text in a view instead. */
        if (act == ACT_SIDE_VIEW || (u->side_on && !ui_side_width(u))) {
            ui_open_view(u, u->side_title ? u->side_title : "Lesson", strdup(u->side_text));
            return UI_REDRAW_ALL;
        }
        u->side_on = !u->side_on;
        if (u->side_on && !ui_side_width(u))
            ui_set_message(u, false,
                           "the lesson text needs %d columns beside the panes: T "
                           "shows it in a view",
                           UI_MIN_COLS + 40);
        return UI_REDRAW_ALL;
    case ACT_QUIT:
        if (u->busy)
            ui_open_confirm(u, UI_FOR_QUIT, "Work is running. Quit anyway?");
        else
            u->quit = true;
        return UI_REDRAW_ALL;
    case ACT_NONE:
    case ACT_COUNT:
    default:
        return UI_REDRAW_NONE;
    }
}
