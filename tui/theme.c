/* Themes (theme.h): YAML read with libyaml's document API and resolved once at load time, so
 * a lookup is an array index. No curses here: the screen turns theme_style into curses pairs. */
#include "theme.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#ifndef SYMSCOPE_DATADIR
#define SYMSCOPE_DATADIR "/usr/local/share/symscope"
#endif

#define TH_MAX_FILE (1024 * 1024) /* a theme is a page of text: refuse anything huge */
#define TH_MAX_PALETTE 256
#define TH_NAME_MAX 128

/* The files in themes/, compiled in (themes_builtin.c, made by tui/embed_themes.cmake). */
struct theme_builtin {
    const char *name;
    const char *text;
};
extern const struct theme_builtin theme_builtins[];
extern const size_t theme_builtin_count;

struct theme {
    char name[TH_NAME_MAX];
    theme_depth depth;
    theme_style style[TH_COUNT];
};

static const char *const th_section[TH_COUNT] = {
#define TH_X(e, section, name) section,
    THEME_ELEMENT_LIST(TH_X)
#undef TH_X
};
static const char *const th_elem[TH_COUNT] = {
#define TH_X(e, section, name) name,
    THEME_ELEMENT_LIST(TH_X)
#undef TH_X
};
static const char *const th_full[TH_COUNT] = {
#define TH_X(e, section, name) section "." name,
    THEME_ELEMENT_LIST(TH_X)
#undef TH_X
};

static const char *const th_color_names[16] = {
    "black",        "red",           "green",       "yellow",         "blue",
    "magenta",      "cyan",          "white",       "bright_black",   "bright_red",
    "bright_green", "bright_yellow", "bright_blue", "bright_magenta", "bright_cyan",
    "bright_white",
};

/* xterm's own values for 0-15, so "nearest of 16" matches what most terminals show. */
static const unsigned char th_basic_rgb[16][3] = {
    {0, 0, 0},     {205, 0, 0},     {0, 205, 0},     {205, 205, 0},   {0, 0, 238}, {205, 0, 205},
    {0, 205, 205}, {229, 229, 229}, {127, 127, 127}, {255, 0, 0},     {0, 255, 0}, {255, 255, 0},
    {92, 92, 255}, {255, 0, 255},   {0, 255, 255},   {255, 255, 255},
};

static const struct {
    const char *name;
    unsigned bit;
} th_attr_names[] = {
    {"bold", TH_ATTR_BOLD}, {"underline", TH_ATTR_UNDERLINE}, {"reverse", TH_ATTR_REVERSE},
    {"dim", TH_ATTR_DIM},   {"italic", TH_ATTR_ITALIC},       {"blink", TH_ATTR_BLINK},
};

static const theme_style th_neutral = {TH_COLOR_DEFAULT, TH_COLOR_DEFAULT, 0, false};

/* ---- errors ---- */

