/* Ctrl-C: see interrupt.h. */
#include "interrupt.h"

static void *interrupt_watch(void *p)
{
    interrupt *w = p;
    int sig;
    if (sigwait(&w->set, &sig) == 0 && !atomic_load(&w->done)) {
        atomic_store(&w->hit, true);
        sym_session_cancel(w->s, 0);
    }
    return NULL;
}

bool interrupt_start(interrupt *w, sym_session *s)
{
    w->s = s;
    atomic_init(&w->done, false);
    atomic_init(&w->hit, false);
    sigemptyset(&w->set);
    sigaddset(&w->set, SIGINT);
    if (pthread_sigmask(SIG_BLOCK, &w->set, NULL) != 0)
        return false;
    return pthread_create(&w->thread, NULL, interrupt_watch, w) == 0;
}

void interrupt_stop(interrupt *w)
{
    atomic_store(&w->done, true);
    pthread_kill(w->thread, SIGINT);
    pthread_join(w->thread, NULL);
    pthread_sigmask(SIG_UNBLOCK, &w->set, NULL);
}

bool interrupt_hit(interrupt *w)
{
    return atomic_load(&w->hit);
}
