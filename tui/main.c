/* symscope: subcommand dispatch. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "symscope/symscope.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"demo", cmd_demo, "the terminal UI on a built-in sandbox (no network, no set-up)"},
    {"scenario", cmd_scenario, "build a scenario file's world in a sandbox: open it, or --check"},
    {"learn", cmd_learn, "lessons, one per rule of the symbol path documentation"},
    {"path", cmd_path, "parse a symbol path and explain every element"},
    {"where", cmd_where, "every place a module's symbol file would be found, in order"},
    {"find", cmd_find, "find modules' symbol files, with every attempt (noisy log or JSON)"},
    {"cache", cmd_cache, "list, verify and prune downstream stores and caches"},
    {"inspect", cmd_inspect, "the identity of PE, PDB, .dbg, minidump and CAB files"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: symscope [OPTIONS] [MODULE...]   the terminal UI\n"
               "       symscope COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n  symscope COMMAND --help   options of a command\n"
               "  symscope --version\n");
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cmd_tui(argc, argv);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("symscope %s\n", sym_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    /* A scenario file: symscope FILE.yaml. */
    size_t len = strlen(argv[1]);
    if ((len > 5 && strcmp(argv[1] + len - 5, ".yaml") == 0) ||
        (len > 4 && strcmp(argv[1] + len - 4, ".yml") == 0)) {
        argv[0] = "scenario"; /* the options after the file are the scenario command's */
        return cmd_scenario(argc, argv);
    }
    /* Options or modules: the terminal UI. A word that is neither is a mistyped command. */
    if (argv[1][0] == '-' || strchr(argv[1], '/') || strchr(argv[1], '.'))
        return cmd_tui(argc, argv);
    fprintf(stderr, "symscope: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
