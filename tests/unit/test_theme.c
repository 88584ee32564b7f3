/* Themes (tui/theme.c): the built-in files, fallbacks, colour forms, errors with positions,
 * the search path and degrading colours to what a terminal has. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "theme.h"

/* The compiled-in files (themes_builtin.c), for the mangling test. */
struct theme_builtin {
    const char *name;
    const char *text;
};
extern const struct theme_builtin theme_builtins[];
extern const size_t theme_builtin_count;

static const char *const builtin_names[] = {"default", "high-contrast", "light", "mono"};

static char tmp[1024];

/* ---- files ---- */

static void rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        while (d && (de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
            rm_rf(sub);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* tmp/REL, for messages and loading. */
static const char *tpath(const char *rel)
{
    static char buf[4][4096];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", tmp, rel);
    return p;
}

static void mkdirs(const char *rel)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    for (char *s = p + strlen(tmp) + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0755);
            *s = '/';
        }
    }
    mkdir(p, 0755);
}

/* Writes tmp/REL (making its directories); returns the full path. */
static const char *put(const char *rel, const char *text)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", rel);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        mkdirs(dir);
    }
    const char *path = tpath(rel);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    return path;
}

static theme *load_ok(const char *name_or_file)
{
    char err[512] = "";
    theme *t = theme_load(name_or_file, err, sizeof err);
    if (!t)
        fail_msg("theme_load(%s): %s", name_or_file, err);
    return t;
}

static theme *load_text(const char *text)
{
    return load_ok(put("t.yaml", text));
}

/* ---- colours as RGB, independently of theme.c ---- */

static const int xterm16[16][3] = {
    {0, 0, 0},     {205, 0, 0},     {0, 205, 0},     {205, 205, 0},   {0, 0, 238}, {205, 0, 205},
    {0, 205, 205}, {229, 229, 229}, {127, 127, 127}, {255, 0, 0},     {0, 255, 0}, {255, 255, 0},
    {92, 92, 255}, {255, 0, 255},   {0, 255, 255},   {255, 255, 255},
};

static void rgb_of(int c, int out[3])
{
    static const int level[6] = {0, 95, 135, 175, 215, 255};
    if (TH_IS_RGB(c)) {
        out[0] = (c >> 16) & 255;
        out[1] = (c >> 8) & 255;
        out[2] = c & 255;
    } else if (c < 16) {
        memcpy(out, xterm16[c], sizeof xterm16[c]);
    } else if (c < 232) {
        out[0] = level[(c - 16) / 36];
        out[1] = level[(c - 16) / 6 % 6];
        out[2] = level[(c - 16) % 6];
    } else {
        out[0] = out[1] = out[2] = 8 + 10 * (c - 232);
    }
}

static int dist(int c, const int rgb[3])
{
    int a[3], d = 0;
    rgb_of(c, a);
    for (int i = 0; i < 3; i++)
        d += (a[i] - rgb[i]) * (a[i] - rgb[i]);
    return d;
}

/* ---- the built-in themes ---- */

static void test_builtins_load_and_resolve(void **state)
{
    static const theme_depth depth[] = {TH_DEPTH_256, TH_DEPTH_16, TH_DEPTH_256, TH_DEPTH_MONO};
    assert_int_equal(theme_builtin_count, 4);
    for (size_t i = 0; i < 4; i++) {
        theme *t = load_ok(builtin_names[i]);
        assert_string_equal(theme_name(t), builtin_names[i]);
        assert_int_equal(theme_depth_needed(t), depth[i]);
        for (int e = 0; e < TH_COUNT; e++) {
            theme_style s = theme_style_of(t, (theme_element)e);
            /* Every element is spelled out in every built-in theme. */
            if (!s.set)
                fail_msg("%s: %s not set", builtin_names[i], theme_element_name(e));
            /* At its own depth a theme shows exactly as written. */
            theme_style d = theme_degrade(s, depth[i]);
            int a[3], b[3];
            if (s.fg != TH_COLOR_DEFAULT) {
                rgb_of(s.fg, a);
                rgb_of(d.fg, b);
                assert_memory_equal(a, b, sizeof a);
            }
            if (s.bg != TH_COLOR_DEFAULT) {
                rgb_of(s.bg, a);
                rgb_of(d.bg, b);
                assert_memory_equal(a, b, sizeof a);
            }
            /* Readable at every depth: text never ends up in its own background colour. */
            for (int to = TH_DEPTH_16; to <= TH_DEPTH_TRUE; to++) {
                d = theme_degrade(s, (theme_depth)to);
                if (d.fg != TH_COLOR_DEFAULT && d.fg == d.bg)
                    fail_msg("%s: %s is invisible at depth %d", builtin_names[i],
                             theme_element_name(e), to);
            }
        }
        theme_free(t);
    }
}

