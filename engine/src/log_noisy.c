/* The noisy log: events in DbgHelp's and SymSrv's own words (decisions.md 6, semantics.md
 * 1.10), in the older one-line-per-lookup style of the DbgHelp documentation. */
#include <inttypes.h>
#include <stdio.h>

#include "symscope/session.h"
#include "util.h"

static void line(sym_line_fn emit, void *ctx, const char *fmt, ...) SYM_PRINTF(3, 4);

static void line(sym_line_fn emit, void *ctx, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    emit(buf, ctx);
}

static const char *kind_word(sym_id_kind k)
{
    return k == SYM_ID_DBG ? "dbg" : k == SYM_ID_IMAGE ? "image" : "pdb";
}

static const char *detail_suffix(const sym_attempt *a, char *buf, size_t n)
{
    if (!a->detail || !a->detail[0])
        return "";
    snprintf(buf, n, " (%s)", a->detail);
    return buf;
}

static void attempt_lines(const sym_attempt *a, sym_line_fn emit, void *ctx)
{
    char d[1024];
    const char *why = detail_suffix(a, d, sizeof d);
    const char *loc = a->location ? a->location : "";
    switch (a->outcome) {
    case SYM_OUT_NOT_FOUND:
        if (a->symsrv) {
            /* One line per store: the compressed and pointer probes are not repeated. */
            if (strcmp(a->rule, "store") == 0 || a->detail[0])
                line(emit, ctx, "SYMSRV:  %s not found%s", loc,
                     strcmp(a->rule, "store-pointer") == 0 ? why : "");
        } else {
            /* DbgHelp says "file not found" whatever is missing; the attempt keeps why. */
            line(emit, ctx, "DBGHELP: %s - file not found", loc);
        }
        break;
    case SYM_OUT_FOUND:
        /* The copy and the final summary line say where it went and what it holds. */
        break;
    case SYM_OUT_MISMATCH:
        line(emit, ctx, "DBGHELP: %s - mismatched %s", loc, kind_word(a->expected.kind));
        break;
    case SYM_OUT_COPIED:
        line(emit, ctx, "SYMSRV:  %s from %s: %" PRIu64 " bytes - copied%s", a->file,
             a->source ? a->source : "?", a->bytes,
             strcmp(a->rule, "decompress") == 0 ? " (decompressed)" : "");
        break;
    case SYM_OUT_CACHED:
        line(emit, ctx, "DBGHELP: %s cached to %s", a->source ? a->source : "?", loc);
        break;
    case SYM_OUT_ALREADY_CACHED:
        line(emit, ctx, "DBGHELP: %s already cached", loc);
        break;
    case SYM_OUT_DENIED:
    case SYM_OUT_NETWORK:
    case SYM_OUT_SERVER_ERROR:
    case SYM_OUT_BAD_CONTENT:
    case SYM_OUT_SKIPPED:
    default:
        line(emit, ctx, "%s %s - %s%s", a->symsrv ? "SYMSRV: " : "DBGHELP:", loc,
             sym_outcome_name(a->outcome), why);
        break;
    }
}

static void result_lines(const sym_event *ev, sym_line_fn emit, void *ctx)
{
    const sym_module_info *m = ev->module;
    const char *image = m->image_name ? m->image_name : m->name;
    bool saw_mismatch = ev->text && strcmp(ev->text, "mismatch") == 0;
    if (m->unmatched)
        line(emit, ctx, "DBGHELP: Loaded mismatched %s for %s", kind_word(m->wanted.kind), image);
    else if (saw_mismatch && !m->file)
        line(emit, ctx, "DBGHELP: Couldn't load mismatched %s for %s", kind_word(m->wanted.kind),
             image);
    if (m->symbols == SYM_CLASS_NONE) {
        line(emit, ctx, "DBGHELP: %s - no symbols loaded", m->name);
        return;
    }
    line(emit, ctx, "DBGHELP: %s - %s", m->name, sym_symclass_name(m->symbols));
    if (m->location)
        line(emit, ctx, "        %s%s", m->location, m->unmatched ? " - unmatched" : "");
}

void sym_noisy_format(const sym_event *ev, sym_line_fn emit, void *ctx)
{
    switch (ev->kind) {
    case SYM_EV_PATH_SET:
        line(emit, ctx, "DBGHELP: Symbol Search Path: %s", ev->text ? ev->text : "");
        break;
    case SYM_EV_ATTEMPT:
        attempt_lines(ev->attempt, emit, ctx);
        break;
    case SYM_EV_SEARCH_END:
        result_lines(ev, emit, ctx);
        break;
    case SYM_EV_MODULE_UNLOADED:
        line(emit, ctx, "DBGHELP: %s - unloaded", ev->module->name);
        break;
    case SYM_EV_CLEANUP:
        line(emit, ctx, "DBGHELP: session cleaned up");
        break;
    case SYM_EV_MESSAGE:
        line(emit, ctx, "DBGHELP: %s", ev->text ? ev->text : "");
        break;
    case SYM_EV_MODULE_LOADED:
    case SYM_EV_SEARCH_BEGIN:
    default:
        break;
    }
}
