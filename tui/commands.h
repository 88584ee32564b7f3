/* The subcommands of the symscope program. Each returns the process exit status:
 * 0 all good, 1 something not found or unmatched, 2 bad usage or unreadable input. */
#ifndef SYMSCOPE_TUI_COMMANDS_H
#define SYMSCOPE_TUI_COMMANDS_H

#define EXIT_USAGE 2
#define EXIT_SOFTWARE 70 /* a defect in symscope itself (sysexits.h) */

int cmd_cache(int argc, char **argv);
int cmd_find(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_path(int argc, char **argv);
int cmd_where(int argc, char **argv);
int cmd_tui(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_scenario(int argc, char **argv);
int cmd_learn(int argc, char **argv);

#endif