static void test_builtin_details(void **state)
{
    theme *t = load_ok("mono");
    for (int e = 0; e < TH_COUNT; e++) {
        theme_style s = theme_style_of(t, (theme_element)e);
        assert_int_equal(s.fg, TH_COLOR_DEFAULT);
        assert_int_equal(s.bg, TH_COLOR_DEFAULT);
    }
    assert_true(theme_style_of(t, TH_ROW_SELECTED).attrs & TH_ATTR_REVERSE);
    assert_true(theme_style_of(t, TH_TITLE).attrs & TH_ATTR_REVERSE);
    assert_true(theme_style_of(t, TH_ERROR).attrs & TH_ATTR_BOLD);
    assert_true(theme_style_of(t, TH_OUT_MISMATCH).attrs & TH_ATTR_BOLD);
    assert_true(theme_style_of(t, TH_HEADER).attrs & TH_ATTR_UNDERLINE);
    assert_true(theme_style_of(t, TH_OUT_SKIPPED).attrs & TH_ATTR_DIM);
    theme_free(t);

    t = load_ok("high-contrast");
    for (int e = 0; e < TH_COUNT; e++) {
        theme_style s = theme_style_of(t, (theme_element)e);
        assert_true(s.fg >= TH_COLOR_DEFAULT && s.fg < 16);
        assert_true(s.bg >= TH_COLOR_DEFAULT && s.bg < 16);
    }
    assert_int_equal(theme_style_of(t, TH_OUT_FOUND).fg, 10);
    theme_free(t);

    /* The selected row stays marked when the default theme is shown without colours. */
    t = theme_default();
    assert_non_null(t);
    assert_string_equal(theme_name(t), "default");
    assert_int_equal(theme_depth_needed(t), TH_DEPTH_256);
    theme_style sel = theme_degrade(theme_style_of(t, TH_ROW_SELECTED), TH_DEPTH_MONO);
    assert_int_not_equal(sel.attrs, 0);
    assert_int_not_equal(theme_style_of(t, TH_OUT_FOUND).fg, TH_COLOR_DEFAULT);
    theme_free(t);
}

/* ---- fallbacks ---- */

static void test_fallbacks(void **state)
{
    theme *t = load_text("default: {fg: red, bg: blue, attrs: [underline]}\n"
                         "ui:\n"
                         "  default: {fg: green}\n"
                         "  title: {bg: yellow}\n"
                         "  error: {attrs: []}\n"
                         "outcome:\n"
                         "  found: {fg: color200}\n");
    /* No name: the file's. No depth: what the colours need. */
    assert_string_equal(theme_name(t), "t");
    assert_int_equal(theme_depth_needed(t), TH_DEPTH_256);

    theme_style s = theme_style_of(t, TH_TITLE); /* bg its own, fg the section's */
    assert_int_equal(s.fg, 2);
    assert_int_equal(s.bg, 3);
    assert_int_equal(s.attrs, TH_ATTR_UNDERLINE);
    assert_true(s.set);
    s = theme_style_of(t, TH_STATUS); /* not given: section default, then global */
    assert_int_equal(s.fg, 2);
    assert_int_equal(s.bg, 4);
    assert_int_equal(s.attrs, TH_ATTR_UNDERLINE);
    assert_false(s.set);
    s = theme_style_of(t, TH_UI_DEFAULT);
    assert_int_equal(s.fg, 2);
    assert_int_equal(s.bg, 4);
    assert_true(s.set);
    assert_int_equal(theme_style_of(t, TH_ERROR).attrs, 0); /* [] clears */
    s = theme_style_of(t, TH_OUT_FOUND); /* no outcome.default: straight to the global one */
    assert_int_equal(s.fg, 200);
    assert_int_equal(s.bg, 4);
    assert_int_equal(s.attrs, TH_ATTR_UNDERLINE);
    s = theme_style_of(t, TH_OUT_MISMATCH);
    assert_int_equal(s.fg, 1);
    assert_int_equal(s.bg, 4);
    assert_false(s.set);
    assert_int_equal(theme_style_of(t, TH_SYM_NONE).fg, 1);
    theme_free(t);

    /* Nothing given at all: the terminal's own colours. */
    t = load_text("name: bare\n");
    assert_string_equal(theme_name(t), "bare");
    assert_int_equal(theme_depth_needed(t), TH_DEPTH_MONO);
    for (int e = 0; e < TH_COUNT; e++) {
        theme_style n = theme_style_of(t, (theme_element)e);
        assert_int_equal(n.fg, TH_COLOR_DEFAULT);
        assert_int_equal(n.bg, TH_COLOR_DEFAULT);
        assert_int_equal(n.attrs, 0);
        assert_false(n.set);
    }
    theme_free(t);

    /* The order of keys does not matter: elements before their defaults, palette last. */
    t = load_text("outcome:\n"
                  "  found: {fg: mine}\n"
                  "  default: {bg: white}\n"
                  "palette: {mine: color33}\n");
    assert_int_equal(theme_style_of(t, TH_OUT_FOUND).fg, 33);
    assert_int_equal(theme_style_of(t, TH_OUT_FOUND).bg, 7);
    theme_free(t);
}

