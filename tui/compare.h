/* `symscope find --compare`: the three profiles' attempt sequences side by side. */
#ifndef SYMSCOPE_COMPARE_H
#define SYMSCOPE_COMPARE_H

#include <stddef.h>

#include "options.h"

#define COMPARE_PROFILES 3

/* Searches each module under native, documented and wine8 (dry runs) and prints the three
 * sequences in aligned columns (rows that differ marked '*') and each winner; JSON with
 * o->json. columns: the terminal's width. Returns 0, or 2 when a module cannot be read. */
int compare_modules(const common_opts *o, char **modules, int n, size_t columns);

#endif
