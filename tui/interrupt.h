/* Ctrl-C in the commands that search without the UI (find, scenario --check): a thread of
 * its own waits for SIGINT (blocked everywhere else) and cancels the session's searches; the
 * command then ends as it would, says it was interrupted, and exits 130. */
#ifndef SYMSCOPE_TUI_INTERRUPT_H
#define SYMSCOPE_TUI_INTERRUPT_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "symscope/symscope.h"

typedef struct interrupt {
    sym_session *s;
    sigset_t set;
    pthread_t thread;
    atomic_bool done, hit;
} interrupt;

/* False when the watch cannot be started (Ctrl-C then ends the process as usual). */
bool interrupt_start(interrupt *w, sym_session *s);
void interrupt_stop(interrupt *w);
/* Whether Ctrl-C was pressed. */
bool interrupt_hit(interrupt *w);

#endif
