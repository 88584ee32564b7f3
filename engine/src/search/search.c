/* One module's search: walks the steps of the profile table (CodeView path, path elements,
 * image directory), asks directories and stores for candidates, matches each, and reports
 * every attempt as an event. The first exact match wins; with load_anything the first
 * mismatch in search order is taken when nothing matches. */
#include <stdio.h>
#include <stdlib.h>

#include "search/session_internal.h"
#include "stores/stores.h"

static char *own(const char *s)
{
    return s ? util_strdup(s) : NULL;
}

void attempts_clear(module *m)
{
    for (size_t i = 0; i < m->n_attempts; i++) {
        sym_attempt *a = &m->attempts[i];
        free((char *)a->rule);
        free((char *)a->location);
        free((char *)a->local);
        free((char *)a->file);
        free((char *)a->detail);
        free((char *)a->source);
    }
    free(m->attempts);
    m->attempts = NULL;
    m->n_attempts = m->cap_attempts = 0;
}

static void host_emit_begin(lookup *sr, sym_step step, int element, int store, const char *rule,
                            const char *location)
{
    sym_attempt a = {.n = (unsigned)sr->m->n_attempts + 1,
                     .step = step,
                     .element = element,
                     .store = store,
                     .rule = rule,
                     .location = location,
                     .file = sr->m->info.wanted_file,
                     .expected = sr->m->info.wanted,
                     .detail = ""};
    sym_event ev = {
        .kind = SYM_EV_ATTEMPT_BEGIN, .session = sr->s, .module = &sr->m->info, .attempt = &a};
    session_emit(sr->s, &ev);
}

static void host_emit(lookup *sr, sym_attempt *a)
{
    module *m = sr->m;
    a->n = (unsigned)m->n_attempts + 1;
    a->expected = m->info.wanted;
    if (!a->file)
        a->file = m->info.wanted_file;
    if (!a->detail)
        a->detail = "";
    if (!util_grow(&m->attempts, &m->cap_attempts, m->n_attempts + 1, sizeof *m->attempts))
        return;
    sym_attempt *copy = &m->attempts[m->n_attempts++];
    *copy = *a;
    copy->rule = own(a->rule);
    copy->location = own(a->location);
    copy->local = own(a->local);
    copy->file = own(a->file);
    copy->detail = own(a->detail);
    copy->source = own(a->source);
    m->info.n_attempts = m->n_attempts;
    sym_event ev = {.kind = SYM_EV_ATTEMPT, .session = sr->s, .module = &m->info, .attempt = copy};
    session_emit(sr->s, &ev);
}

void search_pass_begin(sym_session *s)
{
    if (s->dirs)
        fsdir_cache_begin(s->dirs);
}

static void host_event(lookup *sr, sym_event_kind kind, uint32_t code, const char *text)
{
    sym_event ev = {
        .kind = kind, .session = sr->s, .module = &sr->m->info, .text = text, .code = code};
    session_emit(sr->s, &ev);
}

static uint32_t host_next_call(lookup *sr)
{
    pthread_mutex_lock(&sr->s->lock);
    uint32_t n = ++sr->s->symsrv_calls;
    pthread_mutex_unlock(&sr->s->lock);
    return n;
}

static const char *host_scratch(lookup *sr)
{
    return session_scratch(sr->s);
}

static struct http_client *host_http_client(lookup *sr)
{
    return session_http_client(sr->s);
}

static http_store_state *host_http_store(lookup *sr, const char *url)
{
    return session_http_store(sr->s, url);
}

static const lookup_host search_host = {.emit_begin = host_emit_begin,
                                        .emit = host_emit,
                                        .event = host_event,
                                        .next_call = host_next_call,
                                        .scratch = host_scratch,
                                        .http_client = host_http_client,
                                        .http_store = host_http_store};

