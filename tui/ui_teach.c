/* Teaching: step mode (the engine waits before each attempt; the detail lines show the
 * attempt that waits, why this place comes now and what came back), the three profiles side
 * by side and every place a module's file would be found. The comparison and the where
 * listing run on the engine's thread in sessions of their own (compare.c, where.c): the
 * session shown does not change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

static const char *step_words(sym_step s)
{
    switch (s) {
    case SYM_STEP_CV_PATH:
        return "the CodeView path";
    case SYM_STEP_IMAGE_DIR:
        return "the image's directory";
    case SYM_STEP_ELEMENT:
    default:
        return "the path's elements";
    }
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void attempt_copy(ui_attempt *d, const ui_attempt *a)
{
    ui_attempt_clear(d);
    *d = *a;
    d->rule = dup_or_null(a->rule);
    d->location = dup_or_null(a->location);
    d->local = dup_or_null(a->local);
    d->detail = dup_or_null(a->detail);
    d->source = dup_or_null(a->source);
}

/* "why now: native searches the path's elements, then the image's directory, then the
 * CodeView path; this is step 1 of 3, element 2 of 6: D (elements 0-1 came before)".
 * Returns the length written (at most n). */
static size_t why_now(const ui_state *u, const ui_attempt *a, char *out, size_t n)
{
    sym_profile p = u->step.profile < SYM_PROFILE_COUNT ? u->step.profile : SYM_PROFILE_NATIVE;
    sym_step order[SYM_STEP_COUNT];
    sym_profile_order(p, order);
    int k = 0;
    while (k < SYM_STEP_COUNT - 1 && order[k] != a->step)
        k++;
    size_t o =
        (size_t)snprintf(out, n, "why now: %s searches %s, then %s, then %s; this is step %d of 3",
                         sym_profile_name(p), step_words(order[0]), step_words(order[1]),
                         step_words(order[2]), k + 1);
    if (o >= n)
        return n;
    if (k == 1)
        o += (size_t)snprintf(out + o, n - o, " (%s came first)", step_words(order[0]));
    else if (k == 2)
        o += (size_t)snprintf(out + o, n - o, " (%s and %s came first)", step_words(order[0]),
                              step_words(order[1]));
    if (o < n && a->step == SYM_STEP_ELEMENT && a->element >= 0) {
        const char *text = (size_t)a->element < u->n_el ? u->el[a->element].text : "?";
        char *shown = sym_display_text(text);
        o += (size_t)snprintf(out + o, n - o, ", element %d of %zu: %s", a->element, u->n_el,
                              shown ? shown : "");
        free(shown);
        if (o < n && a->element == 1)
            o += (size_t)snprintf(out + o, n - o, " (element 0 came before)");
        else if (o < n && a->element > 1)
            o += (size_t)snprintf(out + o, n - o, " (elements 0-%d came before)", a->element - 1);
        if (o < n && a->store >= 0)
            o += (size_t)snprintf(out + o, n - o, ", its store %d", a->store);
    }
    return o < n ? o : n;
}

void ui_step_text(const ui_state *u, char *out, size_t n)
{
    const ui_step *st = &u->step;
    size_t o = 0;
    if (st->waiting) {
        const ui_attempt *a = &st->next;
        o += (size_t)snprintf(out, n,
                              "STEP %s: attempt %u waits (s/F11 makes it, E/F12 the rest of "
                              "this module, A/F6 all, x cancels, S ends step mode)\n"
                              "next: %s  [rule %s: %s]\n",
                              st->module ? st->module : "?", a->n, a->location ? a->location : "",
                              a->rule ? a->rule : "", ui_rule_text(a->rule));
        if (o < n)
            o += why_now(u, a, out + o, n - o);
    } else {
        o += (size_t)snprintf(out, n, "STEP mode: %s (S ends step mode)",
                              u->busy ? "the engine goes on to the next attempt"
                                      : "the next search waits before each attempt (r searches "
                                        "the selected module again)");
    }
    if (o < n && st->have_last) {
        const ui_attempt *l = &st->last;
        o += (size_t)snprintf(out + o, n - o, "\ncame back: attempt %u %s: %s%s%s", l->n,
                              l->location ? l->location : "", sym_outcome_name(l->outcome),
                              l->detail && l->detail[0] ? " - " : "", l->detail ? l->detail : "");
    }
}

void ui_step_paused(ui_state *u, ui_event *ev)
{
    ui_step *st = &u->step;
    if (st->base != ev->base) {
        ui_attempt_clear(&st->last);
        st->have_last = false;
    }
    st->base = ev->base;
    st->profile = ev->profile;
    free(st->module);
    st->module = ev->module.name;
    ev->module.name = NULL;
    ui_attempt_clear(&st->next);
    st->next = ev->attempt;
    memset(&ev->attempt, 0, sizeof ev->attempt);
    st->waiting = true;
}

void ui_step_attempt(ui_state *u, uint64_t base, const ui_attempt *a)
{
    ui_step *st = &u->step;
    if (!st->on || base != st->base)
        return;
    attempt_copy(&st->last, a);
    st->have_last = true;
    if (st->waiting && a->n >= st->next.n)
        st->waiting = false;
}

void ui_step_idle(ui_state *u)
{
    u->step.waiting = false;
}

