/* `symscope demo`: a sandbox in a temporary directory with real PE/PDB pairs, a plain
 * directory, a two-tier local store (with a compressed file and a pointer file), a cache and a
 * loopback HTTP symbol server the program runs itself. No network, no set-up; removed on
 * exit. The world is a built-in scenario (demo.yaml, built by scenario.c). */
#ifndef SYMSCOPE_TUI_DEMO_H
#define SYMSCOPE_TUI_DEMO_H

#include <stddef.h>

typedef struct demo demo;

typedef struct demo_mapping {
    const char *from; /* "C:" */
    const char *dir;
} demo_mapping;

/* Builds the sandbox and starts the server. NULL with a message in err on failure (nothing is
 * left behind). */
demo *demo_start(char *err, size_t err_size);
/* Stops the server and removes the sandbox. */
void demo_stop(demo *d);

const char *demo_dir(const demo *d);
/* The symbol path: every element kind, a mismatched PDB early on. */
const char *demo_sympath(const demo *d);
/* The home directory for the session (its default downstream store is <home>/sym). */
const char *demo_home(const demo *d);
/* Drive mappings the path needs. */
size_t demo_mappings(const demo *d, const demo_mapping **maps);
/* The modules to load (image paths and FILE/KEY notations). */
size_t demo_modules(const demo *d, const char *const **modules);
/* The loopback server's base URL, "http://127.0.0.1:PORT/symbols". */
const char *demo_url(const demo *d);

#endif
