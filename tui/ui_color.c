/* Themes into curses colour pairs, degraded to what the terminal can show. NO_COLOR and
 * --color=never give attributes only; --color=always wins over NO_COLOR. */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

static attr_t attrs[TH_COUNT];

static attr_t curses_attrs(unsigned a)
{
    attr_t r = A_NORMAL;
    if (a & TH_ATTR_BOLD)
        r |= A_BOLD;
    if (a & TH_ATTR_UNDERLINE)
        r |= A_UNDERLINE;
    if (a & TH_ATTR_REVERSE)
        r |= A_REVERSE;
    if (a & TH_ATTR_DIM)
        r |= A_DIM;
#ifdef A_ITALIC
    if (a & TH_ATTR_ITALIC)
        r |= A_ITALIC;
#endif
    if (a & TH_ATTR_BLINK)
        r |= A_BLINK;
    return r;
}

static theme_depth terminal_depth(const ui_state *u)
{
    if (!u->color || !has_colors())
        return TH_DEPTH_MONO;
    if (COLORS >= 256)
        return TH_DEPTH_256; /* truecolor themes are shown through the 256-colour cube */
    if (COLORS >= 8)
        return TH_DEPTH_16;
    return TH_DEPTH_MONO;
}

void ui_color_init(ui_state *u, const char *color_mode)
{
    const char *no_color = getenv("NO_COLOR");
    bool want = !(no_color && *no_color);
    if (color_mode && strcmp(color_mode, "never") == 0)
        want = false;
    if (color_mode && strcmp(color_mode, "always") == 0)
        want = true;
    u->color = want && has_colors();
    if (u->color) {
        start_color();
        use_default_colors();
    }
}

/* Without colour, attributes alone must keep titles, the selected row and the header apart:
 * reverse video for what colour would set off. */
static void mono_attrs(void)
{
    attrs[TH_TITLE] |= A_REVERSE;
    attrs[TH_PANE_TITLE] |= A_BOLD | A_UNDERLINE;
    attrs[TH_PANE_TITLE_ACTIVE] |= A_REVERSE | A_BOLD;
    attrs[TH_HEADER] = (attrs[TH_HEADER] & ~(attr_t)A_REVERSE) | A_UNDERLINE;
    attrs[TH_ROW_SELECTED] |= A_REVERSE;
    attrs[TH_ROW_TAGGED] |= A_BOLD;
    attrs[TH_DIALOG_TITLE] |= A_REVERSE;
    attrs[TH_FKEY_KEY] |= A_BOLD;
    attrs[TH_FKEY_LABEL] |= A_REVERSE;
    attrs[TH_INPUT] |= A_UNDERLINE;
    attrs[TH_ERROR] |= A_BOLD;
    attrs[TH_OUT_MISMATCH] |= A_BOLD;
    attrs[TH_SYM_UNMATCHED] |= A_BOLD;
    attrs[TH_OUT_FOUND] |= A_BOLD;
}

/* A pair whose two colours are the same on this terminal (bright black on black with 8
 * colours) would hide its text: the foreground takes the background's opposite. */
static short readable_fg(short fg, short bg)
{
    if (fg >= 0 && fg == bg)
        return (short)(bg == COLOR_BLACK ? COLOR_WHITE : COLOR_BLACK);
    if (fg < 0 && bg == COLOR_BLACK)
        return COLOR_WHITE; /* the terminal's own foreground may be black */
    return fg;
}

const char *ui_depth_name(const ui_state *u)
{
    switch (u->depth_colors) {
    case 0:
        return "attributes only";
    case 8:
        return "8 colours";
    case 16:
        return "16 colours";
    default:
        return "256 colours";
    }
}

