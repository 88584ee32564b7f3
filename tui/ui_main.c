/* `symscope [OPTIONS] [MODULE...]` and `symscope demo`: the terminal UI's loop. It polls the
 * keyboard and the engine's event pipe, so the screen never waits for the engine. */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "demo.h"
#include "options.h"
#include "ui.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void ui_set_message(ui_state *u, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->message, sizeof u->message, fmt, ap);
    va_end(ap);
    u->message_error = error;
}

/* Takes queued engine events into the model. Only the loop calls it, between keys: no
 * handler holds a pointer into the model while events change it. */
static ui_redraw pump(ui_state *u)
{
    ui_redraw r = UI_REDRAW_NONE;
    ui_event *ev = bridge_take(u->b);
    while (ev) {
        ui_event *next = ev->next;
        r |= ui_apply(u, ev);
        ui_event_free(ev);
        ev = next;
    }
    return r;
}

static void usage(FILE *f, bool for_demo)
{
    if (for_demo)
        fputs("usage: symscope demo [OPTIONS]\n"
              "  The terminal UI on a sandbox built in a temporary directory: real PE/PDB pairs,\n"
              "  a plain directory, a two-tier store with a compressed file and a pointer, a\n"
              "  cache and a loopback HTTP symbol server. No network; removed on exit.\n\n",
              f);
    else
        fputs("usage: symscope [OPTIONS] [MODULE...]\n"
              "  The terminal UI, with MODULEs loaded (images, minidumps, FILE/KEY).\n\n",
              f);
    fputs(COMMON_OPTIONS_HELP
          "  --theme NAME|FILE     a theme (default, light, high-contrast, mono, or a YAML file)\n"
          "  --color WHEN          auto (default), always or never; NO_COLOR is honoured\n"
          "  --no-mouse            do not take mouse clicks\n"
          "  --step                step mode from the start: the engine waits before each\n"
          "                        attempt (s steps, E ends the module, A runs all, S stops)\n"
          "Keys: ? or F1 in the program lists them all.\n",
          f);
}

static void usage_tui(FILE *f)
{
    usage(f, false);
}

static void usage_demo(FILE *f)
{
    usage(f, true);
}

/* The TUI's own options (the theme and colour ones are shared). */
typedef struct tui_flags {
    bool mouse;
    bool step;
} tui_flags;

enum { OPT_NO_MOUSE = 0x300, OPT_STEP };

static int tui_option(int c, const char *arg, void *ctx)
{
    (void)arg;
    tui_flags *f = ctx;
    if (c == OPT_NO_MOUSE)
        f->mouse = false;
    else if (c == OPT_STEP)
        f->step = true;
    else
        return -1;
    return 0;
}

/* The one loop: layout, draw, wait for a key or an engine event. Prompts, questions, menus
 * and views are modes of this loop, not loops of their own. */
static int run(ui_state *u)
{
    double key_at = 0;
    int status_h = 0;
    ui_redraw redraw = UI_REDRAW_ALL;
    while (!u->quit && !stop_requested) {
        if (redraw) {
            ui_layout_compute(u);
            /* Only the status line when that is all that changed and it keeps its height. */
            if (redraw == UI_REDRAW_STATUS && u->mode == UI_MODE_MAIN && !u->lay.too_small &&
                u->lay.status.h == status_h)
                ui_draw_status(u);
            else
                ui_draw(u);
            status_h = u->lay.status.h;
            refresh();
            if (key_at && u->timing) {
                fprintf(u->timing, "%.3f\n", now_ms() - key_at);
                fflush(u->timing);
            }
            key_at = 0;
            redraw = UI_REDRAW_NONE;
        }
        struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {bridge_fd(u->b), POLLIN, 0}};
        int n = poll(fds, 2, u->busy ? 250 : 1000);
        if (n > 0 && (fds[1].revents & POLLIN))
            redraw |= pump(u);
        int ch;
        while ((ch = getch()) != ERR) {
            key_at = now_ms();
            /* Keys act on the layout of the screen they were pressed on. */
            ui_layout_compute(u);
            redraw |= ui_mode_key(u, ch);
            if (ch == KEY_RESIZE)
                redraw = UI_REDRAW_ALL;
            if (u->quit)
                break;
        }
        if (u->busy)
            redraw |= UI_REDRAW_STATUS; /* the progress line moves */
        if (key_at && !redraw && u->timing)
            key_at = 0; /* a key that changed nothing: no redraw to time */
    }
    return 0;
}

