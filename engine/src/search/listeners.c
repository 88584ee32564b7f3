/* The session's listeners: every event goes to each, one event at a time. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "search/session_internal.h"

void session_emit(const sym_session *s, const sym_event *ev)
{
    /* Searches may run in parallel: listeners hear one event at a time. */
    pthread_mutex_t *lock = (pthread_mutex_t *)&s->emit_lock;
    sym_event e = *ev;
    e.profile = s->profile;
    pthread_mutex_lock(lock);
    for (size_t i = 0; i < s->n_listeners; i++)
        s->listeners[i].fn(&e, s->listeners[i].ctx);
    pthread_mutex_unlock(lock);
}

void session_emit_simple(const sym_session *s, sym_event_kind kind, const sym_module_info *m,
                         const char *text)
{
    sym_event ev = {.kind = kind, .session = s, .module = m, .text = text};
    session_emit(s, &ev);
}

int sym_session_add_listener(sym_session *s, sym_listener_fn fn, void *ctx)
{
    if (!fn ||
        !util_grow(&s->listeners, &s->cap_listeners, s->n_listeners + 1, sizeof *s->listeners))
        return -1;
    int id = ++s->next_listener_id;
    s->listeners[s->n_listeners++] = (listener){id, fn, ctx};
    return id;
}

void sym_session_remove_listener(sym_session *s, int id)
{
    for (size_t i = 0; i < s->n_listeners; i++)
        if (s->listeners[i].id == id) {
            memmove(&s->listeners[i], &s->listeners[i + 1],
                    (s->n_listeners - i - 1) * sizeof *s->listeners);
            s->n_listeners--;
            return;
        }
}
