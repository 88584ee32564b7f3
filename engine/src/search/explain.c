/* The one-line why and the fix suggestion, from a module and its attempts (explain.h). Pure
 * functions of their arguments: the summary of `find` and the screen's copies give the same
 * words. */
#include "symscope/explain.h"

#include <stdio.h>
#include <string.h>

const char *sym_fix_kind_name(sym_fix_kind k)
{
    switch (k) {
#define SYM_X(e, name)                                                                             \
    case e:                                                                                        \
        return name;
        SYM_FIX_KIND_LIST(SYM_X)
#undef SYM_X
    }
    return "?";
}

/* The first attempts worth naming: what stopped the search from finding a match. */
typedef struct notable {
    const sym_attempt *mismatch, *denied, *skipped, *unmapped, *bad, *place, *quirk;
    size_t places; /* lookups: copies into stores are not places */
} notable;

static bool is_lookup(sym_outcome o)
{
    return o != SYM_OUT_COPIED && o != SYM_OUT_CACHED && o != SYM_OUT_ALREADY_CACHED;
}

static bool is_unmapped(const sym_attempt *a)
{
    return a->detail && strstr(a->detail, " is not mapped") &&
           (strncmp(a->detail, "drive ", 6) == 0 || strncmp(a->detail, "share ", 6) == 0);
}

static notable scan(const sym_attempt *att, size_t n)
{
    notable t = {0};
    const sym_attempt *dir = NULL, *any = NULL;
    for (size_t i = 0; i < n; i++) {
        const sym_attempt *a = &att[i];
        if (a->rule && strcmp(a->rule, "quirk") == 0) {
            /* Not a place: what DbgHelp gets wrong there, and the fix. */
            if (!t.quirk)
                t.quirk = a;
            continue;
        }
        t.places += is_lookup(a->outcome);
        if (a->outcome == SYM_OUT_MISMATCH && !t.mismatch)
            t.mismatch = a;
        else if (a->outcome == SYM_OUT_DENIED && !t.denied)
            t.denied = a;
        else if (a->outcome == SYM_OUT_SKIPPED && !t.skipped)
            t.skipped = a;
        else if (a->outcome == SYM_OUT_BAD_CONTENT && !t.bad)
            t.bad = a;
        if (a->outcome == SYM_OUT_SKIPPED && is_unmapped(a) && !t.unmapped)
            t.unmapped = a;
        /* Where the file would be found first: the leftmost local store's key directory,
         * else the first plain directory of the path. */
        if (a->outcome == SYM_OUT_NOT_FOUND && a->location && a->local) {
            if (!t.place && a->symsrv && a->rule && strcmp(a->rule, "store") == 0)
                t.place = a;
            if (!dir && a->step == SYM_STEP_ELEMENT && a->rule && strcmp(a->rule, "D") == 0)
                dir = a;
            if (!any)
                any = a;
        }
    }
    if (!t.place)
        t.place = dir ? dir : any;
    return t;
}

