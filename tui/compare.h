/* The three profiles side by side: each module searched under native, documented and wine8
 * as dry runs. `symscope find --compare` prints it; the terminal UI's side-by-side view shows
 * the same text. */
#ifndef SYMSCOPE_COMPARE_H
#define SYMSCOPE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"

#define COMPARE_PROFILES 3

extern const sym_profile compare_order[COMPARE_PROFILES];

/* One profile's run of one module: its attempts (copied, shown safely) and its winner. */
typedef struct compare_run {
    char **where; /* "location  outcome" */
    char **loc;   /* location, for comparing rows */
    size_t n;
    char *result; /* symbols and file */
    bool ok;
} compare_run;

typedef struct compare_result {
    compare_run runs[COMPARE_PROFILES]; /* in compare_order */
    size_t rows;                        /* the longest run */
} compare_result;

/* Searches module under each profile in a session of its own made from o (a dry run, with no
 * deferred loads): nothing is written, and no other session changes. false when the module
 * cannot be read (err says why). */
bool compare_module(const common_opts *o, const char *module, compare_result *out, char *err,
                    size_t err_size);
/* Whether row i (0-based) names different places in the profiles. */
bool compare_row_differs(const compare_result *r, size_t i);
/* The sequences in aligned columns of width characters (rows that differ marked '*'), then
 * each winner; malloc'd. */
char *compare_text(const compare_result *r, size_t width);
void compare_free(compare_result *r);

/* `symscope find --compare`: prints each module's comparison (JSON with o->json). columns:
 * the terminal's width. Returns 0, or 2 when a module cannot be read. */
int compare_modules(const common_opts *o, char **modules, int n, size_t columns);

#endif