static void th_vmsg(char *err, size_t err_size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static void th_vmsg(char *err, size_t err_size, const char *fmt, va_list ap)
{
    if (err && err_size)
        vsnprintf(err, err_size, fmt, ap);
}

static void th_msg(char *err, size_t err_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void th_msg(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    th_vmsg(err, err_size, fmt, ap);
    va_end(ap);
}

/* A value from the file, quoted in a message: clipped, control characters made harmless. */
static const char *th_quote(const char *s, char buf[48])
{
    size_t n = 0;
    for (; s && *s && n < 40; s++)
        buf[n++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
    if (s && *s) {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = '\0';
    return buf;
}

/* ---- parsing ---- */

typedef struct th_raw {
    int fg, bg;
    unsigned attrs;
    bool given, has_fg, has_bg, has_attrs;
} th_raw;

typedef struct th_parse {
    const char *file; /* for messages */
    yaml_document_t *doc;
    char *err;
    size_t err_size;
    struct {
        const char *name; /* points into doc */
        int color;
    } palette[TH_MAX_PALETTE];
    size_t npalette;
    th_raw global;
    th_raw raw[TH_COUNT];
    const char *name; /* points into doc */
    bool has_depth;
    theme_depth depth;
} th_parse;

static bool th_fail(th_parse *p, yaml_mark_t mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool th_fail(th_parse *p, yaml_mark_t mark, const char *fmt, ...)
{
    if (!p->err || !p->err_size)
        return false;
    int n = snprintf(p->err, p->err_size, "%s:%zu:%zu: ", p->file, (size_t)mark.line + 1,
                     (size_t)mark.column + 1);
    if (n < 0 || (size_t)n >= p->err_size)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->err_size - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

static yaml_node_t *th_node(th_parse *p, int index)
{
    return yaml_document_get_node(p->doc, index);
}

/* A scalar's text, or NULL when the node is not a scalar or hides a NUL ("\0" escapes). */
static const char *th_scalar(const yaml_node_t *n)
{
    if (!n || n->type != YAML_SCALAR_NODE || !n->data.scalar.value)
        return NULL;
    const char *s = (const char *)n->data.scalar.value;
    return strlen(s) == n->data.scalar.length ? s : NULL;
}

/* Every mapping key must be a plain string. */
static const char *th_key(th_parse *p, yaml_node_t *k)
{
    const char *s = th_scalar(k);
    if (!s && k)
        th_fail(p, k->start_mark, "a key must be a plain string");
    else if (!k)
        th_msg(p->err, p->err_size, "%s: malformed document", p->file);
    return s;
}

static const char *th_node_kind(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE:
        return "a mapping";
    case YAML_SEQUENCE_NODE:
        return "a list";
    default:
        return n->data.scalar.length ? "a string" : "nothing";
    }
}

/* A colour without palette aliases: -1 = not a colour form at all, 0 = a bad value of a
 * known form (message written), 1 = parsed. */
static int th_color_word(th_parse *p, const yaml_node_t *n, const char *s, const char *what,
                         int *out)
{
    char q[48];
    if (strcasecmp(s, "default") == 0) {
        *out = TH_COLOR_DEFAULT;
        return 1;
    }
    if (strcasecmp(s, "gray") == 0 || strcasecmp(s, "grey") == 0) {
        *out = 8;
        return 1;
    }
    for (int i = 0; i < 16; i++) {
        if (strcasecmp(s, th_color_names[i]) == 0) {
            *out = i;
            return 1;
        }
    }
    if (strncasecmp(s, "color", 5) == 0 && s[5] >= '0' && s[5] <= '9') {
        unsigned v = 0;
        size_t i = 5;
        for (; s[i] >= '0' && s[i] <= '9' && i < 9; i++)
            v = v * 10 + (unsigned)(s[i] - '0');
        if (s[i] == '\0' && v <= 255) {
            *out = (int)v;
            return 1;
        }
        if (p)
            th_fail(p, n->start_mark, "%s: colour '%s' is out of range (color0 to color255)", what,
                    th_quote(s, q));
        return 0;
    }
    if (s[0] == '#') {
        unsigned v = 0;
        size_t i = 1;
        for (; i < 7; i++) {
            char c = s[i];
            unsigned d;
            if (c >= '0' && c <= '9')
                d = (unsigned)(c - '0');
            else if (c >= 'a' && c <= 'f')
                d = (unsigned)(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                d = (unsigned)(c - 'A' + 10);
            else
                break;
            v = v * 16 + d;
        }
        if (i == 7 && s[7] == '\0') {
            *out = (int)(0x1000000u | v);
            return 1;
        }
        if (p)
            th_fail(p, n->start_mark, "%s: colour '%s' is not of the form \"#rrggbb\"", what,
                    th_quote(s, q));
        return 0;
    }
    return -1;
}

static bool th_color(th_parse *p, yaml_node_t *n, const char *what, int *out)
{
    char q[48];
    const char *s = th_scalar(n);
    if (!s)
        return th_fail(p, n->start_mark, "%s: expected a colour, found %s", what, th_node_kind(n));
    if (!*s)
        return th_fail(p, n->start_mark,
                       "%s: expected a colour, found nothing (quote \"#rrggbb\": a bare # "
                       "starts a comment)",
                       what);
    int r = th_color_word(p, n, s, what, out);
    if (r >= 0)
        return r == 1;
    for (size_t i = 0; i < p->npalette; i++) {
        if (strcmp(p->palette[i].name, s) == 0) {
            *out = p->palette[i].color;
            return true;
        }
    }
    return th_fail(p, n->start_mark,
                   "%s: unknown colour '%s' (a name like green or bright_blue, colorN, "
                   "\"#rrggbb\", default or a palette alias)",
                   what, th_quote(s, q));
}

static bool th_attrs(th_parse *p, yaml_node_t *n, const char *what, unsigned *out)
{
    char q[48];
    if (n->type != YAML_SEQUENCE_NODE)
        return th_fail(p, n->start_mark,
                       "%s: attrs: expected a list like [bold, underline], found %s", what,
                       th_node_kind(n));
    *out = 0;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        yaml_node_t *a = th_node(p, *it);
        const char *s = th_scalar(a);
        if (!a)
            return th_fail(p, n->start_mark, "%s: attrs: malformed list", what);
        if (!s)
            return th_fail(p, a->start_mark, "%s: attrs: expected an attribute, found %s", what,
                           th_node_kind(a));
        size_t i = 0;
        for (; i < sizeof th_attr_names / sizeof th_attr_names[0]; i++)
            if (strcasecmp(s, th_attr_names[i].name) == 0)
                break;
        if (i == sizeof th_attr_names / sizeof th_attr_names[0])
            return th_fail(p, a->start_mark,
                           "%s: unknown attribute '%s' (bold, underline, reverse, dim, italic "
                           "or blink)",
                           what, th_quote(s, q));
        *out |= th_attr_names[i].bit;
    }
    return true;
}

/* {fg: COLOUR, bg: COLOUR, attrs: [ATTR...]}, every key optional. */
static bool th_style(th_parse *p, yaml_node_t *n, const char *what, th_raw *out)
{
    char q[48];
    if (n->type != YAML_MAPPING_NODE)
        return th_fail(p, n->start_mark,
                       "%s: expected a mapping like {fg: green, bg: default, attrs: [bold]}, "
                       "found %s",
                       what, th_node_kind(n));
    out->given = true;
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = th_node(p, pr->key), *v = th_node(p, pr->value);
        const char *key = th_key(p, k);
        if (!key || !v)
            return key ? th_fail(p, k->start_mark, "malformed document") : false;
        bool dup;
        bool ok;
        if (strcmp(key, "fg") == 0) {
            dup = out->has_fg;
            out->has_fg = true;
            ok = th_color(p, v, what, &out->fg);
        } else if (strcmp(key, "bg") == 0) {
            dup = out->has_bg;
            out->has_bg = true;
            ok = th_color(p, v, what, &out->bg);
        } else if (strcmp(key, "attrs") == 0) {
            dup = out->has_attrs;
            out->has_attrs = true;
            ok = th_attrs(p, v, what, &out->attrs);
        } else {
            return th_fail(p, k->start_mark, "%s: unknown key '%s' (fg, bg or attrs)", what,
                           th_quote(key, q));
        }
        if (dup)
            return th_fail(p, k->start_mark, "%s: '%s' given twice", what, key);
        if (!ok)
            return false;
    }
    return true;
}

/* The index of the first element of a section, or -1: sections are named by their elements. */
static int th_section_index(const char *s)
{
    for (int e = 0; e < TH_COUNT; e++)
        if (strcmp(th_section[e], s) == 0)
            return e;
    return -1;
}

static bool th_section_map(th_parse *p, const char *section, yaml_node_t *n)
{
    char q[48];
    if (n->type != YAML_MAPPING_NODE)
        return th_fail(p, n->start_mark, "%s: expected a mapping of elements, found %s", section,
                       th_node_kind(n));
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = th_node(p, pr->key), *v = th_node(p, pr->value);
        const char *key = th_key(p, k);
        if (!key || !v)
            return key ? th_fail(p, k->start_mark, "malformed document") : false;
        int e = 0;
        for (; e < TH_COUNT; e++)
            if (strcmp(th_section[e], section) == 0 && strcmp(th_elem[e], key) == 0)
                break;
        if (e == TH_COUNT) {
            /* Name the choices: a typo is the likely cause. */
            char list[1024];
            size_t used = 0;
            list[0] = '\0';
            for (int i = 0; i < TH_COUNT; i++) {
                if (strcmp(th_section[i], section) != 0)
                    continue;
                int w =
                    snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", th_elem[i]);
                if (w < 0 || (size_t)w >= sizeof list - used)
                    break;
                used += (size_t)w;
            }
            return th_fail(p, k->start_mark, "%s: unknown element '%s' (%s)", section,
                           th_quote(key, q), list);
        }
        if (p->raw[e].given)
            return th_fail(p, k->start_mark, "%s given twice", th_full[e]);
        if (!th_style(p, v, th_full[e], &p->raw[e]))
            return false;
    }
    return true;
}

static bool th_palette(th_parse *p, yaml_node_t *n)
{
    char q[48];
    if (n->type != YAML_MAPPING_NODE)
        return th_fail(p, n->start_mark,
                       "palette: expected a mapping of aliases like {accent: \"#5fafff\"}, "
                       "found %s",
                       th_node_kind(n));
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = th_node(p, pr->key), *v = th_node(p, pr->value);
        const char *key = th_key(p, k);
        int dummy;
        if (!key || !v)
            return key ? th_fail(p, k->start_mark, "malformed document") : false;
        if (!*key)
            return th_fail(p, k->start_mark, "palette: an alias needs a name");
        /* An alias may not hide a colour: "red" must mean red everywhere. */
        if (key[0] == '#' || th_color_word(NULL, k, key, "", &dummy) >= 0)
            return th_fail(p, k->start_mark, "palette: '%s' is already a colour", th_quote(key, q));
        for (size_t i = 0; i < p->npalette; i++)
            if (strcmp(p->palette[i].name, key) == 0)
                return th_fail(p, k->start_mark, "palette: '%s' given twice", th_quote(key, q));
        if (p->npalette == TH_MAX_PALETTE)
            return th_fail(p, k->start_mark, "palette: more than %d aliases", TH_MAX_PALETTE);
        char what[96];
        snprintf(what, sizeof what, "palette.%s", th_quote(key, q));
        int c;
        if (!th_color(p, v, what, &c))
            return false;
        p->palette[p->npalette].name = key;
        p->palette[p->npalette].color = c;
        p->npalette++;
    }
    return true;
}

static bool th_depth_word(const char *s, theme_depth *out)
{
    static const struct {
        const char *word;
        theme_depth depth;
    } words[] = {{"truecolor", TH_DEPTH_TRUE},
                 {"256", TH_DEPTH_256},
                 {"16", TH_DEPTH_16},
                 {"mono", TH_DEPTH_MONO}};
    for (size_t i = 0; s && i < sizeof words / sizeof words[0]; i++) {
        if (strcasecmp(s, words[i].word) == 0) {
            *out = words[i].depth;
            return true;
        }
    }
    return false;
}

static bool th_root(th_parse *p, yaml_node_t *root)
{
    char q[48];
    if (root->type != YAML_MAPPING_NODE)
        return th_fail(p, root->start_mark,
                       "a theme is a mapping (name, description, depth, palette, default, ui, "
                       "outcome, state, symbols), found %s",
                       th_node_kind(root));
    /* First pass: check every key, read the plain ones and the palette (colours anywhere may
     * use its aliases, whatever the order). */
    enum { K_NAME, K_DESC, K_DEPTH, K_PALETTE, K_DEFAULT, K_FIXED };
    static const char *const fixed[K_FIXED] = {"name", "description", "depth", "palette",
                                               "default"};
    bool seen[K_FIXED + TH_COUNT] = {false};
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = th_node(p, pr->key), *v = th_node(p, pr->value);
        const char *key = th_key(p, k);
        if (!key || !v)
            return key ? th_fail(p, k->start_mark, "malformed document") : false;
        int which = 0;
        while (which < K_FIXED && strcmp(key, fixed[which]) != 0)
            which++;
        if (which == K_FIXED) {
            int sec = th_section_index(key);
            if (sec < 0)
                return th_fail(p, k->start_mark,
                               "unknown key '%s' (name, description, depth, palette, default, "
                               "ui, outcome, state or symbols)",
                               th_quote(key, q));
            which = K_FIXED + sec;
        }
        if (seen[which])
            return th_fail(p, k->start_mark, "'%s' given twice", key);
        seen[which] = true;
        const char *s = th_scalar(v);
        switch (which) {
        case K_NAME:
            if (!s || !*s)
                return th_fail(p, v->start_mark, "name: expected a name, found %s",
                               th_node_kind(v));
            if (strlen(s) >= TH_NAME_MAX)
                return th_fail(p, v->start_mark, "name: longer than %d characters",
                               TH_NAME_MAX - 1);
            p->name = s;
            break;
        case K_DESC:
            if (!s)
                return th_fail(p, v->start_mark, "description: expected text, found %s",
                               th_node_kind(v));
            break;
        case K_DEPTH:
            if (!th_depth_word(s, &p->depth)) {
                if (s && *s)
                    return th_fail(p, v->start_mark,
                                   "depth: expected truecolor, 256, 16 or mono, found '%s'",
                                   th_quote(s, q));
                return th_fail(p, v->start_mark,
                               "depth: expected truecolor, 256, 16 or mono, found %s",
                               th_node_kind(v));
            }
            p->has_depth = true;
            break;
        case K_PALETTE:
            if (!th_palette(p, v))
                return false;
            break;
        default:
            break;
        }
    }
    /* Second pass: the styles. */
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top;
         pr++) {
        const char *key = th_scalar(th_node(p, pr->key));
        yaml_node_t *v = th_node(p, pr->value);
        if (strcmp(key, "default") == 0) {
            if (!th_style(p, v, "default", &p->global))
                return false;
        } else if (th_section_index(key) >= 0) {
            if (!th_section_map(p, key, v))
                return false;
        }
    }
    return true;
}