/* Tries one file: `name` inside the local directory `dir` (listed case-insensitively). */
static void try_file(lookup *sr, sym_step step, int element, const char *rule, const char *dir,
                     const char *name, const char *location)
{
    sym_attempt a = {.step = step,
                     .element = element,
                     .store = -1,
                     .rule = rule,
                     .location = location,
                     .file = name};
    lookup_emit_begin(sr, step, element, -1, rule, location);
    double t0 = util_now_ms();
    char *path = NULL, *detail = NULL;
    bool is_dir;
    fsdir_result r = dir ? lookup_find(sr, dir, name, &path, &is_dir) : FSDIR_NO_DIR;
    a.ms = util_now_ms() - t0;
    if (r != FSDIR_FOUND) {
        a.outcome = r == FSDIR_DENIED ? SYM_OUT_DENIED : SYM_OUT_NOT_FOUND;
        a.detail = r == FSDIR_NOT_FOUND ? "" : fsdir_result_text(r);
        if (!dir && sr->missing)
            a.detail = sr->missing;
        char *want = dir ? util_asprintf("%s/%s", dir, name) : NULL;
        a.local = want;
        lookup_emit(sr, &a);
        free(want);
        return;
    }
    a.local = path;
    if (is_dir) {
        a.outcome = SYM_OUT_NOT_FOUND;
        a.detail = "a directory of that name";
        lookup_emit(sr, &a);
        free(path);
        return;
    }
    sym_symclass symbols;
    bool cab;
    lookup_check(sr, path, &a, &symbols, &detail, &cab);
    if (cab && a.outcome == SYM_OUT_FOUND) {
        /* Only symbol stores hold compressed files; here it is just the wrong content. */
        a.outcome = SYM_OUT_BAD_CONTENT;
        free(detail);
        detail = util_strdup("a CAB (compressed) file; only symbol stores decompress");
    }
    if (detail)
        a.detail = detail;
    lookup_emit(sr, &a);
    if (a.outcome == SYM_OUT_FOUND)
        lookup_accept(sr, path, location, step, element, symbols);
    else if (a.outcome == SYM_OUT_MISMATCH)
        lookup_note_mismatch(sr, path, location, step, element, symbols);
    free(detail);
    free(path);
}

/* A standard element: D\file, then D\<ext>\file and D\symbols\<ext>\file where the profile
 * has them. `base` is the element in the user's notation, `dir` its local directory. */
static void search_standard(lookup *sr, sym_step step, int element, const char *base, char sep,
                            const char *dir, const char *file)
{
    const char *ext = sr->m->ext;
    char *loc = pathmap_join_notation(base, sep, file);
    try_file(sr, step, element, "D", dir, file, loc);
    free(loc);
    if (sr->done || !sr->pd->standard_subdirs || !ext || !*ext)
        return;
    /* D\<ext>: the subdirectory is itself found case-insensitively. */
    char *sub = NULL, *rel = NULL;
    bool is_dir = false;
    if (dir && lookup_find(sr, dir, ext, &sub, &is_dir) != FSDIR_FOUND)
        sub = NULL;
    rel = util_asprintf("%s%c%s", ext, sep, file);
    loc = pathmap_join_notation(base, sep, rel);
    char *want = dir ? util_asprintf("%s/%s", dir, ext) : NULL;
    try_file(sr, step, element, "D\\<ext>", sub && is_dir ? sub : want, file, loc);
    free(want);
    free(loc);
    free(rel);
    free(sub);
    if (sr->done)
        return;
    char *sym = NULL, *symext = NULL;
    if (dir && (lookup_find(sr, dir, "symbols", &sym, &is_dir) != FSDIR_FOUND || !is_dir)) {
        free(sym);
        sym = NULL;
    }
    if (sym && (lookup_find(sr, sym, ext, &symext, &is_dir) != FSDIR_FOUND || !is_dir)) {
        free(symext);
        symext = NULL;
    }
    rel = util_asprintf("symbols%c%s%c%s", sep, ext, sep, file);
    loc = pathmap_join_notation(base, sep, rel);
    want = dir ? util_asprintf("%s/symbols/%s", dir, ext) : NULL;
    try_file(sr, step, element, "D\\symbols\\<ext>", symext ? symext : want, file, loc);
    free(want);
    free(loc);
    free(rel);
    free(sym);
    free(symext);
}

static void emit_skip(lookup *sr, sym_step step, int element, const char *rule,
                      const char *location, const char *detail)
{
    sym_attempt a = {.step = step,
                     .element = element,
                     .store = -1,
                     .rule = rule,
                     .location = location,
                     .outcome = SYM_OUT_SKIPPED,
                     .detail = detail};
    lookup_emit(sr, &a);
}

/* DbgHelp 10 looks for a store layout in a plain directory D before D\x.pdb: when D\x.pdb
 * is a directory, it opens D\x.pdb\<key>\x.pdb (no pingme.txt needed, no other name). */
