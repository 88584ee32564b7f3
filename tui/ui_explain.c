/* The explanations behind Enter: a module like WinDbg's lmvm (image, CodeView record, wanted
 * key, the winner and its rule, every mismatch with both identities, the fix), an attempt
 * (its step, element, rule and outcome), an element. The why and the fix come from the
 * engine (explain.h), so they read as `symscope find` says them. All texts are malloc'd. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symscope/explain.h"
#include "text_buf.h"
#include "ui.h"

/* A growing text. */
static void key_text(const sym_identity *id, char out[SYM_KEY_MAX])
{
    if (!sym_identity_key(id, out))
        strcpy(out, "-");
}

/* The engine's view of the copies: the same structures find reads from the session. */
static sym_attempt *as_attempts(const ui_mod *m)
{
    sym_attempt *att = calloc(m->n_att ? m->n_att : 1, sizeof *att);
    for (size_t i = 0; att && i < m->n_att; i++) {
        const ui_attempt *a = &m->att[i];
        att[i] = (sym_attempt){.n = a->n,
                               .step = a->step,
                               .element = a->element,
                               .store = a->store,
                               .rule = a->rule,
                               .location = a->location,
                               .local = a->local,
                               .file = m->m.wanted_file,
                               .outcome = a->outcome,
                               .expected = a->expected,
                               .found = a->found,
                               .bytes = a->bytes,
                               .ms = a->ms,
                               .detail = a->detail,
                               .symsrv = a->symsrv,
                               .http_status = a->http_status,
                               .source = a->source};
    }
    return att;
}

static sym_module_info as_module(const ui_mod *m)
{
    sym_module_info i = {0};
    i.name = m->m.name;
    i.image = m->m.image;
    i.image_name = m->m.image_name;
    i.base = m->m.base;
    i.size = m->m.size;
    i.state = m->m.state;
    i.wanted = m->m.wanted;
    i.wanted_file = m->m.wanted_file;
    i.cv_path = m->m.cv_path;
    i.symbols = m->m.symbols;
    i.unmatched = m->m.unmatched;
    i.file = m->m.file;
    i.location = m->m.location;
    i.element = m->m.element;
    i.step = m->m.step;
    i.n_attempts = m->n_att;
    memcpy(i.status_letters, m->m.letters, sizeof i.status_letters);
    return i;
}

void ui_module_why(const ui_mod *m, char *out, size_t n)
{
    sym_attempt *att = as_attempts(m);
    sym_module_info info = as_module(m);
    if (att)
        sym_explain_why(&info, att, m->n_att, out, n);
    else
        snprintf(out, n, "out of memory");
    free(att);
}

void ui_module_fix(const ui_mod *m, char *out, size_t n)
{
    sym_attempt *att = as_attempts(m);
    sym_module_info info = as_module(m);
    out[0] = '\0';
    if (!att)
        return;
    sym_fix fix;
    sym_explain_fix(&info, att, m->n_att, &fix);
    free(att);
    switch (fix.kind) {
    case SYM_FIX_TAKE_MISMATCH:
        snprintf(out, n, "f takes the mismatch (%s)", fix.text);
        break;
    case SYM_FIX_MAP:
        snprintf(out, n, "M maps %s to a directory (%s)", fix.arg, fix.text);
        break;
    case SYM_FIX_NONE:
        break;
    default:
        snprintf(out, n, "%s", fix.text);
        break;
    }
}