void ui_step_free(ui_state *u)
{
    ui_attempt_clear(&u->step.next);
    ui_attempt_clear(&u->step.last);
    free(u->step.module);
    u->step.module = NULL;
}

/* What loads the module again in a session of its own: its image, or FILE/KEY. */
static bool module_arg(const ui_mod *m, char *out, size_t n)
{
    char key[SYM_KEY_MAX];
    if (m->m.image)
        snprintf(out, n, "%s", m->m.image);
    else if (m->m.wanted_file && sym_identity_key(&m->m.wanted, key))
        snprintf(out, n, "%s/%s", m->m.wanted_file, key);
    else
        return false;
    return true;
}

static ui_redraw ask_views(ui_state *u, ui_cmd_kind kind)
{
    const ui_mod *m = ui_selected_mod(u);
    if (!m) {
        ui_set_message(u, false, "no module selected (L loads one)");
        return UI_REDRAW_STATUS;
    }
    char arg[4096];
    if (!module_arg(m, arg, sizeof arg)) {
        ui_set_message(u, true, "%s: neither its image nor its file and key are known",
                       m->m.name ? m->m.name : "?");
        return UI_REDRAW_STATUS;
    }
    ui_send(u, kind, arg, 0, 0, false,
            kind == UI_CMD_COMPARE ? "comparing the three profiles (dry runs)"
                                   : "listing where its file would be found");
    return UI_REDRAW_ALL;
}

ui_redraw ui_step_do(ui_state *u, ui_action act)
{
    ui_step *st = &u->step;
    switch (act) {
    case ACT_STEP_MODE:
        st->on = !st->on;
        bridge_step(u->b, st->on ? BRIDGE_STEP_ON : BRIDGE_STEP_OFF);
        if (!st->on)
            st->waiting = false;
        ui_set_message(u, false, "%s",
                       st->on ? "step mode on: the engine waits before each attempt (r or R "
                                "searches again; s steps, E ends the module, A runs all)"
                              : "step mode off: the searches run freely");
        return UI_REDRAW_ALL;
    case ACT_COMPARE:
        return ask_views(u, UI_CMD_COMPARE);
    case ACT_WHERE:
        return ask_views(u, UI_CMD_WHERE);
    default:
        break;
    }
    if (!st->on) {
        ui_set_message(u, false, "step mode is off: S turns it on (or start with --step)");
        return UI_REDRAW_STATUS;
    }
    if (!st->waiting) {
        ui_set_message(u, false, "no attempt waits: %s",
                       u->busy ? "the engine is between attempts" : "r or R starts a search");
        return UI_REDRAW_STATUS;
    }
    st->waiting = false;
    if (act == ACT_STEP) {
        bridge_step(u->b, BRIDGE_STEP_ONE);
    } else if (act == ACT_STEP_MODULE) {
        bridge_step(u->b, BRIDGE_STEP_MODULE);
        ui_set_message(u, false,
                       "%s: its search runs to its end; the next module's first "
                       "attempt waits",
                       st->module ? st->module : "?");
    } else if (act == ACT_STEP_ALL) {
        bridge_step(u->b, BRIDGE_STEP_ALL);
        ui_set_message(u, false, "the work runs to its end; step mode stays on for the next");
    }
    return UI_REDRAW_ALL;
}

/* A comparison or a where listing came back: shown as a view (when no dialog is open). */
void ui_teach_result(ui_state *u, ui_event *ev)
{
    if (u->mode != UI_MODE_MAIN && u->mode != UI_MODE_VIEW) {
        ui_set_message(u, false, "%s is ready but a dialog is open: ask again when it is closed",
                       ev->kind == UI_EV_COMPARE ? "the comparison" : "the where listing");
        return;
    }
    if (u->mode == UI_MODE_VIEW)
        ui_close_mode(u);
    char title[512];
    if (ev->kind == UI_EV_COMPARE && ev->compare) {
        /* The view's text width at the terminal's width (the view is wide). */
        int w = COLS - 8 > 40 ? COLS - 8 : 40;
        size_t col = (size_t)(w - 6) / COMPARE_PROFILES - 1;
        char *table = compare_text(ev->compare, col);
        size_t differ = 0;
        for (size_t i = 0; i < ev->compare->rows; i++)
            differ += compare_row_differs(ev->compare, i);
        size_t len = (table ? strlen(table) : 0) + 400;
        char *text = malloc(len);
        if (text)
            snprintf(text, len,
                     "Each profile's attempts in search order, one column each; * marks a row "
                     "where they differ (%zu of %zu). Dry runs in sessions of their own: nothing "
                     "is written, and this session does not change.\n\n%s",
                     differ, ev->compare->rows, table ? table : "");
        free(table);
        snprintf(title, sizeof title, "Profiles side by side: %.400s", ev->text ? ev->text : "");
        ui_open_view(u, title, text);
        u->view.wide = true;
    } else if (ev->kind == UI_EV_WHERE && ev->where) {
        char *text = where_text(ev->where);
        snprintf(title, sizeof title,
                 "Where %.300s's symbol file would be found, in search order (nothing is looked "
                 "at)",
                 ev->where->module ? ev->where->module : "?");
        ui_open_view(u, title, text);
        u->view.wide = true;
    }
}
