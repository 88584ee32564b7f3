/* The options shared by the subcommands and the TUI (interface.md), the YAML configuration
 * file, and a session set up from both. */
#ifndef SYMSCOPE_TUI_OPTIONS_H
#define SYMSCOPE_TUI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "symscope/symscope.h"

struct option;

typedef struct map_opt {
    char *from, *dir;
} map_opt;

typedef struct common_opts {
    char *sympath; /* -y; NULL: the profile's default */
    bool have_profile;
    sym_profile profile;
    bool options[SYM_OPTION_COUNT];
    map_opt *maps;
    size_t n_maps, cap_maps;
    char *home;
    /* The session's _NT_SYMBOL_PATH and _NT_ALT_SYMBOL_PATH instead of the process's, when
     * set_env (a scenario's); NULL: unset. */
    bool set_env;
    char *env_symbol_path, *env_alt_symbol_path;
    char *config;
    int jobs;
    bool offline;
    bool json;
    char *theme;
    char *color; /* auto|always|never */
    /* HTTP settings from the configuration (strings owned); stores[] grows as read. */
    sym_http_settings http;
    sym_http_store_settings *http_stores;
    size_t cap_http_stores;
} common_opts;

/* getopt_long option table entries for the shared options; commands append their own. */
enum {
    OPT_SYMPATH = 'y',
    OPT_OPTION = 'o',
    OPT_JOBS = 'j',
    OPT_PROFILE = 0x100,
    OPT_MAP,
    OPT_HOME,
    OPT_CONFIG,
    OPT_OFFLINE,
    OPT_JSON,
    OPT_THEME,
    OPT_COLOR,
};

#define COMMON_LONG_OPTIONS                                                                        \
    {"sympath", required_argument, NULL, OPT_SYMPATH},                                             \
        {"profile", required_argument, NULL, OPT_PROFILE},                                         \
        {"option", required_argument, NULL, OPT_OPTION},                                           \
        {"map", required_argument, NULL, OPT_MAP}, {"home", required_argument, NULL, OPT_HOME},    \
        {"config", required_argument, NULL, OPT_CONFIG},                                           \
        {"offline", no_argument, NULL, OPT_OFFLINE},                                               \
    {                                                                                              \
        "json", no_argument, NULL, OPT_JSON                                                        \
    }
#define COMMON_SHORT_OPTIONS "y:o:j:"

#define COMMON_OPTIONS_HELP                                                                        \
    "  -y, --sympath PATH    the symbol path (default: the profile's, from the environment)\n"     \
    "  --profile NAME        native (default), documented or wine8\n"                              \
    "  -o, --option NAME     a SYMOPT by name (load_anything, exact_symbols, ...), repeatable\n"   \
    "  --map FROM=DIR        map a drive (C:) or share (\\\\server\\share) to DIR, repeatable\n"   \
    "  --home DIR            home directory; the default downstream store is DIR/sym\n"            \
    "  --config FILE         YAML configuration (mappings, defaults)\n"                            \
    "  -j N                  lookups in flight at once\n"                                          \
    "  --offline             no network: HTTP stores are skipped\n"

void common_opts_init(common_opts *o);
void common_opts_free(common_opts *o);

/* Handles one shared option; returns 0 when handled, 2 (usage) after printing why, -1 when
 * the option is not a shared one. */
int common_opts_handle(common_opts *o, int opt, const char *arg);

/* The command's own options: returns 0 when handled, 2 after printing why, -1 when c is not
 * one of them. */
typedef int (*own_option_fn)(int c, const char *arg, void *ctx);

/* getopt_long over the shared options and the command's own (opts must include the shared
 * ones and "help"). Returns 0 to go on (optind is at the operands), 1 when --help was shown
 * (the command exits 0), or 2 after printing the usage. */
int common_opts_parse(common_opts *o, int argc, char **argv, const struct option *opts,
                      void (*usage)(FILE *f), own_option_fn own, void *ctx);

/* Reads the YAML configuration named by --config (or $SYMSCOPE_CONFIG); values given on the
 * command line win. Returns 0, or 2 after printing a message with file, line and column. */
int common_opts_load_config(common_opts *o);

/* A session with the options applied and initialised with the path. Returns NULL after
 * printing why. */
sym_session *common_opts_session(const common_opts *o);

#endif