const char *ui_rule_text(const char *rule)
{
    static const struct {
        const char *rule, *text;
    } rules[] = {
        {"D", "the file directly in the element's directory (D\\file)"},
        {"D\\<ext>", "a sub-directory named after the image's extension (D\\dll\\file)"},
        {"D\\symbols\\<ext>", "symbols\\<ext> under the element (D\\symbols\\dll\\file)"},
        {"cv-path", "the PDB path recorded in the image's CodeView record"},
        {"image-dir", "the directory the image was loaded from"},
        {"store", "the store's key directory: <file>\\<key>\\<file>"},
        {"store-compressed", "the compressed file in the key directory (last character '_', a "
                             "CAB)"},
        {"store-pointer", "file.ptr in the key directory: PATH: to the file, or MSG: why not"},
        {"copy", "a copy into a store to the left of where it was found (downstream)"},
        {"decompress", "the compressed file expanded into the leftmost store"},
        {"download", "an HTTP download, verified and renamed into the downstream store"},
        {"cache", "a cache element to the left: what is found later is copied into it"},
        {"http", "GET <store>/<file>/<key>/<file> from the HTTP store"},
        {"http-compressed", "GET of the compressed name (file.pd_) from the HTTP store"},
        {"http-pointer", "GET of file.ptr from the HTTP store"},
        {"index2", "GET <store>/index2.txt, once per store per session: 200 makes it two-tier"},
        {"element", "the element as a whole"},
        {"cancel", "the search was cancelled"},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (rule && strcmp(rule, rules[i].rule) == 0)
            return rules[i].text;
    return "";
}

static const char *outcome_text(sym_outcome o)
{
    switch (o) {
    case SYM_OUT_FOUND:
        return "found: the identity matches what the module wants";
    case SYM_OUT_MISMATCH:
        return "mismatch: the right name, another identity (GUID/age, signature or "
               "timestamp/size); the search goes on";
    case SYM_OUT_NOT_FOUND:
        return "not found";
    case SYM_OUT_DENIED:
        return "denied: permission denied, or HTTP 401/403";
    case SYM_OUT_NETWORK:
        return "network: DNS, connect, TLS, reset, timeout or a cut transfer";
    case SYM_OUT_SERVER_ERROR:
        return "server error: HTTP 5xx or 429, after retries";
    case SYM_OUT_BAD_CONTENT:
        return "bad content: not a symbol file (an HTML page, truncated, too large)";
    case SYM_OUT_SKIPPED:
        return "skipped: unmapped drive, disabled, offline, remembered miss, cancelled";
    case SYM_OUT_COPIED:
        return "copied into a downstream store";
    case SYM_OUT_CACHED:
        return "copied into a cache element (cached to)";
    case SYM_OUT_ALREADY_CACHED:
        return "already in the cache";
    default:
        return "";
    }
}

char *ui_explain_attempt(const ui_state *u, const ui_mod *m, const ui_attempt *a)
{
    text_buf t = {0};
    char want[SYM_KEY_MAX], have[SYM_KEY_MAX];
    key_text(&a->expected, want);
    key_text(&a->found, have);
    text_add(&t, "Module: %s wants %s, key %s\n", m->m.name ? m->m.name : "?",
             m->m.wanted_file ? m->m.wanted_file : "?", want);
    text_add(&t,
             "Step: %s: %s (profile %s searches cv-path, element and image-dir in its own order)\n",
             sym_step_name(a->step),
             a->step == SYM_STEP_CV_PATH     ? "the PDB path recorded in the image"
             : a->step == SYM_STEP_IMAGE_DIR ? "the image's own directory"
                                             : "an element of the symbol path, left to right",
             sym_profile_name(u->profile));
    if (a->element >= 0 && (size_t)a->element < u->n_el) {
        const ui_element *e = &u->el[a->element];
        char store[32] = "";
        if (a->store >= 0)
            snprintf(store, sizeof store, ", store %d", a->store);
        text_add(&t, "Element: %d: %s (%s element, from %s%s)\n", a->element, e->text,
                 sym_elem_kind_name(e->kind), sym_elem_source_name(e->source), store);
    } else {
        text_add(&t, "Element: none\n");
    }
    text_add(&t, "Rule: %s - %s\n", a->rule ? a->rule : "", ui_rule_text(a->rule));
    text_add(&t, "Location: %s\n", a->location ? a->location : "");
    text_add(&t, "Local path: %s\n", a->local ? a->local : "(none: not a local path)");
    text_add(&t, "Outcome: %s\n", outcome_text(a->outcome));
    if (a->detail && a->detail[0])
        text_add(&t, "Detail: %s\n", a->detail);
    text_add(&t, "Found identity: %s\n", have);
    if (a->http_status)
        text_add(&t, "HTTP status: %d\n", a->http_status);
    text_add(&t, "Bytes: %" PRIu64 ", time: %.2f ms", a->bytes, a->ms);
    if (a->source)
        text_add(&t, "\nFrom: %s", a->source);
    return text_take(&t);
}

char *ui_explain_module(const ui_state *u, const ui_mod *m)
{
    (void)u;
    text_buf t = {0};
    char want[SYM_KEY_MAX], why[2048], fix[2048];
    key_text(&m->m.wanted, want);
    ui_module_why(m, why, sizeof why);
    ui_module_fix(m, fix, sizeof fix);
    text_add(&t, "Module name:  %s\n", m->m.name ? m->m.name : "?");
    text_add(&t, "State:        %s%s%s\n", sym_module_state_name(m->m.state),
             m->stale ? " (a cancelled search did not reach it: previous result)" : "",
             m->changed ? " (its winner changed at the last search)" : "");
    text_add(&t, "Image:        %s\n",
             m->m.image        ? m->m.image
             : m->m.image_name ? m->m.image_name
                               : "-");
    text_add(&t, "Base:         %016" PRIx64 ", size %08x\n", m->m.base, m->m.size);
    text_add(&t, "CodeView:     %s\n", m->m.cv_path ? m->m.cv_path : "(no PDB path in the image)");
    text_add(&t, "Wanted:       %s, %s key %s\n", m->m.wanted_file ? m->m.wanted_file : "-",
             sym_id_kind_name(m->m.wanted.kind), want);
    text_add(&t, "Symbols:      %s%s\n", sym_symclass_name(m->m.symbols),
             m->m.unmatched ? " - unmatched (M: a mismatched file was taken)" : "");
    if (m->m.file) {
        const ui_attempt *win = NULL;
        for (size_t i = 0; i < m->n_att; i++)
            if (m->att[i].outcome == SYM_OUT_FOUND ||
                (m->m.unmatched && m->att[i].outcome == SYM_OUT_MISMATCH))
                win = &m->att[i];
        text_add(&t, "Loaded from:  %s\n", m->m.location ? m->m.location : m->m.file);
        if (m->m.location && strcmp(m->m.location, m->m.file) != 0)
            text_add(&t, "Local file:   %s\n", m->m.file);
        if (m->m.element >= 0)
            text_add(&t, "Supplied by:  element %d (%s step)\n", m->m.element,
                     sym_step_name(m->m.step));
        else
            text_add(&t, "Supplied by:  the %s step\n", sym_step_name(m->m.step));
        if (win)
            text_add(&t, "Rule:         attempt %u, %s - %s\n", win->n, win->rule ? win->rule : "",
                     ui_rule_text(win->rule));
    }
    text_add(&t, "Why:          %s\n", why);
    if (fix[0])
        text_add(&t, "Fix:          %s\n", fix);
    size_t mism = 0;
    for (size_t i = 0; i < m->n_att; i++)
        mism += m->att[i].outcome == SYM_OUT_MISMATCH;
    text_add(&t, "\nAttempts: %zu, mismatches: %zu\n", m->n_att, mism);
    for (size_t i = 0; i < m->n_att; i++) {
        const ui_attempt *a = &m->att[i];
        if (a->outcome != SYM_OUT_MISMATCH)
            continue;
        char have[SYM_KEY_MAX];
        key_text(&a->found, have);
        text_add(&t, "  mismatch at %s\n    wants %s\n    found %s\n",
                 a->location ? a->location : "?", want, have);
    }
    text_add(&t, "\nEvery attempt (n step el outcome rule location):\n");
    for (size_t i = 0; i < m->n_att; i++) {
        const ui_attempt *a = &m->att[i];
        text_add(&t, "  %3u %-9s %2d %-14s %-16s %s%s%s\n", a->n, sym_step_name(a->step),
                 a->element, sym_outcome_name(a->outcome), a->rule ? a->rule : "",
                 a->location ? a->location : "", a->detail && a->detail[0] ? "  - " : "",
                 a->detail ? a->detail : "");
    }
    return text_take(&t);
}

char *ui_explain_element(const ui_state *u, const ui_element *e)
{
    text_buf t = {0};
    const ui_counter *c = ui_counter_of(u, e->text);
    text_add(&t,
             "Text: %s\nKind: %s\nFrom: %s\nState: %s%s%s\nEnabled: %s\nStores: %s\n"
             "This session: %u hits, %u misses\n\nExpanded path: %s",
             e->text, sym_elem_kind_name(e->kind), sym_elem_source_name(e->source),
             sym_elem_state_name(e->state), e->reason ? " - " : "", e->reason ? e->reason : "",
             e->enabled ? "yes" : "no (Space enables it)",
             e->stores && e->stores[0] ? e->stores : "(a plain directory)", c ? c->hits : 0,
             c ? c->misses : 0, u->expanded ? u->expanded : "");
    if (e->lint)
        text_add(&t, "\n\nPath lint (%d finding%s, each with its fix):\n%s", e->n_lint,
                 e->n_lint == 1 ? "" : "s", e->lint);
    else
        text_add(&t, "\n\nPath lint: nothing to say about this element.");
    if (u->path_lint)
        text_add(&t, "\nThe path as a whole:\n%s", u->path_lint);
    return text_take(&t);
}