/* ---- resolving ---- */

static theme_style th_merge(const th_raw *r, theme_style base)
{
    theme_style s = base;
    if (r->has_fg)
        s.fg = r->fg;
    if (r->has_bg)
        s.bg = r->bg;
    if (r->has_attrs)
        s.attrs = r->attrs;
    s.set = r->given;
    return s;
}

static int th_section_default(int e)
{
    for (int i = 0; i < TH_COUNT; i++)
        if (strcmp(th_section[i], th_section[e]) == 0 && strcmp(th_elem[i], "default") == 0)
            return i;
    return -1;
}

static theme_depth th_color_depth(int c)
{
    if (c == TH_COLOR_DEFAULT || c < 0)
        return TH_DEPTH_MONO;
    if (TH_IS_RGB(c))
        return TH_DEPTH_TRUE;
    return c < 16 ? TH_DEPTH_16 : TH_DEPTH_256;
}

static void th_resolve(const th_parse *p, theme *t)
{
    theme_style global = th_merge(&p->global, th_neutral);
    global.set = false;
    /* Section defaults first, whatever their place in the list. */
    for (int e = 0; e < TH_COUNT; e++)
        if (strcmp(th_elem[e], "default") == 0)
            t->style[e] = th_merge(&p->raw[e], global);
    for (int e = 0; e < TH_COUNT; e++) {
        if (strcmp(th_elem[e], "default") == 0)
            continue;
        int d = th_section_default(e);
        t->style[e] = th_merge(&p->raw[e], d >= 0 ? t->style[d] : global);
    }
    if (p->has_depth) {
        t->depth = p->depth;
    } else {
        /* No depth given: what its colours need. */
        t->depth = TH_DEPTH_MONO;
        for (int e = 0; e < TH_COUNT; e++) {
            theme_depth a = th_color_depth(t->style[e].fg), b = th_color_depth(t->style[e].bg);
            if (a > t->depth)
                t->depth = a;
            if (b > t->depth)
                t->depth = b;
        }
    }
}