/* ---- colour forms ---- */

static void test_colour_forms(void **state)
{
    theme *t = load_text("name: forms\n"
                         "palette:\n"
                         "  accent: \"#5fafff\"\n"
                         "  Warn: color214\n"
                         "  again: accent\n"
                         "ui:\n"
                         "  title: {fg: black, bg: bright_white}\n"
                         "  status: {fg: gray, bg: grey}\n"
                         "  message: {fg: BRIGHT_RED, bg: White}\n"
                         "  error: {fg: color0, bg: color255}\n"
                         "  header: {fg: \"#FF8000\", bg: \"#000000\"}\n"
                         "  row: {fg: default, bg: default}\n"
                         "  input: {fg: accent, bg: Warn}\n"
                         "  log: {fg: again, attrs: [bold, underline, reverse, dim, italic, "
                         "blink]}\n"
                         "  badge: {fg: bright_magenta, bg: cyan}\n"
                         "  help_key: {fg: color7, bg: color015}\n");
    assert_int_equal(theme_depth_needed(t), TH_DEPTH_TRUE);
    assert_int_equal(theme_style_of(t, TH_TITLE).fg, 0);
    assert_int_equal(theme_style_of(t, TH_TITLE).bg, 15);
    assert_int_equal(theme_style_of(t, TH_STATUS).fg, 8);
    assert_int_equal(theme_style_of(t, TH_STATUS).bg, 8);
    assert_int_equal(theme_style_of(t, TH_MESSAGE).fg, 9);
    assert_int_equal(theme_style_of(t, TH_MESSAGE).bg, 7);
    assert_int_equal(theme_style_of(t, TH_ERROR).fg, 0);
    assert_int_equal(theme_style_of(t, TH_ERROR).bg, 255);
    assert_int_equal(theme_style_of(t, TH_HEADER).fg, TH_RGB(0xff, 0x80, 0x00));
    assert_int_equal(theme_style_of(t, TH_HEADER).bg, TH_RGB(0, 0, 0));
    assert_true(TH_IS_RGB(theme_style_of(t, TH_HEADER).bg));
    assert_int_equal(theme_style_of(t, TH_ROW).fg, TH_COLOR_DEFAULT);
    assert_int_equal(theme_style_of(t, TH_ROW).bg, TH_COLOR_DEFAULT);
    assert_int_equal(theme_style_of(t, TH_INPUT).fg, TH_RGB(0x5f, 0xaf, 0xff));
    assert_int_equal(theme_style_of(t, TH_INPUT).bg, 214);
    assert_int_equal(theme_style_of(t, TH_LOG).fg, TH_RGB(0x5f, 0xaf, 0xff));
    assert_int_equal(theme_style_of(t, TH_LOG).attrs, TH_ATTR_BOLD | TH_ATTR_UNDERLINE |
                                                          TH_ATTR_REVERSE | TH_ATTR_DIM |
                                                          TH_ATTR_ITALIC | TH_ATTR_BLINK);
    assert_int_equal(theme_style_of(t, TH_BADGE).fg, 13);
    assert_int_equal(theme_style_of(t, TH_BADGE).bg, 6);
    assert_int_equal(theme_style_of(t, TH_HELP_KEY).fg, 7);
    assert_int_equal(theme_style_of(t, TH_HELP_KEY).bg, 15);
    theme_free(t);

    static const struct {
        const char *word;
        theme_depth depth;
    } depths[] = {{"truecolor", TH_DEPTH_TRUE},
                  {"256", TH_DEPTH_256},
                  {"16", TH_DEPTH_16},
                  {"mono", TH_DEPTH_MONO}};
    for (size_t i = 0; i < 4; i++) {
        char text[64];
        snprintf(text, sizeof text, "depth: %s\nui: {title: {fg: red}}\n", depths[i].word);
        t = load_text(text);
        assert_int_equal(theme_depth_needed(t), depths[i].depth);
        theme_free(t);
    }
}