static void try_store_layout(lookup *sr, int element, const path_element *e)
{
    module *m = sr->m;
    const char *file = m->info.wanted_file;
    char *sub = NULL, *kd = NULL;
    bool is_dir = false;
    if (lookup_find(sr, e->d.local, file, &sub, &is_dir) != FSDIR_FOUND || !is_dir) {
        free(sub);
        return;
    }
    char key[SYM_KEY_MAX];
    sym_identity_key(&m->info.wanted, key);
    if (lookup_find(sr, sub, key, &kd, &is_dir) != FSDIR_FOUND || !is_dir) {
        free(kd);
        kd = util_asprintf("%s/%s", sub, key);
    }
    char *rel = util_asprintf("%s%c%s%c%s", file, e->sep, key, e->sep, file);
    char *loc = rel ? pathmap_join_notation(e->d.text, e->sep, rel) : NULL;
    if (loc && kd)
        try_file(sr, SYM_STEP_ELEMENT, element, "D\\<file>\\<key>", kd, file, loc);
    free(loc);
    free(rel);
    free(kd);
    free(sub);
}

static void step_elements(lookup *sr)
{
    sym_session *s = sr->s;
    for (size_t i = 0; i < s->n_elements && !sr->done && !lookup_cancelled(sr); i++) {
        const path_element *e = &s->elements[i];
        int idx = (int)i;
        if (!e->d.enabled) {
            emit_skip(sr, SYM_STEP_ELEMENT, idx, "element", e->d.text, "element disabled");
            continue;
        }
        switch (e->d.state) {
        case SYM_STATE_UNMAPPED:
        case SYM_STATE_INVALID:
        case SYM_STATE_UNSUPPORTED:
            emit_skip(sr, SYM_STEP_ELEMENT, idx, "element", e->d.text, e->d.reason);
            continue;
        default:
            break;
        }
        if (e->d.kind == SYM_ELEM_STANDARD) {
            if (sr->pd->store_layout_in_plain && e->d.state == SYM_STATE_OK)
                try_store_layout(sr, idx, e);
            if (sr->done)
                continue;
            sr->missing = e->d.state == SYM_STATE_OK ? NULL : e->d.reason;
            search_standard(sr, SYM_STEP_ELEMENT, idx, e->d.text, e->sep,
                            e->d.state == SYM_STATE_OK ? e->d.local : NULL,
                            sr->m->info.wanted_file);
            sr->missing = NULL;
        } else if (sr->pd->rules == PROFILE_RULES_SYMSRV10) {
            symsrv_search_element(sr, idx);
        } else {
            store_search_element(sr, idx);
        }
    }
}

/* The PDB path recorded in the image. An absolute one is tried as it is (through the drive
 * mappings); a bare or relative name is looked for from the current directory, with the
 * standard sub-directories, as the DbgHelp documentation's own trace shows. */
static void step_cv_path(lookup *sr)
{
    module *m = sr->m;
    const char *cv = m->info.cv_path;
    if (!cv || !*cv || sr->s->options[SYM_OPT_IGNORE_CVREC])
        return;
    if (m->info.wanted.kind != SYM_ID_PDB70 && m->info.wanted.kind != SYM_ID_PDB20)
        return;
    const char *file = sym_path_basename(cv);
    if (!*file) {
        emit_skip(sr, SYM_STEP_CV_PATH, -1, "cv-path", cv, "the CodeView path names no file");
        return;
    }
    pathmap_ctx pm = {sr->s->maps, sr->s->n_maps, sr->s->cwd};
    if (pathmap_is_absolute(cv)) {
        char *local = NULL, *reason = NULL;
        if (pathmap_resolve(&pm, cv, &local, &reason) != PATHMAP_OK) {
            emit_skip(sr, SYM_STEP_CV_PATH, -1, "cv-path", cv, reason);
        } else {
            /* The directory part, resolved, is listed like any other. */
            char *slash = strrchr(local, '/');
            if (slash && slash != local)
                *slash = '\0';
            else if (slash)
                slash[1] = '\0';
            try_file(sr, SYM_STEP_CV_PATH, -1, "cv-path", local, file, cv);
        }
        free(local);
        free(reason);
        return;
    }
    if (sr->pd->cv_bare_once && file == cv) {
        /* A bare name: DbgHelp opens it once, from the current directory. */
        try_file(sr, SYM_STEP_CV_PATH, -1, "cv-path", sr->s->cwd, file, cv);
        return;
    }
    if (file != cv) {
        /* "..\..\x.pdb": a name from the image never walks the file system. */
        char *note = util_asprintf("CodeView path %s reduced to its file name", cv);
        sym_attempt a = {.step = SYM_STEP_CV_PATH,
                         .element = -1,
                         .store = -1,
                         .rule = "cv-path",
                         .location = cv,
                         .outcome = SYM_OUT_SKIPPED,
                         .detail = note};
        lookup_emit(sr, &a);
        free(note);
    }
    search_standard(sr, SYM_STEP_CV_PATH, -1, ".", '\\', sr->s->cwd, file);
}