/* ---- loading ---- */

static void th_syntax_error(const yaml_parser_t *y, const char *file, const char *text, size_t len,
                            char *err, size_t err_size)
{
    const char *problem = y->problem ? y->problem : "cannot be parsed";
    if (y->error == YAML_MEMORY_ERROR) {
        th_msg(err, err_size, "%s: out of memory", file);
    } else if (y->error == YAML_READER_ERROR) {
        /* The reader knows only a byte offset: count lines up to it. */
        size_t line = 1, col = 1, end = y->problem_offset < len ? y->problem_offset : len;
        for (size_t i = 0; i < end; i++) {
            if (text[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        th_msg(err, err_size, "%s:%zu:%zu: %s", file, line, col, problem);
    } else if (y->context) {
        th_msg(err, err_size, "%s:%zu:%zu: %s (%s at line %zu)", file,
               (size_t)y->problem_mark.line + 1, (size_t)y->problem_mark.column + 1, problem,
               y->context, (size_t)y->context_mark.line + 1);
    } else {
        th_msg(err, err_size, "%s:%zu:%zu: %s", file, (size_t)y->problem_mark.line + 1,
               (size_t)y->problem_mark.column + 1, problem);
    }
}

/* FILE is the name used in messages; NAME the theme's name when the text gives none. */
static theme *th_parse_text(const char *file, const char *name, const char *text, size_t len,
                            char *err, size_t err_size)
{
    yaml_parser_t y;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&y)) {
        th_msg(err, err_size, "%s: out of memory", file);
        return NULL;
    }
    yaml_parser_set_input_string(&y, (const unsigned char *)text, len);
    if (!yaml_parser_load(&y, &doc)) {
        th_syntax_error(&y, file, text, len, err, err_size);
        yaml_parser_delete(&y);
        return NULL;
    }
    th_parse *p = calloc(1, sizeof *p);
    theme *t = calloc(1, sizeof *t);
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    bool ok = false;
    if (!p || !t) {
        th_msg(err, err_size, "%s: out of memory", file);
    } else if (!root) {
        th_msg(err, err_size, "%s:1:1: the theme file is empty", file);
    } else if (root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0) {
        /* "---" and nothing else */
        th_msg(err, err_size, "%s:%zu:%zu: the theme file is empty", file,
               (size_t)root->start_mark.line + 1, (size_t)root->start_mark.column + 1);
    } else {
        *p = (th_parse){.file = file, .doc = &doc, .err = err, .err_size = err_size};
        ok = th_root(p, root);
    }
    if (ok) {
        /* A second document would be silently ignored: say so instead. */
        yaml_document_t more;
        if (!yaml_parser_load(&y, &more)) {
            th_syntax_error(&y, file, text, len, err, err_size);
            ok = false;
        } else {
            yaml_node_t *r2 = yaml_document_get_root_node(&more);
            if (r2) {
                th_msg(err, err_size, "%s:%zu:%zu: a theme file holds one YAML document", file,
                       (size_t)r2->start_mark.line + 1, (size_t)r2->start_mark.column + 1);
                ok = false;
            }
            yaml_document_delete(&more);
        }
    }
    if (ok) {
        th_resolve(p, t);
        snprintf(t->name, sizeof t->name, "%s", p->name ? p->name : name);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&y);
    free(p);
    if (!ok) {
        free(t);
        return NULL;
    }
    return t;
}

static theme *th_load_file(const char *path, char *err, size_t err_size)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        th_msg(err, err_size, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        th_msg(err, err_size, "%s: %s", path,
               S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
        close(fd);
        return NULL;
    }
    if (st.st_size > TH_MAX_FILE) {
        th_msg(err, err_size, "%s: too large for a theme (over %d bytes)", path, TH_MAX_FILE);
        close(fd);
        return NULL;
    }
    size_t cap = (size_t)st.st_size + 1, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len == cap) {
            /* The file grew since fstat: read on, within the limit. */
            char *nb = cap <= TH_MAX_FILE ? realloc(buf, cap * 2) : NULL;
            if (!nb) {
                free(buf);
                buf = NULL;
                errno = cap <= TH_MAX_FILE ? ENOMEM : EFBIG;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(buf);
            buf = NULL;
            break;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    int saved = errno;
    close(fd);
    if (!buf) {
        th_msg(err, err_size, "%s: cannot read: %s", path, strerror(saved));
        return NULL;
    }
    /* The theme's name when it gives none: the file name without .yaml/.yml. */
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char stem[TH_NAME_MAX];
    snprintf(stem, sizeof stem, "%s", base);
    size_t sl = strlen(stem);
    if (sl > 5 && strcmp(stem + sl - 5, ".yaml") == 0)
        stem[sl - 5] = '\0';
    else if (sl > 4 && strcmp(stem + sl - 4, ".yml") == 0)
        stem[sl - 4] = '\0';
    theme *t = th_parse_text(path, stem, buf, len, err, err_size);
    free(buf);
    return t;
}

static theme *th_load_builtin(const char *name, char *err, size_t err_size)
{
    for (size_t i = 0; i < theme_builtin_count; i++) {
        if (strcmp(theme_builtins[i].name, name) == 0) {
            char file[TH_NAME_MAX + 32];
            snprintf(file, sizeof file, "(built-in)/%s.yaml", name);
            return th_parse_text(file, name, theme_builtins[i].text, strlen(theme_builtins[i].text),
                                 err, err_size);
        }
    }
    return NULL;
}

static bool th_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The two search directories (malloc'd, NULL when unknown): the system one
 * (${SYMSCOPE_THEME_DIR:-DATADIR}/themes) and the user's (XDG). */
static char *th_dir(int which)
{
    const char *base, *suffix;
    if (which == 0) {
        base = getenv("SYMSCOPE_THEME_DIR");
        if (!base || !*base)
            base = SYMSCOPE_DATADIR;
        suffix = "/themes";
    } else {
        base = getenv("XDG_CONFIG_HOME");
        suffix = "/symscope/themes";
        /* XDG: a relative value is to be ignored. */
        if (!base || base[0] != '/') {
            base = getenv("HOME");
            suffix = "/.config/symscope/themes";
        }
        if (!base || !*base)
            return NULL;
    }
    size_t n = strlen(base) + strlen(suffix) + 1;
    char *dir = malloc(n);
    if (dir)
        snprintf(dir, n, "%s%s", base, suffix);
    return dir;
}

static char *th_path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + sizeof "/.yaml";
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/%s.yaml", dir, name);
    return path;
}

theme *theme_load(const char *name_or_file, char *err, size_t err_size)
{
    if (err && err_size)
        err[0] = '\0';
    if (!name_or_file || !*name_or_file) {
        th_msg(err, err_size, "no theme name given");
        return NULL;
    }
    if (strchr(name_or_file, '/') || th_ends_with(name_or_file, ".yaml") ||
        th_ends_with(name_or_file, ".yml"))
        return th_load_file(name_or_file, err, err_size);

    for (size_t i = 0; i < theme_builtin_count; i++)
        if (strcmp(theme_builtins[i].name, name_or_file) == 0)
            return th_load_builtin(name_or_file, err, err_size);
    for (int which = 0; which < 2; which++) {
        char *dir = th_dir(which);
        char *path = dir ? th_path_in(dir, name_or_file) : NULL;
        struct stat st;
        free(dir);
        if (path && stat(path, &st) == 0) {
            theme *t = th_load_file(path, err, err_size);
            free(path);
            return t;
        }
        free(path);
    }

    char q[48];
    int n = 0;
    if (!err || !err_size)
        return NULL;
    n = snprintf(err, err_size, "no theme named '%s'; there are:", th_quote(name_or_file, q));
    char **names = theme_names();
    for (size_t i = 0; names && names[i] && n >= 0 && (size_t)n < err_size; i++) {
        int w = snprintf(err + n, err_size - (size_t)n, "%s %s", i ? "," : "", names[i]);
        n = w < 0 ? w : n + w;
    }
    theme_names_free(names);
    return NULL;
}

/* When even the built-in default cannot be had (out of memory): neutral, never freed. */
static theme th_fallback;

theme *theme_default(void)
{
    theme *t = th_load_builtin("default", NULL, 0);
    if (!t)
        t = calloc(1, sizeof *t);
    if (!t)
        t = &th_fallback;
    if (!t->name[0]) {
        snprintf(t->name, sizeof t->name, "default");
        t->depth = TH_DEPTH_MONO;
        for (int e = 0; e < TH_COUNT; e++)
            t->style[e] = th_neutral;
    }
    return t;
}

void theme_free(theme *t)
{
    if (t != &th_fallback)
        free(t);
}

const char *theme_name(const theme *t)
{
    return t ? t->name : "";
}

theme_depth theme_depth_needed(const theme *t)
{
    return t ? t->depth : TH_DEPTH_MONO;
}

theme_style theme_style_of(const theme *t, theme_element e)
{
    if (!t || (int)e < 0 || (int)e >= TH_COUNT)
        return th_neutral;
    return t->style[e];
}

const char *theme_element_name(theme_element e)
{
    return (int)e >= 0 && (int)e < TH_COUNT ? th_full[e] : "unknown";
}

/* ---- the list of names ---- */

typedef struct th_list {
    char **v;
    size_t n, cap;
    bool failed;
} th_list;

static void th_list_add(th_list *l, const char *s, size_t len)
{
    if (l->failed)
        return;
    if (l->n + 1 >= l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->failed = true;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    char *c = strndup(s, len);
    if (!c) {
        l->failed = true;
        return;
    }
    l->v[l->n++] = c;
}

static void th_list_dir(th_list *l, const char *dir)
{
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *s = de->d_name;
        size_t len = strlen(s);
        /* Only what theme_load(NAME) would find: NAME.yaml, no hidden files. */
        if (s[0] == '.' || len <= 5 || strcmp(s + len - 5, ".yaml") != 0)
            continue;
        size_t n = strlen(dir) + len + 2;
        char *full = malloc(n);
        struct stat st;
        if (full) {
            snprintf(full, n, "%s/%s", dir, s);
            if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
                th_list_add(l, s, len - 5);
            free(full);
        }
    }
    closedir(d);
}

static int th_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **theme_names(void)
{
    th_list l = {0};
    for (size_t i = 0; i < theme_builtin_count; i++)
        th_list_add(&l, theme_builtins[i].name, strlen(theme_builtins[i].name));
    for (int which = 0; which < 2; which++) {
        char *dir = th_dir(which);
        th_list_dir(&l, dir);
        free(dir);
    }
    if (!l.v)
        return calloc(1, sizeof(char *));
    if (l.failed) {
        if (l.v)
            l.v[l.n] = NULL; /* add keeps a slot for the terminator */
        theme_names_free(l.v);
        return NULL;
    }
    qsort(l.v, l.n, sizeof *l.v, th_cmp);
    size_t out = 0;
    for (size_t i = 0; i < l.n; i++) {
        if (out && strcmp(l.v[out - 1], l.v[i]) == 0)
            free(l.v[i]);
        else
            l.v[out++] = l.v[i];
    }
    l.v[out] = NULL;
    return l.v;
}

void theme_names_free(char **names)
{
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}

/* ---- degrading ---- */

static void th_rgb_of(int c, int rgb[3])
{
    if (TH_IS_RGB(c)) {
        rgb[0] = (c >> 16) & 0xff;
        rgb[1] = (c >> 8) & 0xff;
        rgb[2] = c & 0xff;
    } else if (c < 16) {
        for (int i = 0; i < 3; i++)
            rgb[i] = th_basic_rgb[c][i];
    } else if (c < 232) {
        int idx = c - 16, v[3] = {idx / 36, idx / 6 % 6, idx % 6};
        for (int i = 0; i < 3; i++)
            rgb[i] = v[i] ? 55 + 40 * v[i] : 0;
    } else {
        rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
    }
}

static int th_dist(const int a[3], const int b[3])
{
    int d = 0;
    for (int i = 0; i < 3; i++)
        d += (a[i] - b[i]) * (a[i] - b[i]);
    return d;
}

/* The nearest of the cube (16-231) and the grey ramp (232-255); the cube wins a tie. */
static int th_nearest_256(const int rgb[3])
{
    int best = 16, best_d = -1;
    int cube[3];
    for (int i = 0; i < 3; i++) {
        /* Cube levels 0, 95, 135, ..., 255: nearest per channel is nearest overall. */
        int lvl = rgb[i] < 48 ? 0 : rgb[i] < 115 ? 1 : (rgb[i] - 35) / 40;
        cube[i] = lvl > 5 ? 5 : lvl;
    }
    int cand = 16 + 36 * cube[0] + 6 * cube[1] + cube[2], crgb[3];
    th_rgb_of(cand, crgb);
    best = cand;
    best_d = th_dist(rgb, crgb);
    for (int g = 232; g < 256; g++) {
        th_rgb_of(g, crgb);
        int d = th_dist(rgb, crgb);
        if (d < best_d) {
            best = g;
            best_d = d;
        }
    }
    return best;
}

static int th_nearest_16(const int rgb[3])
{
    int best = 0, best_d = -1;
    for (int i = 0; i < 16; i++) {
        int b[3] = {th_basic_rgb[i][0], th_basic_rgb[i][1], th_basic_rgb[i][2]};
        int d = th_dist(rgb, b);
        if (best_d < 0 || d < best_d) {
            best = i;
            best_d = d;
        }
    }
    return best;
}

static int th_degrade_color(int c, theme_depth to)
{
    /* Anything that is not a colour at all becomes the terminal's own. */
    if (c == TH_COLOR_DEFAULT || c < 0 || (c > 255 && !TH_IS_RGB(c)) || c > 0x1ffffff)
        return TH_COLOR_DEFAULT;
    if ((int)to >= (int)th_color_depth(c))
        return c;
    int rgb[3];
    th_rgb_of(c, rgb);
    switch (to) {
    case TH_DEPTH_256:
        return th_nearest_256(rgb);
    case TH_DEPTH_16:
        return th_nearest_16(rgb);
    default:
        return TH_COLOR_DEFAULT;
    }
}

theme_style theme_degrade(theme_style s, theme_depth to)
{
    if ((int)to < (int)TH_DEPTH_MONO)
        to = TH_DEPTH_MONO;
    s.fg = th_degrade_color(s.fg, to);
    s.bg = th_degrade_color(s.bg, to);
    return s;
}