/* ---- errors ---- */

static void expect_bad_path(const char *path, unsigned line, unsigned col, const char *what)
{
    char err[512] = "", where[4200];
    theme *t = theme_load(path, err, sizeof err);
    if (t)
        fail_msg("%s loaded; expected an error about %s", path, what);
    if (col)
        snprintf(where, sizeof where, "%s:%u:%u: ", path, line, col);
    else
        snprintf(where, sizeof where, "%s:%u:", path, line);
    if (strncmp(err, where, strlen(where)) != 0 || !strstr(err, what))
        fail_msg("got \"%s\"; expected \"%s...%s...\"", err, where, what);
}

static void expect_bad(const char *text, unsigned line, unsigned col, const char *what)
{
    expect_bad_path(put("bad.yaml", text), line, col, what);
}

static void test_bad_files(void **state)
{
    /* YAML syntax: libyaml's own message and position. */
    expect_bad("name: x\n  indented: y\n", 2, 11, "mapping values are not allowed");
    expect_bad("ui:\n  title: {fg: red\n", 3, 1, "did not find expected");
    expect_bad("name: \"open\n", 2, 1, "found unexpected end of stream");
    expect_bad("name: \xff\xfe\n", 1, 7, "invalid");
    /* Keys and names. */
    expect_bad("ui:\n  titel: {fg: red}\n", 2, 3, "unknown element 'titel'");
    expect_bad("name: x\ncolours:\n  ui: {}\n", 2, 1, "unknown key 'colours'");
    expect_bad("ui:\n  title: {fg: red, colour: blue}\n", 2, 20, "unknown key 'colour'");
    expect_bad("outcome:\n  notfound: {}\n", 2, 3, "not-found"); /* the choices are listed */
    expect_bad("ui:\n  title: {}\n  title: {fg: red}\n", 3, 3, "ui.title given twice");
    expect_bad("ui:\n  title: {fg: red, fg: blue}\n", 2, 20, "'fg' given twice");
    expect_bad("name: a\nname: b\n", 2, 1, "'name' given twice");
    expect_bad("ui: {}\nui: {}\n", 2, 1, "'ui' given twice");
    expect_bad("? [a, b]\n: x\n", 1, 3, "a key must be a plain string");
    /* Colours. */
    expect_bad("ui:\n  title: {fg: \"#12345\"}\n", 2, 15, "'#12345' is not of the form");
    expect_bad("ui:\n  title: {fg: \"#1234567\"}\n", 2, 15, "#rrggbb");
    expect_bad("ui:\n  title: {fg: \"#12345g\"}\n", 2, 15, "#rrggbb");
    expect_bad("ui:\n  title: {bg: color300}\n", 2, 15, "color300' is out of range");
    expect_bad("ui:\n  title: {bg: color-1}\n", 2, 15, "unknown colour 'color-1'");
    expect_bad("ui:\n  title: {bg: color99999999999}\n", 2, 15, "out of range");
    expect_bad("ui:\n  title: {fg: purple}\n", 2, 15, "unknown colour 'purple'");
    expect_bad("ui:\n  title: {fg: 196}\n", 2, 15, "unknown colour '196'");
    expect_bad("ui:\n  title: {fg: [red]}\n", 2, 15, "expected a colour, found a list");
    expect_bad("ui:\n  title:\n    fg: #ff0000\n", 3, 0, "quote");
    expect_bad("palette:\n  red: \"#ff0000\"\n", 2, 3, "'red' is already a colour");
    expect_bad("palette:\n  color7: blue\n", 2, 3, "already a colour");
    expect_bad("palette:\n  a: later\n  later: red\n", 2, 6, "unknown colour 'later'");
    expect_bad("palette: [red]\n", 1, 10, "palette: expected a mapping");
    /* Attributes. */
    expect_bad("outcome:\n  found:\n    fg: green\n    attrs: [bold, shiny]\n", 4, 19,
               "unknown attribute 'shiny'");
    expect_bad("ui:\n  title: {attrs: bold}\n", 2, 18, "expected a list");
    expect_bad("ui:\n  title: {attrs: [[bold]]}\n", 2, 19, "expected an attribute");
    /* Depth. */
    expect_bad("name: x\ndepth: 88\n", 2, 8, "depth: expected truecolor, 256, 16 or mono");
    expect_bad("depth: [256]\n", 1, 8, "found a list");
    expect_bad("depth:\n", 1, 7, "found nothing");
    /* Wrong node types. */
    expect_bad("ui:\n  - title\n", 2, 3, "ui: expected a mapping of elements, found a list");
    expect_bad("ui:\n  title: [red, blue]\n", 2, 10, "ui.title: expected a mapping");
    expect_bad("ui:\n  title: red\n", 2, 10, "ui.title: expected a mapping");
    expect_bad("default: red\n", 1, 10, "default: expected a mapping");
    expect_bad("- a\n- b\n", 1, 1, "a theme is a mapping");
    expect_bad("just words\n", 1, 1, "found a string");
    expect_bad("name: {a: b}\n", 1, 7, "name: expected a name");
    expect_bad("name: \"a\\0b\"\n", 1, 7, "name: expected a name");
    expect_bad("description: [x]\n", 1, 14, "description: expected text");
    /* Empty files, more than one document. */
    expect_bad("", 1, 1, "empty");
    expect_bad("# only a comment\n\n", 1, 1, "empty");
    expect_bad("---\n", 2, 1, "empty");
    expect_bad("name: a\n---\nname: b\n", 3, 1, "one YAML document");
    expect_bad("name: a\n---\n[\n", 4, 1, "did not find expected node content");

    /* Files that cannot be read: the path, and why. */
    char err[512];
    mkdirs("dir.yaml");
    assert_null(theme_load(tpath("dir.yaml"), err, sizeof err));
    assert_non_null(strstr(err, tpath("dir.yaml")));
    assert_non_null(strstr(err, "is a directory"));
    assert_null(theme_load(tpath("missing.yaml"), err, sizeof err));
    assert_non_null(strstr(err, tpath("missing.yaml")));
    assert_non_null(strstr(err, "cannot open"));
    /* Ends in .yaml: a path, even without a slash (and not in the search path). */
    assert_null(theme_load("no-such-theme-file.yaml", err, sizeof err));
    assert_non_null(strstr(err, "no-such-theme-file.yaml: cannot open"));
    /* An unknown name lists what there is. */
    assert_null(theme_load("nosuch", err, sizeof err));
    assert_non_null(strstr(err, "no theme named 'nosuch'"));
    assert_non_null(strstr(err, "default, high-contrast, light, mono"));
    assert_null(theme_load("", err, sizeof err));
    assert_string_not_equal(err, "");
    assert_null(theme_load(NULL, err, sizeof err));
    assert_string_not_equal(err, "");

    /* Small or no message buffers are respected. */
    char tiny[8];
    memset(tiny, 'x', sizeof tiny);
    assert_null(theme_load("nosuch", tiny, sizeof tiny));
    assert_true(strlen(tiny) < sizeof tiny);
    assert_null(theme_load(put("bad.yaml", "ui: [\n"), tiny, sizeof tiny));
    assert_true(strlen(tiny) < sizeof tiny);
    assert_null(theme_load(put("bad.yaml", "ui: {x: {}}\n"), tiny, sizeof tiny));
    assert_true(strlen(tiny) < sizeof tiny);
    assert_null(theme_load("nosuch", NULL, 0));
    assert_null(theme_load(tpath("bad.yaml"), NULL, 0));
    assert_null(theme_load(tpath("bad.yaml"), NULL, 100));
}

