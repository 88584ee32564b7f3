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

static const char *wininet_status(int status)
{
    switch (status) {
    case 200:
        return "HTTP_STATUS_OK";
    case 301:
        return "HTTP_STATUS_MOVED";
    case 302:
        return "HTTP_STATUS_REDIRECT";
    case 400:
        return "HTTP_STATUS_BAD_REQUEST";
    case 401:
        return "HTTP_STATUS_DENIED";
    case 403:
        return "HTTP_STATUS_FORBIDDEN";
    case 404:
        return "HTTP_STATUS_NOT_FOUND";
    case 410:
        return "HTTP_STATUS_GONE";
    case 429:
        return "HTTP_STATUS_TOO_MANY_REQUESTS";
    case 500:
        return "HTTP_STATUS_SERVER_ERROR";
    case 502:
        return "HTTP_STATUS_BAD_GATEWAY";
    case 503:
        return "HTTP_STATUS_SERVICE_UNAVAIL";
    case 504:
        return "HTTP_STATUS_GATEWAY_TIMEOUT";
    default:
        return "HTTP_STATUS";
    }
}

/* The request path of a URL, as SymSrv prints it ("/download/symbols/..."). */
static const char *url_path(const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : NULL;
    return p ? p : url;
}

/* SymSrv's HTTP lines: the request, then what WinINet said. */
static void http_lines(const sym_attempt *a, sym_line_fn emit, void *ctx)
{
    char d[1024];
    const char *why = detail_suffix(a, d, sizeof d);
    const char *loc = a->location ? a->location : "";
    if (a->outcome == SYM_OUT_SKIPPED && a->http_status == 0) {
        line(emit, ctx, "SYMSRV:  %s - skipped%s", loc, why);
        return;
    }
    line(emit, ctx, "SYMSRV:  HTTPGET: %s", url_path(loc));
    if (a->http_status > 0)
        line(emit, ctx, "SYMSRV:  HttpQueryInfo: 8019%04X - %s", (unsigned)a->http_status,
             wininet_status(a->http_status));
    else
        line(emit, ctx, "SYMSRV:  HttpSendRequest: %s", a->detail ? a->detail : "failed");
    if (a->outcome == SYM_OUT_BAD_CONTENT || a->outcome == SYM_OUT_MISMATCH ||
        (a->outcome == SYM_OUT_NOT_FOUND && strcmp(a->rule, "http-pointer") == 0 &&
         a->http_status == 200))
        line(emit, ctx, "SYMSRV:  %s - %s%s", loc, sym_outcome_name(a->outcome), why);
}

static void attempt_lines(const sym_attempt *a, sym_line_fn emit, void *ctx)
{
    if (a->rule && (strncmp(a->rule, "http", 4) == 0 || strcmp(a->rule, "index2") == 0)) {
        http_lines(a, emit, ctx);
        return;
    }
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
