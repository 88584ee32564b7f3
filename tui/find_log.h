/* `symscope find`'s output while the searches run: the noisy log, streamed in module order,
 * and the progress on stderr. A listener of the engine's events. */
#ifndef SYMSCOPE_FIND_LOG_H
#define SYMSCOPE_FIND_LOG_H

#include <stdbool.h>
#include <stdio.h>

#include "symscope/symscope.h"

typedef struct find_log find_log;

/* noisy: print the noisy log to out; progress: show "module k of n" on stderr. */
find_log *find_log_new(FILE *out, size_t total, bool noisy, bool progress);
void find_log_listener(const sym_event *ev, void *ctx);
/* How many modules' searches ended. */
size_t find_log_finished(const find_log *l);
/* Prints what is still held and clears the progress line. */
void find_log_free(find_log *l);

#endif