/* Cut and damaged copies of every built-in theme: a theme or an error, never a crash. */
static void test_mangled_files(void **state)
{
    for (size_t b = 0; b < theme_builtin_count; b++) {
        const char *text = theme_builtins[b].text;
        size_t len = strlen(text);
        char *copy = malloc(len + 1);
        assert_non_null(copy);
        for (size_t i = 0; i < len; i += 5) {
            for (int round = 0; round < 3; round++) {
                memcpy(copy, text, len + 1);
                if (round == 0)
                    copy[i] = '\0'; /* cut */
                else if (round == 1)
                    copy[i] = "{}[]:,-&*!|>'\"%@`#\t\n"[i % 21]; /* an indicator */
                else
                    copy[i] = (char)(0x80 + i % 128); /* bad UTF-8 */
                char err[256] = "";
                theme *t = theme_load(put("m.yaml", copy), err, sizeof err);
                if (t) {
                    for (int e = 0; e < TH_COUNT; e++)
                        (void)theme_style_of(t, (theme_element)e);
                    theme_free(t);
                } else {
                    assert_true(strncmp(err, tpath("m.yaml"), strlen(tpath("m.yaml"))) == 0);
                }
            }
        }
        free(copy);
    }
    /* Anchors, aliases (also one that refers to itself), tags, odd scalars. */
    static const char *const odd[] = {
        "palette: &p {a: red}\nui: {title: {fg: a}, status: *p}\n",
        "x: &a [*a]\n",
        "ui: &a {title: *a}\n",
        "ui: {title: &s {fg: red}, status: *s}\n",
        "!!map {ui: !!map {title: {fg: !!str red}}}\n",
        "ui: {title: {fg: !custom red}}\n",
        "%YAML 1.1\n---\nname: v\n",
        "%YAML 9.9\n---\nname: v\n",
        "*undefined\n",
        "name: |\n  multi\n  line\n",
        "? |\n  ui\n: {}\n",
        "\xef\xbb\xbfname: bom\n",
    };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        char err[256] = "";
        theme *t = theme_load(put("o.yaml", odd[i]), err, sizeof err);
        if (t)
            theme_free(t);
        else
            assert_string_not_equal(err, "");
    }
    char err[256];
    theme *t = theme_load(put("o.yaml", odd[3]), err, sizeof err);
    assert_non_null(t);
    assert_int_equal(theme_style_of(t, TH_STATUS).fg, 1);
    theme_free(t);
}