size_t sym_explain_why(const sym_module_info *m, const sym_attempt *att, size_t n, char *out,
                       size_t size)
{
    int w;
    if (m->state == SYM_MOD_UNLOADED)
        w = snprintf(out, size, "unloaded");
    else if (m->state == SYM_MOD_DEFERRED)
        w = snprintf(out, size, "deferred: not searched yet");
    else if (m->wanted.kind == SYM_ID_NONE && !(m->file && m->symbols != SYM_CLASS_EXPORT))
        w = snprintf(out, size, "the image names no symbol file (no CodeView or .dbg record)%s",
                     m->symbols == SYM_CLASS_EXPORT ? "; export symbols from the image" : "");
    else if (m->file && m->symbols != SYM_CLASS_EXPORT) {
        char where[64];
        if (m->element >= 0)
            snprintf(where, sizeof where, "element %d", m->element);
        else
            snprintf(where, sizeof where, "%s", sym_step_name(m->step));
        w = snprintf(out, size, "%s (%s)%s", m->location ? m->location : m->file, where,
                     m->unmatched ? " - unmatched" : "");
    } else {
        notable t = scan(att, n);
        const char *tail = m->symbols == SYM_CLASS_EXPORT ? "; export symbols from the image" : "";
        if (t.quirk) {
            w = snprintf(out, size, "DbgHelp quirk: %s%s", t.quirk->detail ? t.quirk->detail : "",
                         tail);
        } else if (t.mismatch) {
            char want[SYM_KEY_MAX], have[SYM_KEY_MAX];
            if (!sym_identity_key(&t.mismatch->expected, want))
                strcpy(want, "?");
            if (!sym_identity_key(&t.mismatch->found, have))
                strcpy(have, "?");
            w = snprintf(out, size, "mismatched %s at %s: wants %s, found %s%s",
                         m->wanted_file ? m->wanted_file : "?", t.mismatch->location, want, have,
                         tail);
        } else if (t.denied) {
            w = snprintf(out, size, "access denied: %s%s", t.denied->location, tail);
        } else if (t.bad) {
            w = snprintf(out, size, "bad file at %s: %s%s", t.bad->location,
                         t.bad->detail ? t.bad->detail : "", tail);
        } else if (t.skipped) {
            const sym_attempt *s = t.unmapped ? t.unmapped : t.skipped;
            w = snprintf(out, size, "not found in %zu places; skipped %s: %s%s", t.places,
                         s->location, s->detail ? s->detail : "", tail);
        } else if (t.places == 0) {
            w = snprintf(out, size, "nowhere to look: no element or step applies%s", tail);
        } else {
            w = snprintf(out, size, "not found in %zu places%s", t.places, tail);
        }
    }
    if (w < 0)
        return 0;
    return (size_t)w < size ? (size_t)w : (size ? size - 1 : 0);
}

/* "drive C: is not mapped ..." -> "C:"; "share \\s\x is not mapped ..." -> "\\s\x". */
static void unmapped_name(const char *detail, char *out, size_t size)
{
    const char *from = detail + 6;
    const char *end = strstr(from, " is not mapped");
    size_t len = end ? (size_t)(end - from) : strlen(from);
    snprintf(out, size, "%.*s", (int)len, from);
}

void sym_explain_fix(const sym_module_info *m, const sym_attempt *att, size_t n, sym_fix *out)
{
    out->kind = SYM_FIX_NONE;
    out->arg[0] = out->text[0] = '\0';
    if (m->state != SYM_MOD_LOADED)
        return;
    bool matched = m->file && m->symbols != SYM_CLASS_EXPORT && !m->unmatched;
    if (matched)
        return;
    if (m->wanted.kind == SYM_ID_NONE) {
        out->kind = SYM_FIX_NO_RECORD;
        snprintf(out->text, sizeof out->text,
                 "rebuild the image with debug information (/DEBUG) to get a CodeView record");
        return;
    }
    notable t = scan(att, n);
    if (t.quirk) {
        const char *fix = t.quirk->detail ? strstr(t.quirk->detail, "Fix: ") : NULL;
        out->kind = SYM_FIX_QUIRK;
        snprintf(out->arg, sizeof out->arg, "%s", t.quirk->location ? t.quirk->location : "");
        snprintf(out->text, sizeof out->text, "%s", fix ? fix + 5 : t.quirk->detail);
    } else if (t.mismatch && !m->unmatched) {
        out->kind = SYM_FIX_TAKE_MISMATCH;
        snprintf(out->arg, sizeof out->arg, "%s", t.mismatch->location);
        snprintf(out->text, sizeof out->text, "-o load_anything takes it");
    } else if (t.unmapped) {
        out->kind = SYM_FIX_MAP;
        unmapped_name(t.unmapped->detail, out->arg, sizeof out->arg);
        snprintf(out->text, sizeof out->text, "use --map %.2000s=DIR", out->arg);
    } else if (t.denied) {
        out->kind = SYM_FIX_ACCESS;
        snprintf(out->arg, sizeof out->arg, "%s", t.denied->location);
        snprintf(out->text, sizeof out->text, "make %.2000s readable", out->arg);
    } else if (t.bad) {
        out->kind = SYM_FIX_REPLACE;
        snprintf(out->arg, sizeof out->arg, "%s", t.bad->location);
        snprintf(out->text, sizeof out->text, "replace or remove %.2000s", out->arg);
    } else if (t.place) {
        out->kind = SYM_FIX_PLACE;
        snprintf(out->arg, sizeof out->arg, "%s", t.place->location);
        snprintf(out->text, sizeof out->text, "place %s%s at %.1900s",
                 m->unmatched ? "the matching " : "it", m->unmatched ? "file" : "", out->arg);
    }
}