void ui_color_apply(ui_state *u, theme *t, char *note, size_t note_size)
{
    theme_depth have = terminal_depth(u);
    theme_depth need = theme_depth_needed(t);
    u->depth_colors = have == TH_DEPTH_MONO ? 0
                      : have == TH_DEPTH_16 ? (COLORS < 16 ? 8 : 16)
                                            : 256;
    note[0] = '\0';
    if (need > have)
        snprintf(note, note_size, "theme %s wants %s colours; shown with %s", theme_name(t),
                 need == TH_DEPTH_TRUE  ? "24-bit"
                 : need == TH_DEPTH_256 ? "256"
                                        : "16",
                 ui_depth_name(u));
    for (int e = 0; e < TH_COUNT; e++) {
        theme_style st = theme_degrade(theme_style_of(t, (theme_element)e), have);
        attrs[e] = curses_attrs(st.attrs);
        if (have == TH_DEPTH_MONO)
            continue;
        short fg = (short)(st.fg >= 0 && st.fg < COLORS ? st.fg : -1);
        short bg = (short)(st.bg >= 0 && st.bg < COLORS ? st.bg : -1);
        /* On 8-colour terminals bright colours are their dark halves, made bold. */
        if (COLORS < 16 && st.fg >= 8 && st.fg < 16) {
            fg = (short)(st.fg - 8);
            attrs[e] |= A_BOLD;
        }
        if (COLORS < 16 && st.bg >= 8 && st.bg < 16)
            bg = (short)(st.bg - 8);
        fg = readable_fg(fg, bg);
        if (init_pair((short)(e + 1), fg, bg) != ERR)
            attrs[e] |= COLOR_PAIR(e + 1);
    }
    if (have == TH_DEPTH_MONO)
        mono_attrs();
    else if (COLORS < 16)
        attrs[TH_ROW_SELECTED] |= A_REVERSE; /* few colours: the selection stands out anyway */
    if (u->theme && u->theme != t)
        theme_free(u->theme);
    u->theme = t;
}

attr_t ui_attr(const ui_state *u, theme_element e)
{
    (void)u;
    return (unsigned)e < TH_COUNT ? attrs[e] : A_NORMAL;
}

theme_element ui_outcome_element(sym_outcome o)
{
    switch (o) {
    case SYM_OUT_FOUND:
        return TH_OUT_FOUND;
    case SYM_OUT_MISMATCH:
        return TH_OUT_MISMATCH;
    case SYM_OUT_NOT_FOUND:
        return TH_OUT_NOT_FOUND;
    case SYM_OUT_DENIED:
        return TH_OUT_DENIED;
    case SYM_OUT_NETWORK:
        return TH_OUT_NETWORK;
    case SYM_OUT_SERVER_ERROR:
        return TH_OUT_SERVER_ERROR;
    case SYM_OUT_BAD_CONTENT:
        return TH_OUT_BAD_CONTENT;
    case SYM_OUT_SKIPPED:
        return TH_OUT_SKIPPED;
    case SYM_OUT_COPIED:
        return TH_OUT_COPIED;
    case SYM_OUT_CACHED:
        return TH_OUT_CACHED;
    case SYM_OUT_ALREADY_CACHED:
        return TH_OUT_ALREADY_CACHED;
    default:
        return TH_OUT_DEFAULT;
    }
}

theme_element ui_state_element(sym_elem_state s)
{
    switch (s) {
    case SYM_STATE_OK:
        return TH_STATE_OK;
    case SYM_STATE_MISSING:
        return TH_STATE_MISSING;
    case SYM_STATE_UNMAPPED:
        return TH_STATE_UNMAPPED;
    case SYM_STATE_UNSUPPORTED:
        return TH_STATE_UNSUPPORTED;
    case SYM_STATE_UNREACHABLE:
        return TH_STATE_UNREACHABLE;
    case SYM_STATE_DISABLED:
        return TH_STATE_DISABLED;
    case SYM_STATE_INVALID:
        return TH_STATE_INVALID;
    default:
        return TH_STATE_DEFAULT;
    }
}

theme_element ui_symbols_element(sym_symclass c, bool unmatched)
{
    if (unmatched)
        return TH_SYM_UNMATCHED;
    switch (c) {
    case SYM_CLASS_PRIVATE:
    case SYM_CLASS_PRIVATE_LINES:
        return TH_SYM_PRIVATE;
    case SYM_CLASS_PUBLIC:
        return TH_SYM_PUBLIC;
    case SYM_CLASS_EXPORT:
        return TH_SYM_EXPORT;
    case SYM_CLASS_DEFERRED:
        return TH_SYM_DEFERRED;
    case SYM_CLASS_NONE:
    default:
        return TH_SYM_NONE;
    }
}
