/* `symscope find`'s noisy log as the searches run. Modules are printed whole and in the order
 * their searches started: the module in front streams its lines as its attempts happen, the
 * others (searching at the same time, -j) are held until it is done. On a terminal, stderr
 * shows how far the run is (module k of n, and the rate). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "find_log.h"

typedef struct held {
    uint64_t base;
    bool done;
    char *text;
    size_t len, cap;
} held;

struct find_log {
    FILE *out;
    held *mods; /* in the order their searches started */
    size_t n, cap;
    size_t head; /* index of the module that streams */
    uint64_t current;
    size_t total, finished;
    bool noisy, progress, progress_shown;
    double t0, last;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

find_log *find_log_new(FILE *out, size_t total, bool noisy, bool progress)
{
    find_log *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->out = out;
    l->total = total;
    l->noisy = noisy;
    l->progress = progress;
    l->t0 = now_s();
    l->last = 0; /* the first module ending shows at once */
    return l;
}

static void progress_clear(find_log *l)
{
    if (l->progress_shown) {
        fputs("\r\033[K", stderr);
        l->progress_shown = false;
    }
}

static void progress_show(find_log *l, bool force)
{
    double t = now_s();
    if (!l->progress || (!force && t - l->last < 0.1))
        return;
    l->last = t;
    double rate = t > l->t0 ? (double)l->finished / (t - l->t0) : 0;
    fprintf(stderr, "\r\033[Kfind: module %zu of %zu, %.0f modules/s", l->finished, l->total, rate);
    l->progress_shown = true;
}

static held *held_of(find_log *l, uint64_t base)
{
    for (size_t i = l->n; i-- > l->head;)
        if (l->mods[i].base == base)
            return &l->mods[i];
    return NULL;
}

static void put(find_log *l, const char *text, size_t len)
{
    progress_clear(l);
    fwrite(text, 1, len, l->out);
}

/* A line of the noisy log, made safe first (a name cannot forge a line or drive the
 * terminal). */
static void add_shown_line(find_log *l, const char *line);

static void add_line(const char *raw, void *ctx)
{
    char *shown = sym_display_text(raw);
    add_shown_line(ctx, shown ? shown : "");
    free(shown);
}

static void add_shown_line(find_log *l, const char *line)
{
    size_t n = strlen(line);
    held *h = l->current ? held_of(l, l->current) : NULL;
    if (!h || h == &l->mods[l->head]) {
        put(l, line, n);
        put(l, "\n", 1);
        return;
    }
    if (h->len + n + 2 > h->cap) {
        size_t cap = (h->len + n + 2) * 2;
        char *t = realloc(h->text, cap);
        if (!t) {
            put(l, line, n); /* no memory: out of order rather than lost */
            put(l, "\n", 1);
            return;
        }
        h->text = t;
        h->cap = cap;
    }
    memcpy(h->text + h->len, line, n);
    h->text[h->len + n] = '\n';
    h->len += n + 1;
}

/* The module in front is done: the next ones print what they held, and the first still
 * searching streams from now on. */
static void advance(find_log *l)
{
    while (l->head < l->n && l->mods[l->head].done) {
        free(l->mods[l->head].text);
        l->mods[l->head].text = NULL;
        l->head++;
        if (l->head < l->n && l->mods[l->head].len) {
            put(l, l->mods[l->head].text, l->mods[l->head].len);
            l->mods[l->head].len = 0;
        }
    }
    fflush(l->out);
}

void find_log_listener(const sym_event *ev, void *ctx)
{
    find_log *l = ctx;
    uint64_t base = ev->module ? ev->module->base : 0;
    if (ev->kind == SYM_EV_SEARCH_BEGIN && ev->module && !held_of(l, base)) {
        if (l->n == l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 64;
            held *m = realloc(l->mods, cap * sizeof *m);
            if (m) {
                l->mods = m;
                l->cap = cap;
            }
        }
        if (l->n < l->cap)
            l->mods[l->n++] = (held){.base = base};
    }
    l->current = base;
    if (l->noisy)
        sym_noisy_format(ev, add_line, l);
    l->current = 0;
    if (ev->kind == SYM_EV_SEARCH_END && ev->module) {
        held *h = held_of(l, base);
        if (h)
            h->done = true;
        l->finished++;
        advance(l);
        progress_show(l, l->finished == l->total);
    }
}

size_t find_log_finished(const find_log *l)
{
    return l->finished;
}

void find_log_free(find_log *l)
{
    if (!l)
        return;
    /* Whatever is still held (an interrupted run) is printed, in order. */
    for (size_t i = l->head; i < l->n; i++)
        if (l->mods[i].len)
            put(l, l->mods[i].text, l->mods[i].len);
    progress_clear(l);
    for (size_t i = 0; i < l->n; i++)
        free(l->mods[i].text);
    free(l->mods);
    fflush(l->out);
    free(l);
}
