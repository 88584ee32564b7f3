/* The noisy log: events in DbgHelp's and SymSrv's own words (decisions.md 6, semantics.md
 * 1.10), in the older one-line-per-lookup style of the DbgHelp documentation. */
#include <inttypes.h>
#include <stdio.h>
#include <strings.h>

#include "search/session_internal.h"
#include "stores/layout.h"
#include "symscope/session.h"
#include "util/util.h"

static void line(sym_line_fn emit, void *ctx, const char *fmt, ...) UTIL_PRINTF(3, 4);

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

/* ---- SymSrv 10's words (the native profile), as recorded in oracle/ ---- */

/* "HttpSendRequest: 800C2EFD - ERROR_INTERNET_CANNOT_CONNECT" from what libcurl said. */
static const char *wininet_error(const char *detail)
{
    if (detail && strstr(detail, "resolve"))
        return "800C2EE7 - ERROR_INTERNET_NAME_NOT_RESOLVED";
    if (detail && (strstr(detail, "imed out") || strstr(detail, "timeout")))
        return "800C2EE2 - ERROR_INTERNET_TIMEOUT";
    return "800C2EFD - ERROR_INTERNET_CANNOT_CONNECT";
}

/* The request as sent, from the path on ("/download/symbols/x.pdb/<key>/x.pdb"). */
static const char *request_path(const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 + strcspn(p + 3, "/?") : url;
    return *p ? p : "/";
}

static void native_attempt(const sym_attempt *a, sym_line_fn emit, void *ctx)
{
    const char *rule = a->rule ? a->rule : "";
    const char *loc = a->location ? a->location : "";
    const char *detail = a->detail ? a->detail : "";
    char buf[256];
    if (strcmp(rule, "quirk") == 0) {
        line(emit, ctx, "SYMSCOPE:  DbgHelp quirk: %s", detail);
        return;
    }
    if (a->outcome == SYM_OUT_SKIPPED && strncmp(detail, "dry run", 7) == 0) {
        line(emit, ctx, "SYMSCOPE:  %s", detail); /* symscope's own word: DbgHelp would copy */
        return;
    }
    if (strcmp(rule, "index2") == 0 || strncmp(rule, "http", 4) == 0) {
        if (a->outcome == SYM_OUT_SKIPPED && a->http_status == 0) {
            line(emit, ctx, "SYMSRV:  %s - skipped (%s)", loc, detail);
            return;
        }
        line(emit, ctx, "SYMSRV:  HTTPGET: %s", request_path(loc));
        if (a->http_status > 0)
            line(emit, ctx, "SYMSRV:  HttpQueryInfo: %08x - %s",
                 0x80190000u | (unsigned)a->http_status, wininet_status(a->http_status));
        else
            line(emit, ctx, "SYMSRV:  HttpSendRequest: %s", wininet_error(detail));
        return;
    }
    if (strcmp(rule, "download") == 0) {
        /* SymSrv animates a progress count with backspaces here; a log keeps the result. */
        line(emit, ctx, "SYMSRV:  %s from %s: %" PRIu64 " bytes - copied", a->file ? a->file : "",
             a->source ? a->source : "", a->bytes);
        return;
    }
    if (strcmp(rule, "decompress") == 0) {
        if (a->outcome == SYM_OUT_COPIED) {
            if (!layout_compressed_name(a->file ? a->file : "", buf, sizeof buf))
                buf[0] = '\0';
            line(emit, ctx, "SYMSRV:  %s from %s: uncompressed", buf, a->source ? a->source : "");
        }
        return;
    }
    if (strcmp(rule, "copy") == 0 || strcmp(rule, "expand-check") == 0)
        return; /* SymSrv copies between local stores without a word */
    if (strcmp(rule, "cache") == 0) {
        if (a->outcome == SYM_OUT_CACHED)
            line(emit, ctx, "DBGHELP: %s cached to %s", a->source ? a->source : "", loc);
        return;
    }
    if (a->symsrv) {
        if (strcmp(rule, "store-pointer") == 0 && a->outcome == SYM_OUT_FOUND) {
            line(emit, ctx, "SYMSRV:  The file.ptr file message is: %s", detail);
            if (a->local && strncasecmp(detail, "MSG:", 4) != 0)
                line(emit, ctx, "SYMSRV:  %s", loc);
        } else if (a->outcome == SYM_OUT_NOT_FOUND || a->outcome == SYM_OUT_DENIED ||
                   a->outcome == SYM_OUT_SKIPPED) {
            line(emit, ctx, "SYMSRV:  UNC: %s - %s", loc,
                 strcmp(detail, "file not found") == 0 ? "file not found" : "path not found");
        }
        return;
    }
    switch (a->outcome) {
    case SYM_OUT_FOUND:
        break;
    case SYM_OUT_MISMATCH:
        line(emit, ctx, "DBGHELP: %s - mismatched %s", loc, kind_word(a->expected.kind));
        break;
    case SYM_OUT_BAD_CONTENT:
        line(emit, ctx, "DBGHELP: ........ DIA E_PDB_FILE_SYSTEM error from 953");
        line(emit, ctx, "DBGHELP: %s - drive not ready", loc);
        break;
    default: {
        /* Looking for a .dbg, DbgHelp tells a missing directory apart. */
        const char *f = a->file ? a->file : "";
        size_t n = strlen(f);
        bool dbg = n > 4 && strcasecmp(f + n - 4, ".dbg") == 0;
        line(emit, ctx, "DBGHELP: %s - %s", loc,
             dbg && strcmp(detail, "directory not found") == 0 ? "path not found"
                                                               : "file not found");
        break;
    }
    }
}