/* ---- the search path ---- */

static void test_search_path(void **state)
{
    setenv("SYMSCOPE_THEME_DIR", tpath("sys"), 1);
    setenv("XDG_CONFIG_HOME", tpath("xdg"), 1);
    put("sys/themes/custom.yaml", "name: custom-sys\nui:\n  title: {fg: red}\n");
    put("xdg/symscope/themes/mine.yaml", "description: no name, so the file's\n");
    put("sys/themes/shared.yaml", "name: from-sys\n");
    put("xdg/symscope/themes/shared.yaml", "name: from-xdg\n");
    put("sys/themes/default.yaml", "name: not-the-built-in\n");
    put("xdg/symscope/themes/broken.yaml", "ui: [\n");
    put("xdg/symscope/themes/.hidden.yaml", "name: hidden\n");
    put("xdg/symscope/themes/notes.txt", "not a theme\n");
    put("xdg/symscope/themes/other.yml", "name: yml\n");
    mkdirs("xdg/symscope/themes/dir.yaml");

    theme *t = load_ok("custom");
    assert_string_equal(theme_name(t), "custom-sys");
    assert_int_equal(theme_style_of(t, TH_TITLE).fg, 1);
    theme_free(t);
    t = load_ok("mine");
    assert_string_equal(theme_name(t), "mine");
    theme_free(t);
    t = load_ok("shared"); /* the system directory first */
    assert_string_equal(theme_name(t), "from-sys");
    theme_free(t);
    t = load_ok("default"); /* built-ins before either */
    assert_int_equal(theme_depth_needed(t), TH_DEPTH_256);
    assert_string_equal(theme_name(t), "default");
    theme_free(t);
    t = load_ok(tpath("xdg/symscope/themes/shared.yaml")); /* a path is a path */
    assert_string_equal(theme_name(t), "from-xdg");
    theme_free(t);
    t = load_ok(tpath("xdg/symscope/themes/other.yml"));
    assert_string_equal(theme_name(t), "yml");
    theme_free(t);

    char err[512];
    assert_null(theme_load("broken", err, sizeof err));
    assert_non_null(strstr(err, tpath("xdg/symscope/themes/broken.yaml:2:1:")));

    static const char *const want[] = {"broken", "custom", "default", "high-contrast",
                                       "light",  "mine",   "mono",    "shared"};
    char **names = theme_names();
    assert_non_null(names);
    size_t n = 0;
    while (names[n])
        n++;
    if (n != sizeof want / sizeof want[0])
        fail_msg("%zu names, expected %zu", n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], want[i]) != 0)
            fail_msg("names[%zu] = %s, expected %s", i, names[i], want[i]);
    theme_names_free(names);

    /* XDG_CONFIG_HOME unset (or relative): ~/.config. */
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", tpath("home"), 1);
    put("home/.config/symscope/themes/homey.yaml", "name: homey\n");
    t = load_ok("homey");
    assert_string_equal(theme_name(t), "homey");
    theme_free(t);
    setenv("XDG_CONFIG_HOME", "relative/dir", 1);
    t = load_ok("homey");
    theme_free(t);
    names = theme_names();
    assert_non_null(names);
    bool found = false;
    for (size_t i = 0; names[i]; i++)
        found |= strcmp(names[i], "homey") == 0;
    assert_true(found);
    theme_names_free(names);

    /* Nothing anywhere: just the built-ins. */
    setenv("SYMSCOPE_THEME_DIR", tpath("nowhere"), 1);
    setenv("XDG_CONFIG_HOME", tpath("nowhere"), 1);
    names = theme_names();
    assert_non_null(names);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(names[i], builtin_names[i]);
    assert_null(names[4]);
    theme_names_free(names);
    assert_null(theme_load("custom", err, sizeof err));
    assert_non_null(strstr(err, "no theme named 'custom'"));
    theme_names_free(NULL);
}

