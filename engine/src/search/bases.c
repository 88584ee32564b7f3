/* The address ranges loaded modules occupy, sorted by base, so that finding a free base for
 * the 10,000th module that wants the same preferred base costs a binary search, not a walk
 * over every module loaded before it. */
#include <stdlib.h>

#include "search/session_internal.h"

#define BASE_ALIGN 0x10000ull

static uint64_t end_of(uint64_t base, uint64_t size)
{
    return base + (size ? size : 1);
}

/* The first range that ends after addr (ranges do not overlap, so ends are sorted too). */
static size_t first_ending_after(const sym_session *s, uint64_t addr)
{
    size_t lo = 0, hi = s->n_ranges;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->ranges[mid].end <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool bases_overlap(const sym_session *s, uint64_t base, uint64_t size)
{
    size_t i = first_ending_after(s, base);
    return i < s->n_ranges && s->ranges[i].base < end_of(base, size);
}

uint64_t bases_free(sym_session *s, uint64_t want, uint64_t size)
{
    uint64_t base = want ? want : 0x400000;
    /* Modules that want one base come one after another: start where the last one ended. */
    if (s->hint_want == base && s->hint_next > base)
        base = s->hint_next;
    for (size_t i = first_ending_after(s, base);
         i < s->n_ranges && s->ranges[i].base < end_of(base, size); i++)
        base = (s->ranges[i].end + BASE_ALIGN - 1) & ~(BASE_ALIGN - 1);
    s->hint_want = want ? want : 0x400000;
    s->hint_next = (end_of(base, size) + BASE_ALIGN - 1) & ~(BASE_ALIGN - 1);
    return base;
}

bool bases_add(sym_session *s, uint64_t base, uint64_t size, struct module *owner)
{
    if (!util_grow(&s->ranges, &s->cap_ranges, s->n_ranges + 1, sizeof *s->ranges))
        return false;
    size_t i = first_ending_after(s, base);
    memmove(&s->ranges[i + 1], &s->ranges[i], (s->n_ranges - i) * sizeof *s->ranges);
    s->ranges[i] = (base_range){base, end_of(base, size), owner};
    s->n_ranges++;
    return true;
}

void bases_remove(sym_session *s, uint64_t base)
{
    size_t i = first_ending_after(s, base);
    if (i < s->n_ranges && s->ranges[i].base == base) {
        memmove(&s->ranges[i], &s->ranges[i + 1], (s->n_ranges - i - 1) * sizeof *s->ranges);
        s->n_ranges--;
    }
    s->hint_want = s->hint_next = 0; /* a gap opened: the lowest free base is used again */
}

void bases_clear(sym_session *s)
{
    free(s->ranges);
    s->ranges = NULL;
    s->n_ranges = s->cap_ranges = 0;
    s->hint_want = s->hint_next = 0;
}

struct module *bases_owner(const sym_session *s, uint64_t base)
{
    size_t i = first_ending_after(s, base);
    return i < s->n_ranges && s->ranges[i].base == base ? s->ranges[i].owner : NULL;
}