static void native_result(const sym_event *ev, sym_line_fn emit, void *ctx)
{
    const sym_module_info *m = ev->module;
    const char *image = m->image ? m->image : m->image_name ? m->image_name : m->name;
    bool saw_mismatch = ev->text && strcmp(ev->text, "mismatch") == 0;
    bool loaded = m->symbols != SYM_CLASS_NONE && m->symbols != SYM_CLASS_EXPORT;
    if (m->unmatched)
        line(emit, ctx, "DBGHELP: Loaded mismatched %s for %s", kind_word(m->wanted.kind), image);
    else if (saw_mismatch && !loaded)
        line(emit, ctx, "DBGHELP: Couldn't load mismatched %s for %s", kind_word(m->wanted.kind),
             image);
    if (m->symbols == SYM_CLASS_NONE)
        line(emit, ctx, "DBGHELP: %s - no symbols loaded", m->name);
    else if (m->symbols == SYM_CLASS_EXPORT)
        line(emit, ctx, "DBGHELP: %s - export symbols", m->name);
    else {
        line(emit, ctx, "DBGHELP: %s - %s ", m->name, sym_symclass_name(m->symbols));
        line(emit, ctx, "        %s%s", m->location ? m->location : "",
             m->unmatched ? " - unmatched" : "");
    }
}

static void native_format(const sym_event *ev, sym_line_fn emit, void *ctx)
{
    switch (ev->kind) {
    case SYM_EV_ATTEMPT:
        native_attempt(ev->attempt, emit, ctx);
        break;
    case SYM_EV_STORE_QUERY: {
        char key[SYM_KEY_MAX] = "";
        sym_identity_key(&ev->module->wanted, key);
        line(emit, ctx, "SYMSRV:  BYINDEX: 0x%X", ev->code);
        line(emit, ctx, "         %s", ev->text ? ev->text : "");
        line(emit, ctx, "         %s", ev->module->wanted_file ? ev->module->wanted_file : "");
        line(emit, ctx, "         %s", key);
        break;
    }
    case SYM_EV_STORE_RESULT:
        if (ev->text)
            line(emit, ctx, "SYMSRV:  PATH: %s", ev->text);
        line(emit, ctx, "SYMSRV:  RESULT: 0x%08X", ev->code);
        break;
    case SYM_EV_SEARCH_END:
        native_result(ev, emit, ctx);
        break;
    default:
        return;
    }
}

void sym_noisy_format(const sym_event *ev, sym_line_fn emit, void *ctx)
{
    if (profile_get(ev->profile)->rules == PROFILE_RULES_SYMSRV10) {
        switch (ev->kind) {
        case SYM_EV_ATTEMPT:
        case SYM_EV_STORE_QUERY:
        case SYM_EV_STORE_RESULT:
        case SYM_EV_SEARCH_END:
            native_format(ev, emit, ctx);
            return;
        default:
            break;
        }
    }
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
