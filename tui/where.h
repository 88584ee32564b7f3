/* Every place where a module's symbol file would be found, in search order (`symscope where`
 * and the terminal UI's where view): a session in plan mode lists them and looks in none. */
#ifndef SYMSCOPE_WHERE_H
#define SYMSCOPE_WHERE_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"

typedef struct where_place {
    sym_step step;
    int element;
    char *rule, *location, *local; /* local: NULL when the place maps to no local path */
} where_place;

typedef struct where_result {
    char *module, *file, *key, *profile;
    where_place *places;
    size_t n;
    int first_local; /* index of the first local place that is not skipped; -1 when none */
} where_result;

/* The places of module m from a session in plan mode (copied). */
void where_collect(const sym_session *s, const sym_module_info *m, where_result *out);
/* Loads module into a session of its own made from o, in plan mode: nothing is read, asked or
 * written, and no other session changes. false when it cannot be read (err says why). */
bool where_module(const common_opts *o, const char *module, where_result *out, char *err,
                  size_t err_size);
/* The text `symscope where` prints, names from files escaped; malloc'd. */
char *where_text(const where_result *r);
void where_free(where_result *r);

#endif