static void step_image_dir(lookup *sr)
{
    module *m = sr->m;
    if (!m->image_dir_text || sr->s->options[SYM_OPT_IGNORE_IMAGEDIR])
        return;
    const char *file = m->info.wanted_file;
    char sep = pathmap_notation_sep(m->image_dir_text);
    char *loc = pathmap_join_notation(m->image_dir_text, sep, file);
    if (sr->image_dir) {
        /* The image's copy in a cache: its key directory is where DbgHelp looks. */
        free(loc);
        loc = pathmap_join_notation(sr->image_dir_text, pathmap_notation_sep(sr->image_dir_text),
                                    file);
        try_file(sr, SYM_STEP_IMAGE_DIR, -1, "image-dir", sr->image_dir, file, loc);
    } else if (m->info.image) {
        /* A local image: its directory is a local directory already. */
        char *dir = util_strdup(m->info.image);
        char *slash = dir ? strrchr(dir, '/') : NULL;
        if (slash)
            *slash = '\0';
        try_file(sr, SYM_STEP_IMAGE_DIR, -1, "image-dir", dir, file, loc);
        free(dir);
    } else {
        pathmap_ctx pm = {sr->s->maps, sr->s->n_maps, sr->s->cwd};
        char *local = NULL, *reason = NULL;
        if (pathmap_resolve(&pm, m->image_dir_text, &local, &reason) != PATHMAP_OK)
            emit_skip(sr, SYM_STEP_IMAGE_DIR, -1, "image-dir", loc, reason);
        else
            try_file(sr, SYM_STEP_IMAGE_DIR, -1, "image-dir", local, file, loc);
        free(local);
        free(reason);
    }
    free(loc);
}

/* A stripped image (its debug information in a .dbg file), as DbgHelp 10 searches it: the
 * .dbg in the path elements and the image's directory (with sub-directories, then once more
 * alone); then, still without symbols, <name>.pdb in the elements, the image's directory and
 * the current directory. */
static void step_dbg_then_pdb(lookup *sr)
{
    module *m = sr->m;
    const char *image = m->info.image ? m->info.image : m->info.name;
    char *msg = util_asprintf("%s is stripped.  Searching for dbg file", image);
    session_emit_simple(sr->s, SYM_EV_MESSAGE, &m->info, msg);
    free(msg);
    step_elements(sr);
    char *dir = m->info.image ? util_strdup(m->info.image) : NULL;
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash)
        *slash = '\0';
    const char *dtext = m->image_dir_text;
    char sep = dtext ? pathmap_notation_sep(dtext) : '/';
    const char *file = m->info.wanted_file;
    if (!sr->done && dir && dtext && !sr->s->options[SYM_OPT_IGNORE_IMAGEDIR]) {
        search_standard(sr, SYM_STEP_IMAGE_DIR, -1, dtext, sep, dir, file);
        char *loc = pathmap_join_notation(dtext, sep, file);
        if (!sr->done)
            try_file(sr, SYM_STEP_IMAGE_DIR, -1, "image-dir", dir, file, loc);
        free(loc);
    }
    if (!sr->done && !lookup_cancelled(sr)) {
        msg = util_asprintf("%s missing debug info.  Searching for pdb anyway", image);
        session_emit_simple(sr->s, SYM_EV_MESSAGE, &m->info, msg);
        free(msg);
        char *pdb = util_asprintf(
            "%.*s.pdb", (int)(strrchr(file, '.') ? strrchr(file, '.') - file : (long)strlen(file)),
            file);
        for (size_t i = 0; pdb && i < sr->s->n_elements && !sr->done; i++) {
            const path_element *e = &sr->s->elements[i];
            if (e->d.enabled && e->d.kind == SYM_ELEM_STANDARD && e->d.state == SYM_STATE_OK)
                search_standard(sr, SYM_STEP_ELEMENT, (int)i, e->d.text, e->sep, e->d.local, pdb);
        }
        if (pdb && !sr->done && dir && dtext && !sr->s->options[SYM_OPT_IGNORE_IMAGEDIR]) {
            char *loc = pathmap_join_notation(dtext, sep, pdb);
            try_file(sr, SYM_STEP_IMAGE_DIR, -1, "image-dir", dir, pdb, loc);
            free(loc);
        }
        if (pdb && !sr->done)
            try_file(sr, SYM_STEP_CV_PATH, -1, "cv-path", sr->s->cwd, pdb, pdb);
        free(pdb);
    }
    free(dir);
}