static int tui(int argc, char **argv, bool demo_mode)
{
    static const struct option opts[] = {COMMON_LONG_OPTIONS,
                                         {"theme", required_argument, NULL, OPT_THEME},
                                         {"color", required_argument, NULL, OPT_COLOR},
                                         {"no-mouse", no_argument, NULL, OPT_NO_MOUSE},
                                         {"step", no_argument, NULL, OPT_STEP},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    common_opts o;
    common_opts_init(&o);
    tui_flags flags = {.mouse = true};
    int rc = common_opts_parse(&o, argc, argv, opts, demo_mode ? usage_demo : usage_tui, tui_option,
                               &flags);
    if (rc == 1) {
        common_opts_free(&o);
        return 0;
    }
    if (rc == 0)
        rc = common_opts_load_config(&o);
    if (rc != 0) {
        common_opts_free(&o);
        return rc;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "symscope: the terminal UI needs a terminal (the subcommands do not: "
                        "symscope --help)\n");
        common_opts_free(&o);
        return EXIT_USAGE;
    }
    /* `symscope --theme X demo`: the options came first, the word is still the demo. */
    if (!demo_mode && optind < argc && strcmp(argv[optind], "demo") == 0) {
        demo_mode = true;
        optind++;
    }
    demo *d = NULL;
    const char *const *modules = (const char *const *)argv + optind;
    size_t n_modules = (size_t)(argc - optind);
    if (demo_mode) {
        char err[512];
        d = demo_start(err, sizeof err);
        if (!d) {
            fprintf(stderr, "symscope demo: %s\n", err);
            common_opts_free(&o);
            return EXIT_USAGE;
        }
        free(o.sympath);
        o.sympath = strdup(demo_sympath(d));
        free(o.home);
        o.home = strdup(demo_home(d));
        const demo_mapping *maps;
        size_t nm = demo_mappings(d, &maps);
        for (size_t i = 0; i < nm; i++) {
            char arg[1024];
            snprintf(arg, sizeof arg, "%s=%s", maps[i].from, maps[i].dir);
            common_opts_handle(&o, OPT_MAP, arg);
        }
        n_modules = demo_modules(d, &modules);
    }
    rc = ui_open(&o, modules, n_modules, &(ui_start){.mouse = flags.mouse, .step = flags.step});
    demo_stop(d);
    common_opts_free(&o);
    return rc;
}

int ui_open(common_opts *opts, const char *const *modules, size_t n_modules, const ui_start *start)
{
    bool mouse = start->mouse;
    const char *side_title = start->side_title, *side_text = start->side_text;
    common_opts o = *opts; /* read only: the caller frees it */
    int rc;
    char conflict[512];
    if (ui_keys_conflict(conflict, sizeof conflict)) {
        fprintf(stderr, "symscope: the key table is wrong: %s\n", conflict);
        return EXIT_SOFTWARE;
    }
    sym_session *s = common_opts_session(&o);
    if (!s)
        return EXIT_USAGE;
    char theme_err[512] = "";
    theme *t = NULL;
    if (o.theme && !(t = theme_load(o.theme, theme_err, sizeof theme_err)))
        t = theme_default();
    if (!t)
        t = theme_default();

    setlocale(LC_ALL, "");
    ui_state u = {0};
    u.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    u.log_follow = true;
    for (size_t i = 0; i < o.n_maps; i++) {
        ui_mapping *m = realloc(u.maps, (u.n_maps + 1) * sizeof *m);
        if (!m)
            break;
        u.maps = m;
        u.maps[u.n_maps++] = (ui_mapping){strdup(o.maps[i].from), strdup(o.maps[i].dir)};
    }
    u.busy = true; /* until the engine says it is idle: loading the first modules */
    snprintf(u.busy_text, sizeof u.busy_text, "starting");
    u.mouse = mouse;
    if (side_text) {
        u.side_title = strdup(side_title ? side_title : "");
        u.side_text = strdup(side_text);
        u.side_on = true;
    }
    const char *timing = getenv("SYMSCOPE_TUI_TIMING");
    if (timing && *timing)
        u.timing = fopen(timing, "a");
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    signal(SIGPIPE, SIG_IGN);
    initscr();
    raw();
    noecho();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(100);
    curs_set(0);
    if (mouse)
        mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
    ui_color_init(&u, o.color);
    char note[256];
    ui_color_apply(&u, t, note, sizeof note);
    if (theme_err[0])
        ui_set_message(&u, true, "using the default theme: %s", theme_err);
    else if (note[0])
        ui_set_message(&u, false, "%s", note);
    u.step.on = start->step;
    u.b = bridge_start(s, &o, o.jobs > 0 ? o.jobs : 8, (char *const *)modules, n_modules,
                       start->step);
    if (!u.b) {
        endwin();
        fprintf(stderr, "symscope: cannot start the engine's thread\n");
        sym_session_free(s);
        return EXIT_USAGE;
    }
    rc = run(&u);
    ui_close_mode(&u); /* a view or menu left open by a signal */
    endwin();
    if (u.path_edited) {
        /* What was tried on screen, to run again. */
        char *cmd = ui_export_command(&u);
        if (cmd)
            printf("symscope: the path as edited, as a command line:\n%s\n", cmd);
        free(cmd);
    }
    bridge_stop(u.b);
    ui_model_free(&u);
    theme_free(u.theme);
    if (u.timing)
        fclose(u.timing);
    free(u.side_title);
    free(u.side_text);
    return rc;
}

int cmd_tui(int argc, char **argv)
{
    return tui(argc, argv, false);
}

int cmd_demo(int argc, char **argv)
{
    return tui(argc, argv, true);
}