/* ---- degrading ---- */

static void test_degrade(void **state)
{
    theme_style s = {
        .fg = TH_RGB(0xff, 0, 0), .bg = TH_COLOR_DEFAULT, .attrs = TH_ATTR_BOLD, .set = true};
    theme_style d = theme_degrade(s, TH_DEPTH_256);
    assert_int_equal(d.fg, 196);
    assert_int_equal(d.bg, TH_COLOR_DEFAULT);
    assert_int_equal(d.attrs, TH_ATTR_BOLD);
    assert_true(d.set);
    assert_int_equal(theme_degrade(s, TH_DEPTH_16).fg, 9);
    assert_int_equal(theme_degrade(s, TH_DEPTH_TRUE).fg, s.fg);
    d = theme_degrade(s, TH_DEPTH_MONO);
    assert_int_equal(d.fg, TH_COLOR_DEFAULT);
    assert_int_equal(d.attrs, TH_ATTR_BOLD);

    static const struct {
        int from;
        theme_depth to;
        int want;
    } cases[] = {
        {196, TH_DEPTH_16, 9},
        {TH_RGB(0x5f, 0xaf, 0xff), TH_DEPTH_256, 75},
        {TH_RGB(0, 0, 0), TH_DEPTH_256, 16},
        {TH_RGB(0xff, 0xff, 0xff), TH_DEPTH_256, 231},
        {TH_RGB(0x80, 0x80, 0x80), TH_DEPTH_256, 244},
        {TH_RGB(0x08, 0x08, 0x08), TH_DEPTH_256, 232},
        {TH_RGB(0x76, 0x76, 0x76), TH_DEPTH_256, 243},
        {TH_RGB(0x12, 0x34, 0x56), TH_DEPTH_256, 23},
        {TH_RGB(0, 0, 0xee), TH_DEPTH_16, 4},
        {231, TH_DEPTH_16, 15},
        {16, TH_DEPTH_16, 0},
        {244, TH_DEPTH_16, 8},
        {250, TH_DEPTH_16, 7},
        {5, TH_DEPTH_256, 5},
        {5, TH_DEPTH_16, 5},
        {200, TH_DEPTH_256, 200},
        {200, TH_DEPTH_TRUE, 200},
        {5, TH_DEPTH_MONO, TH_COLOR_DEFAULT},
        {200, TH_DEPTH_MONO, TH_COLOR_DEFAULT},
        {TH_COLOR_DEFAULT, TH_DEPTH_16, TH_COLOR_DEFAULT},
        {TH_COLOR_DEFAULT, TH_DEPTH_MONO, TH_COLOR_DEFAULT},
        /* Not colours at all: the terminal's own rather than garbage. */
        {-7, TH_DEPTH_16, TH_COLOR_DEFAULT},
        {300, TH_DEPTH_16, TH_COLOR_DEFAULT},
        {0x7000000, TH_DEPTH_256, TH_COLOR_DEFAULT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        theme_style c = {.fg = cases[i].from, .bg = cases[i].from};
        d = theme_degrade(c, cases[i].to);
        if (d.fg != cases[i].want || d.bg != cases[i].want)
            fail_msg("case %zu: %#x to depth %d gave %d, expected %d", i, cases[i].from,
                     cases[i].to, d.fg, cases[i].want);
    }

    /* The nearest by squared distance: cube or grey ramp at 256, xterm's 16 at 16. */
    for (int r = 0; r < 256; r += 15) {
        for (int g = 0; g < 256; g += 15) {
            for (int b = 0; b < 256; b += 15) {
                int rgb[3] = {r, g, b};
                theme_style c = {.fg = TH_RGB(r, g, b), .bg = TH_RGB(r, g, b)};
                int to256 = theme_degrade(c, TH_DEPTH_256).fg;
                assert_in_range(to256, 16, 255);
                for (int k = 16; k < 256; k++)
                    assert_true(dist(to256, rgb) <= dist(k, rgb));
                int to16 = theme_degrade(c, TH_DEPTH_16).fg;
                assert_in_range(to16, 0, 15);
                for (int k = 0; k < 16; k++)
                    assert_true(dist(to16, rgb) <= dist(k, rgb));
                /* 256 colours go to 16 by their own RGB. */
                theme_style c256 = {.fg = to256, .bg = TH_COLOR_DEFAULT};
                int rgb256[3];
                rgb_of(to256, rgb256);
                int via = theme_degrade(c256, TH_DEPTH_16).fg;
                for (int k = 0; k < 16; k++)
                    assert_true(dist(via, rgb256) <= dist(k, rgb256));
            }
        }
    }
}

static void test_names_and_edges(void **state)
{
    assert_string_equal(theme_element_name(TH_UI_DEFAULT), "ui.default");
    assert_string_equal(theme_element_name(TH_OUT_FOUND), "outcome.found");
    assert_string_equal(theme_element_name(TH_OUT_NOT_FOUND), "outcome.not-found");
    assert_string_equal(theme_element_name(TH_STATE_UNREACHABLE), "state.unreachable");
    assert_string_equal(theme_element_name(TH_SYM_UNMATCHED), "symbols.unmatched");
    assert_string_equal(theme_element_name(TH_COUNT), "unknown");
    for (int a = 0; a < TH_COUNT; a++)
        for (int b = a + 1; b < TH_COUNT; b++)
            assert_string_not_equal(theme_element_name(a), theme_element_name(b));

    theme_style n = theme_style_of(NULL, TH_TITLE);
    assert_int_equal(n.fg, TH_COLOR_DEFAULT);
    assert_int_equal(n.bg, TH_COLOR_DEFAULT);
    theme *t = theme_default();
    n = theme_style_of(t, TH_COUNT);
    assert_int_equal(n.fg, TH_COLOR_DEFAULT);
    assert_int_equal(n.attrs, 0);
    theme_free(t);
    theme_free(NULL);
}

/* ---- setup ---- */

static int setup(void **state)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmp, sizeof tmp, "%s/test_theme.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmp)) {
        fprintf(stderr, "mkdtemp %s: %s\n", tmp, strerror(errno));
        return -1;
    }
    /* Nothing from the user's own configuration. */
    setenv("SYMSCOPE_THEME_DIR", tpath("nowhere"), 1);
    setenv("XDG_CONFIG_HOME", tpath("nowhere"), 1);
    setenv("HOME", tpath("nowhere"), 1);
    return 0;
}

static int teardown(void **state)
{
    rm_rf(tmp);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtins_load_and_resolve),
        cmocka_unit_test(test_builtin_details),
        cmocka_unit_test(test_fallbacks),
        cmocka_unit_test(test_colour_forms),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_mangled_files),
        cmocka_unit_test(test_search_path),
        cmocka_unit_test(test_degrade),
        cmocka_unit_test(test_names_and_edges),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