static void set_result(module *m, const candidate *c, bool unmatched)
{
    free((char *)m->info.file);
    free((char *)m->info.location);
    m->info.file = own(c ? c->local : NULL);
    m->info.location = own(c ? c->location : NULL);
    m->info.element = c ? c->element : -1;
    m->info.step = c ? c->step : SYM_STEP_ELEMENT;
    m->info.symbols = c ? c->symbols : SYM_CLASS_NONE;
    m->info.unmatched = unmatched;
    snprintf(m->info.status_letters, sizeof m->info.status_letters, "%s", unmatched ? "M" : "");
}

sym_status search_module(sym_session *s, module *m, bool force_mismatch, sym_error *err)
{
    const profile_def *pd = profile_get(s->profile);
    lookup sr = {.s = s,
                 .m = m,
                 .pd = pd,
                 .host = &search_host,
                 .info = &m->info,
                 .cancel_module = &m->cancel,
                 .cancel_all = &s->cancel_all,
                 .options = s->options,
                 .http = &s->http,
                 .elements = s->elements,
                 .n_elements = s->n_elements,
                 .map = {s->maps, s->n_maps, s->cwd},
                 .home = s->home,
                 .plan = s->plan,
                 .cache_feeds_srv = pd->cache_feeds_srv,
                 .symsrv_rules = pd->rules == PROFILE_RULES_SYMSRV10};
    sr.accept_mismatch =
        (force_mismatch || s->options[SYM_OPT_LOAD_ANYTHING]) && !s->options[SYM_OPT_EXACT_SYMBOLS];
    sr.dirs = s->dirs; /* made with the session */
    attempts_clear(m);
    m->info.state = SYM_MOD_LOADED;
    session_emit_simple(s, SYM_EV_SEARCH_BEGIN, &m->info, NULL);
    if (m->no_handle)
        symsrv_image_without_handle(&sr);
    if (m->info.wanted.kind == SYM_ID_DBG && sr.pd->dbg_then_pdb) {
        step_dbg_then_pdb(&sr);
    } else if (m->info.wanted.kind != SYM_ID_NONE) {
        for (int i = 0; i < SYM_STEP_COUNT && !sr.done && !lookup_cancelled(&sr); i++) {
            switch (sr.pd->order[i]) {
            case SYM_STEP_CV_PATH:
                step_cv_path(&sr);
                break;
            case SYM_STEP_ELEMENT:
                step_elements(&sr);
                break;
            case SYM_STEP_IMAGE_DIR:
                step_image_dir(&sr);
                break;
            default:
                break;
            }
        }
    }
    if (lookup_cancelled(&sr) && !sr.done)
        emit_skip(&sr, SYM_STEP_ELEMENT, -1, "cancel", "", "cancelled");
    m->cancel = 0;
    if (sr.done && sr.pd->rules == PROFILE_RULES_SYMSRV10)
        symsrv_cache_winner(&sr);
    else if (sr.done)
        store_cache_winner(&sr);
    if (sr.done) {
        set_result(m, &sr.winner, false);
    } else if (sr.have_mismatch && sr.accept_mismatch) {
        set_result(m, &sr.mismatch, true);
    } else if (m->has_exports && !s->options[SYM_OPT_EXACT_SYMBOLS]) {
        /* Nothing found: the names in the image's export table are all there is. */
        candidate exports = {.local = (char *)m->info.image,
                             .location = (char *)m->info.image,
                             .step = SYM_STEP_IMAGE_DIR,
                             .element = -1,
                             .symbols = SYM_CLASS_EXPORT};
        set_result(m, &exports, false);
    } else {
        set_result(m, NULL, false);
    }
    lookup_free(&sr);
    session_emit_simple(s, SYM_EV_SEARCH_END, &m->info, sr.have_mismatch ? "mismatch" : NULL);
    return SYM_OK;
}
