/* SymSrv 10.0.18362's store query, as the native profile runs it (decisions.md 1; the
 * recorded scenarios in oracle/ are the authority):
 *
 * - One query per srv*, cache* or pingme.txt element, numbered (BYINDEX). Empty store tokens
 *   are dropped; a chain that starts with an HTTP store gets the default downstream store in
 *   front, and a chain after a cache* element gets the cache in front.
 * - In each store, the first of x.pdb, x.pd_, file.ptr that exists is returned unchecked: a
 *   mismatched file in a downstream store is final and the stores to its right are not asked.
 * - A file found in store k is copied into every store to its left. A compressed file is
 *   expanded only into the store directly to its left; with no store there it is not found,
 *   and further left SymSrv copies it compressed and then fails to expand it.
 * - A file.ptr target is probed like a key directory.
 *
 * Where real DbgHelp would harm a store or keep failing for ever, the outcome is the same but
 * a "quirk" attempt says why and what fixes it, and nothing bad is written. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stores/store.h"
#include "stores/stores.h"
#include "util/util.h"
#include "symscope/display.h"
#include "stores/store_write.h"

#define PTR_MAX_DEPTH 8

/* HRESULTs SymSrv ends a query with. */
#define HR_OK 0x00000000u
#define HR_FILE_NOT_FOUND 0x80070002u
#define HR_PATH_NOT_FOUND 0x80070003u
#define HR_BAD_FORMAT 0x8007000Bu

typedef struct query {
    lookup *sr;
    int element;
    const char *file; /* the file looked for ("ntdll.pdb", or the image's own name) */
    sym_identity id;  /* and its key */
    chain_store chain[CHAIN_MAX];
    size_t n;
    uint32_t hr;        /* what the last miss said */
    char *result;       /* local file returned */
    char *result_loc;   /* the same, as SymSrv prints it */
    bool returned;      /* SymSrv returned a file (result may be NULL: see result_bad) */
    bool result_bad;    /* returned, but only DbgHelp would have kept it (not a symbol file) */
    bool result_other;  /* returned, but another build: DbgHelp finds it mismatched */
    sym_identity other; /* that build's identity */
    bool probe_only;    /* looking, not fetching: a cache checked before a copy into it */
} query;

static void emit(query *q, int store, const char *rule, const char *location, const char *local,
                 sym_outcome outcome, const char *detail, const char *source)
{
    lookup_store_emit(q->sr, q->element, store, rule, location, local, outcome, detail, source);
}

static void quirk(query *q, const char *location, const char *text)
{
    emit(q, -1, "quirk", location, NULL, SYM_OUT_SKIPPED, text, NULL);
}

static char *compressed_name(const char *file)
{
    char c[NAME_MAX + 1];
    return layout_compressed_name(file, c, sizeof c) ? util_strdup(c) : NULL;
}

/* The names SymSrv tries in a key directory, in its order. */
static void names_of(const lookup *sr, const char *file, const char *compressed,
                     const char *names[3])
{
    bool favor = sr->options[SYM_OPT_FAVOR_COMPRESSED];
    layout_names kn;
    layout_key_names(&kn, file, favor, "store");
    /* the caller's own buffer for the compressed name, in the layout's order */
    for (int i = 0; i < 3; i++)
        names[i] = kn.name[i] == kn.compressed ? compressed
                   : kn.name[i] == file        ? file
                                               : LAYOUT_POINTER;
}

static const char *rule_of(const char *name, const char *compressed)
{
    if (strcmp(name, LAYOUT_POINTER) == 0)
        return "store-pointer";
    return strcmp(name, compressed) == 0 ? "store-compressed" : "store";
}

/* An empty pingme.txt in every store SymSrv writes to. Never through a link. */
static void touch_pingme(const lookup *sr, const char *root)
{
    if (lookup_dry_run(sr))
        return;
    char *p = util_asprintf("%s/pingme.txt", root);
    if (!p)
        return;
    int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0)
        close(fd);
    free(p);
}

static char *join_loc(const char *dir_loc, const char *name)
{
    return pathmap_join_notation(dir_loc, pathmap_notation_sep(dir_loc), name);
}

/* ---- the chain ---- */

/* How SymSrv names a store in its BYINDEX line: as written; the default store by its path. */
static const char *store_text(const sym_store_desc *d)
{
    return d->location && d->location[0] ? d->location : d->local ? d->local : "";
}

/* Builds the chain of element e and the text SymSrv shows for it. */
static char *chain_build(query *q, const path_element *e)
{
    lookup *sr = q->sr;
    const path_element *cache = sr->cache_feeds_srv && sr->n_caches > 0
                                    ? &sr->elements[sr->caches[sr->n_caches - 1]]
                                    : NULL;
    chain_home h = lookup_chain_home(sr);
    q->n = chain_plan(q->chain, e, cache, CHAIN_SYMSRV10, &h);
    strbuf text;
    sb_init(&text);
    if (e->d.kind == SYM_ELEM_SRV && cache)
        sb_printf(&text, "%s*", store_text(&cache->d.stores[0]));
    if (e->d.kind == SYM_ELEM_SRV) {
        const char *rest = strchr(e->d.text, '*') + 1;
        if (strncasecmp(e->d.text, "symsrv*", 7) == 0) {
            const char *dll = strchr(rest, '*');
            rest = dll ? dll + 1 : "";
        }
        if (rest[0] == '\0') /* srv*: SymSrv shows only the server */
            sb_add(&text, e->d.n_stores > 1 ? e->d.stores[e->d.n_stores - 1].location : "");
        else
            sb_add(&text, rest);
    } else {
        sb_add(&text, e->d.kind == SYM_ELEM_CACHE ? store_text(&e->d.stores[0]) : e->d.text);
    }
    return sb_take(&text);
}

static void chain_free(query *q)
{
    chain_clear(q->chain, &q->n);
}

/* ---- copies ---- */

/* Writes src into store cs; returns the final local path or NULL (an attempt says why). */
static char *put(query *q, size_t j, const char *src, bool extract, bool keep_compressed, bool move,
                 const char *rule, const char *source, uint64_t *bytes_out)
{
    const sym_module_info *mi = q->sr->info;
    const chain_store *cs = &q->chain[j];
    store_put_args args = {.root = cs->d.local,
                           .tiers = cs->d.tiers,
                           .file = mi->wanted_file,
                           .id = mi->wanted,
                           .src = src,
                           .extract = extract,
                           .keep_compressed = keep_compressed,
                           .move = move};
    char *cname = compressed_name(mi->wanted_file);
    char *loc = layout_location(&cs->d, mi->wanted_file, &mi->wanted,
                                keep_compressed ? cname : mi->wanted_file);
    char *final = NULL;
    uint64_t bytes = 0;
    sym_error err;
    lookup_emit_begin(q->sr, SYM_STEP_ELEMENT, q->element, cs->index, rule, loc);
    double t0 = util_now_ms();
    bool can = chain_writable(cs);
    if (can && !lookup_dry_run(q->sr) && store_mkdir(cs->d.local) == SYM_OK)
        touch_pingme(q->sr, cs->d.local); /* SymSrv marks every store it writes to */
    sym_status st = can ? lookup_put(q->sr, &args, &final, &bytes, &err)
                        : err_set(&err, SYM_E_ACCESS, "the store cannot be written");
    struct stat sst;
    if (st != SYM_OK && move && stat(src, &sst) == 0)
        bytes = (uint64_t)sst.st_size; /* what the server sent */
    sym_attempt a = {.step = SYM_STEP_ELEMENT,
                     .element = q->element,
                     .store = cs->index,
                     .rule = rule,
                     .location = loc,
                     .local = final,
                     .symsrv = true,
                     .source = source,
                     .bytes = bytes,
                     .ms = util_now_ms() - t0};
    if (st == SYM_OK) {
        a.outcome = SYM_OUT_COPIED;
        a.found = mi->wanted;
        a.detail = extract ? "decompressed" : keep_compressed ? "kept compressed" : "";
    } else {
        a.outcome = st == SYM_E_ACCESS   ? SYM_OUT_DENIED
                    : st == SYM_E_FORMAT ? SYM_OUT_BAD_CONTENT
                                         : SYM_OUT_SKIPPED;
        a.detail = err.message;
    }
    lookup_emit(q->sr, &a);
    if (bytes_out)
        *bytes_out = bytes;
    free(loc);
    free(cname);
    return final;
}

static void set_result(query *q, const char *path, const char *loc)
{
    free(q->result);
    free(q->result_loc);
    q->result = util_strdup(path);
    q->result_loc = util_strdup(loc);
    q->returned = loc != NULL;
}

/* The server sent a PDB of another build. SymSrv would store it under the wanted key, where
 * DbgHelp finds it mismatched now and for ever after; symscope never files it there: it is
 * kept under its own key when load_anything may take it, and nowhere else. */
static bool served_other_build(query *q, size_t j, const char *path, const char *url)
{
    lookup *sr = q->sr;
    const sym_module_info *mi = sr->info;
    sym_attempt probe = {0};
    sym_symclass symbols;
    char *detail = NULL;
    bool cab = false;
    lookup_check(sr, path, &probe, &symbols, &detail, &cab);
    free(detail);
    if (probe.outcome != SYM_OUT_MISMATCH || cab)
        return false;
    const char *file = mi->wanted_file;
    char *where = layout_location(&q->chain[j].d, file, &mi->wanted, file);
    char *kept = store_keep_mismatch(sr, q->chain[j].d.local, path, false, &probe.found);
    char found[SYM_KEY_MAX] = "?";
    sym_identity_key(&probe.found, found);
    char *fix = util_asprintf("the server sent another build of %s (key %s) for %s; DbgHelp 10 "
                              "saves it as %s and finds it mismatched there now and on every "
                              "later run. symscope %s. Fix: put the right build on the server",
                              file, found, url, where ? where : "?",
                              kept ? "keeps it under its own key only" : "stores nothing");
    quirk(q, where, fix);
    set_result(q, kept, where);
    q->result_other = true;
    q->other = probe.found;
    free(fix);
    free(where);
    free(kept);
    return true;
}

/* A file found in chain[k] (or a download for it): copies to the left, as SymSrv makes them.
 * from_http: the source is a download (the first copy is the download's line). */
static void deliver(query *q, size_t k, const char *path, const char *loc, bool compressed,
                    bool from_http)
{
    lookup *sr = q->sr;
    const sym_module_info *mi = sr->info;
    const char *file = mi->wanted_file;
    const char *source = store_text(&q->chain[k].d);
    q->hr = HR_OK;
    if (k == 0) {
        if (!compressed) {
            set_result(q, path, loc);
            return;
        }
        char *fix = util_asprintf("SymSrv 10 expands a compressed file only into a downstream "
                                  "store, and this chain has none: DbgHelp finds nothing. Fix: "
                                  "give the chain a downstream store (srv*DOWN*%s)",
                                  source);
        emit(q, q->chain[k].index, "decompress", loc, NULL, SYM_OUT_SKIPPED,
             "no downstream store to expand it into", NULL);
        quirk(q, loc, fix);
        free(fix);
        return;
    }
    if (compressed && k >= 2) {
        /* Copied compressed into the store to its left; then SymSrv looks for the expanded
         * file in each store further left, finds none, and returns the leftmost one. */
        free(put(q, k - 1, path, false, true, false, "copy", source, NULL));
        for (size_t at = k; at-- > 0;) {
            char *kd =
                layout_key_dir(q->chain[at].d.local, q->chain[at].d.tiers, file, &mi->wanted);
            char *want = kd ? util_asprintf("%s/%s", kd, file) : NULL;
            char *wloc = layout_location(&q->chain[at].d, file, &mi->wanted, file);
            emit(q, q->chain[at].index, "expand-check", wloc, want, SYM_OUT_NOT_FOUND,
                 "file not found", NULL);
            if (at == 0)
                set_result(q, want, wloc);
            free(kd);
            free(want);
            free(wloc);
        }
        char *fix = util_asprintf("SymSrv 10 copies %s compressed into %s and does not expand it "
                                  "into %s: DbgHelp finds nothing. Fix: store the expanded file "
                                  "upstream, or drop %s from the chain",
                                  sym_path_basename(path), store_text(&q->chain[k - 1].d),
                                  store_text(&q->chain[0].d), store_text(&q->chain[k - 1].d));
        quirk(q, loc, fix);
        free(fix);
        return;
    }
    char *opened = NULL;
    for (size_t j = k; j-- > 0;) {
        bool first = j == k - 1;
        const char *rule = from_http && first ? "download" : compressed ? "decompress" : "copy";
        const char *src = opened ? opened : path;
        uint64_t bytes = 0;
        char *final = put(q, j, src, compressed && !opened, false, from_http && first, rule,
                          from_http && first ? source : store_text(&q->chain[j + 1].d), &bytes);
        if (final) {
            free(opened);
            opened = final;
        } else if (!opened && !compressed && (!from_http || lookup_dry_run(sr))) {
            opened = util_strdup(path); /* nothing to its left took it: used where it is */
        } else if (!opened && from_http && first && served_other_build(q, j, path, loc)) {
            return;
        } else if (!opened && from_http && first) {
            /* DbgHelp would keep what the server sent under the final name and fail on it;
             * symscope keeps nothing, and the search ends as DbgHelp's does. */
            char *where = layout_location(&q->chain[j].d, file, &mi->wanted, file);
            char *fix = util_asprintf("the server answered %s with something that is not a "
                                      "symbol file; DbgHelp 10 saves it as %s and fails to read "
                                      "it (delete it there if DbgHelp ran); symscope stored "
                                      "nothing. Fix: check the server's URL and credentials",
                                      loc, where);
            quirk(q, where, fix);
            set_result(q, NULL, where);
            q->result_bad = true;
            free(fix);
            free(where);
            return;
        }
    }
    if (opened) {
        char *oloc = NULL;
        for (size_t j = 0; j < k && !oloc; j++) {
            char *kd = layout_key_dir(q->chain[j].d.local, q->chain[j].d.tiers, file, &mi->wanted);
            if (kd && strncmp(opened, kd, strlen(kd)) == 0)
                oloc = layout_location(&q->chain[j].d, file, &mi->wanted, file);
            free(kd);
        }
        set_result(q, opened, oloc ? oloc : loc);
        free(oloc);
    }
    free(opened);
}

/* ---- local stores ---- */

typedef enum probe_result { PROBE_MISS, PROBE_DONE } probe_result;

static probe_result probe_dir(query *q, size_t k, const char *dir, const char *dir_loc,
                              const char *const names[3], const char *compressed,
                              const char *rule_prefix, int depth);

/* A pointer's text: "PATH:<target>" is probed like a key directory (its directory, its name);
 * "MSG:<text>" ends the query. ptr_local is NULL for a pointer a server sent. */
static probe_result pointer_follow(query *q, size_t k, const char *raw, const char *ptr_loc,
                                   const char *ptr_local, const char *base_dir, int depth)
{
    lookup *sr = q->sr;
    int store = q->chain[k].index;
    bool is_msg = strncasecmp(raw, "MSG:", 4) == 0;
    const char *target = is_msg ? raw + 4 : strncasecmp(raw, "PATH:", 5) == 0 ? raw + 5 : raw;
    if (!*target || depth >= PTR_MAX_DEPTH) {
        emit(q, store, "store-pointer", ptr_loc, ptr_local, SYM_OUT_BAD_CONTENT,
             depth >= PTR_MAX_DEPTH ? "too many pointers in a row" : "empty file.ptr", raw);
        q->hr = HR_BAD_FORMAT;
        return PROBE_DONE;
    }
    emit(q, store, "store-pointer", ptr_loc, ptr_local, SYM_OUT_FOUND, raw, target);
    if (is_msg) {
        q->hr = HR_BAD_FORMAT;
        return PROBE_DONE;
    }
    pathmap_ctx pm = {sr->map.maps, sr->map.n_maps, base_dir};
    char *local = NULL, *reason = NULL;
    const char *tname = sym_path_basename(target);
    if (!layout_name_ok(tname)) {
        emit(q, store, "pointer-target", target, NULL, SYM_OUT_BAD_CONTENT,
             "the pointer names no file", NULL);
        q->hr = HR_BAD_FORMAT;
    } else if (pathmap_resolve(&pm, target, &local, &reason) != PATHMAP_OK) {
        emit(q, store, "pointer-target", target, NULL, SYM_OUT_SKIPPED, reason, NULL);
        q->hr = HR_PATH_NOT_FOUND;
    } else {
        char *dir = util_strdup(local);
        char *slash = dir ? strrchr(dir, '/') : NULL;
        if (slash)
            *slash = '\0';
        size_t dlen = (size_t)(tname - target);
        char *dir_loc = util_strndup(target, dlen ? dlen - 1 : 0, NULL);
        char *tcomp = compressed_name(tname);
        const char *names[3];
        names_of(sr, tname, tcomp, names);
        if (dir_loc && tcomp)
            probe_dir(q, k, dir, dir_loc, names, tcomp, "pointer-target", depth + 1);
        free(tcomp);
        free(dir);
        free(dir_loc);
    }
    free(local);
    free(reason);
    return PROBE_DONE; /* the first name that exists is final, whatever it leads to */
}

/* A file that exists where SymSrv looked: returned unchecked. The attempt says what it holds;
 * a mismatch that hides upstream stores is a quirk worth a fix. */
static void found_file(query *q, size_t k, const char *path, const char *loc, const char *rule,
                       bool compressed)
{
    lookup *sr = q->sr;
    sym_attempt a = {.step = SYM_STEP_ELEMENT,
                     .element = q->element,
                     .store = q->chain[k].index,
                     .rule = rule,
                     .location = loc,
                     .local = path,
                     .symsrv = true};
    sym_symclass symbols;
    char *detail = NULL;
    bool cab = false;
    lookup_check(sr, path, &a, &symbols, &detail, &cab);
    a.detail = detail ? detail : "";
    lookup_emit(sr, &a);
    if (a.outcome == SYM_OUT_MISMATCH && k + 1 < q->n && !q->probe_only) {
        char *kd = util_strdup(loc);
        char *cut = kd ? strrchr(kd, pathmap_notation_sep(kd)) : NULL;
        if (cut)
            *cut = '\0';
        char *fix = util_asprintf("SymSrv 10 returns the first file of a key directory without "
                                  "checking it: this mismatched file hides %s for ever. Fix: "
                                  "delete %s",
                                  store_text(&q->chain[k + 1].d), kd ? kd : loc);
        quirk(q, loc, fix);
        free(fix);
        free(kd);
    }
    free(detail);
    if (q->probe_only) {
        set_result(q, path, loc);
        return;
    }
    deliver(q, k, path, loc, compressed, false);
}

/* Probes the names in dir (NULL: it does not exist), stopping at the first that exists. */
static probe_result probe_dir(query *q, size_t k, const char *dir, const char *dir_loc,
                              const char *const names[3], const char *compressed,
                              const char *rule_prefix, int depth)
{
    lookup *sr = q->sr;
    int store = q->chain[k].index;
    for (int i = 0; i < 3; i++) {
        char *path = NULL;
        bool is_dir = false;
        char *loc = join_loc(dir_loc, names[i]);
        const char *rule = rule_prefix ? rule_prefix : rule_of(names[i], compressed);
        lookup_emit_begin(sr, SYM_STEP_ELEMENT, q->element, store, rule, loc);
        fsdir_result r = dir ? lookup_find(sr, dir, names[i], &path, &is_dir) : FSDIR_NO_DIR;
        if (r != FSDIR_FOUND || is_dir) {
            char *want = dir ? util_asprintf("%s/%s", dir, names[i]) : NULL;
            bool no_dir = !dir || r == FSDIR_NO_DIR || r == FSDIR_LOOP;
            q->hr = no_dir ? HR_PATH_NOT_FOUND : HR_FILE_NOT_FOUND;
            emit(q, store, rule, loc, want, r == FSDIR_DENIED ? SYM_OUT_DENIED : SYM_OUT_NOT_FOUND,
                 no_dir ? "path not found" : "file not found", NULL);
            free(want);
            free(path);
            free(loc);
            continue;
        }
        if (strcmp(names[i], "file.ptr") == 0 && !q->probe_only) {
            char *raw = layout_pointer_text(path);
            if (!raw) {
                emit(q, store, "store-pointer", loc, path, SYM_OUT_BAD_CONTENT,
                     "not a readable regular file", NULL);
                q->hr = HR_BAD_FORMAT;
            } else {
                pointer_follow(q, k, raw, loc, path, dir, depth);
            }
            free(raw);
        } else {
            found_file(q, k, path, loc, rule, strcmp(names[i], compressed) == 0);
        }
        free(path);
        free(loc);
        return PROBE_DONE;
    }
    return PROBE_MISS;
}

static probe_result probe_local(query *q, size_t k)
{
    lookup *sr = q->sr;
    chain_store *cs = &q->chain[k];
    const char *file = q->file;
    const sym_identity *id = &q->id;
    if (cs->d.state == SYM_STATE_UNMAPPED || cs->d.state == SYM_STATE_INVALID) {
        char *loc = layout_location(&cs->d, file, id, file);
        emit(q, cs->index, "store", loc, NULL, SYM_OUT_SKIPPED, cs->d.reason, NULL);
        q->hr = HR_PATH_NOT_FOUND;
        free(loc);
        return PROBE_MISS;
    }
    char key[SYM_KEY_MAX];
    sym_identity_key(id, key);
    char *key_dir = store_find_key_dir(sr, cs, file, key);
    char *want = key_dir ? NULL : layout_key_dir(cs->d.local, cs->d.tiers, file, id);
    char *dir_loc = layout_location(&cs->d, file, id, "");
    if (dir_loc && *dir_loc)
        dir_loc[strlen(dir_loc) - 1] = '\0'; /* the key directory, without the separator */
    char *comp = compressed_name(file);
    const char *names[3];
    names_of(sr, file, comp, names);
    probe_result r = PROBE_MISS;
    if (dir_loc && comp) {
        if (key_dir) {
            r = probe_dir(q, k, key_dir, dir_loc, names, comp, NULL, 0);
        } else {
            /* No key directory: each name is "path not found"; local says where it would be. */
            for (int i = 0; i < 3; i++) {
                char *loc = join_loc(dir_loc, names[i]);
                char *local = want ? util_asprintf("%s/%s", want, names[i]) : NULL;
                lookup_emit_begin(sr, SYM_STEP_ELEMENT, q->element, cs->index,
                                  rule_of(names[i], comp), loc);
                emit(q, cs->index, rule_of(names[i], comp), loc, local, SYM_OUT_NOT_FOUND,
                     "path not found", NULL);
                free(loc);
                free(local);
            }
            q->hr = HR_PATH_NOT_FOUND;
        }
    }
    free(want);
    free(comp);
    free(dir_loc);
    free(key_dir);
    return r;
}

/* ---- HTTP stores ---- */

static probe_result probe_http(query *q, size_t k)
{
    lookup *sr = q->sr;
    chain_store *cs = &q->chain[k];
    /* chain_build puts a local store first; a dry run downloads beside the session instead */
    const char *down = lookup_dry_run(sr) ? sr->host->scratch(sr) : q->chain[k - 1].d.local;
    store_hit hit = {0};
    uint32_t hr = HR_FILE_NOT_FOUND;
    char *ptr_text = NULL;
    if (strchr(cs->d.location, '?')) {
        char *shown = sym_redact_urls(cs->d.location); /* a query often carries a token */
        char *fix = util_asprintf("SymSrv 10 appends each file's path after the URL's query "
                                  "string (%s/index2.txt), so the server sees another path and "
                                  "other parameters. Fix: a store URL without a query string",
                                  shown ? shown : "the store URL");
        quirk(q, shown ? shown : "", fix);
        free(fix);
        free(shown);
    }
    bool got = down && store_http_symsrv10(sr, q->element, cs, down, &hit, &ptr_text, &hr);
    q->hr = hr;
    probe_result r = PROBE_MISS;
    if (got && ptr_text) {
        /* A served file.ptr: its target is a local file, as with a local pointer. */
        pointer_follow(q, k, ptr_text, hit.location, NULL, sr->map.cwd, 0);
        r = PROBE_DONE;
    } else if (got) {
        deliver(q, k, hit.path, hit.location, hit.compressed, true);
        r = PROBE_DONE;
    }
    if (hit.temporary && hit.path && !lookup_dry_run(sr))
        unlink(hit.path); /* a dry run's download is the result: it stays till the session ends */
    free(hit.path);
    free(hit.location);
    free(ptr_text);
    return r;
}

/* ---- the query ---- */

/* SymSrv 10's look into one store, by the store's kind. */
static probe_result (*const probes[STORE_KIND_COUNT])(query *q, size_t k) = {
    [STORE_LOCAL_ONE_TIER] = probe_local,
    [STORE_LOCAL_TWO_TIER] = probe_local,
    [STORE_HTTP] = probe_http,
};

static void query_run(query *q, const char *text)
{
    lookup *sr = q->sr;
    sr->host->event(sr, SYM_EV_STORE_QUERY, sr->host->next_call(sr), text);
    q->hr = HR_FILE_NOT_FOUND;
    for (size_t k = 0; k < q->n && !lookup_cancelled(sr); k++) {
        store_kind kind = store_kind_of(&q->chain[k].d);
        if (probes[kind](q, k) == PROBE_DONE)
            break;
        if (store_ops_kind(kind)->downloads && (q->hr & 0xFFFF0000u) == 0x800C0000u)
            break; /* the server cannot be reached: the query ends */
    }
    sr->host->event(sr, SYM_EV_STORE_RESULT, q->returned ? HR_OK : q->hr,
                    q->returned ? q->result_loc : NULL);
    if (!q->returned && q->hr == HR_BAD_FORMAT)
        lookup_message(sr, "Pointer file is invalid");
}

/* DbgHelp opens what SymSrv returned and checks it. */
static void open_result(lookup *sr, int element, const query *q)
{
    sym_attempt a = {.step = SYM_STEP_ELEMENT,
                     .element = element,
                     .store = -1,
                     .rule = "symsrv-open",
                     .location = q->result_loc,
                     .local = q->result};
    sym_symclass symbols = SYM_CLASS_NONE;
    char *detail = NULL;
    bool cab = false;
    if (q->result_bad) {
        a.outcome = SYM_OUT_BAD_CONTENT;
        a.detail = "not a symbol file (DbgHelp: E_PDB_FILE_SYSTEM)";
    } else if (q->result_other && !q->result) {
        a.outcome = SYM_OUT_MISMATCH; /* what DbgHelp finds at the file it was given */
        a.found = q->other;
        a.detail = "another build, not stored";
    } else {
        lookup_check(sr, q->result, &a, &symbols, &detail, &cab);
        if (cab && a.outcome == SYM_OUT_FOUND) {
            a.outcome = SYM_OUT_BAD_CONTENT; /* DbgHelp cannot open a CAB */
            free(detail);
            detail = util_strdup("a compressed file");
        }
        a.detail = detail ? detail : "";
    }
    lookup_emit(sr, &a);
    if (a.outcome == SYM_OUT_FOUND)
        lookup_accept(sr, q->result, q->result_loc, SYM_STEP_ELEMENT, element, symbols);
    else if (a.outcome == SYM_OUT_MISMATCH)
        lookup_note_mismatch(sr, q->result, q->result_loc, SYM_STEP_ELEMENT, element, symbols);
    free(detail);
}

void symsrv_search_element(lookup *sr, int index)
{
    const path_element *e = &sr->elements[index];
    if (e->d.kind == SYM_ELEM_CACHE && sr->n_caches < CHAIN_MAX_CACHES)
        sr->caches[sr->n_caches++] = index;
    if (!store_guard_name(sr, index))
        return; /* no path or URL is built from a name that is not a file name */
    query q = {.sr = sr, .element = index, .file = sr->info->wanted_file, .id = sr->info->wanted};
    char *text = chain_build(&q, e);
    query_run(&q, text ? text : "");
    if (q.returned)
        open_result(sr, index, &q);
    free(text);
    free(q.result);
    free(q.result_loc);
    chain_free(&q);
}

/* Puts src (src_loc in the user's notation) into cache element c as DbgHelp does: the cache is
 * looked in again first (no BYINDEX); a file already at the key is not replaced. Returns the
 * cache's file (*final, *final_loc), or false. *occupied: what was there already. */
static bool cache_put(lookup *sr, int c, const char *file, const sym_identity *id, const char *src,
                      const char *src_loc, char **final, char **final_loc, query *occupied)
{
    query *q = occupied;
    q->n = chain_plan(q->chain, &sr->elements[c], NULL, CHAIN_SYMSRV10,
                      &(chain_home){.home = sr->home, .tiers = 1}); /* no default here */
    const sym_store_desc *d = &q->chain[0].d;
    char *loc = layout_location(d, file, id, file);
    sym_attempt a = {.step = SYM_STEP_ELEMENT,
                     .element = c,
                     .store = 0,
                     .rule = "cache",
                     .location = loc,
                     .source = src_loc};
    *final = *final_loc = NULL;
    lookup_emit_begin(sr, SYM_STEP_ELEMENT, c, 0, "cache", loc);
    probe_local(q, 0);
    if (q->result) {
        /* DbgHelp says "cached to" without replacing what is there. */
        a.outcome = SYM_OUT_CACHED;
        a.local = q->result;
        a.detail = "not replaced: the cache already holds a file at this key";
        lookup_emit(sr, &a);
        free(loc);
        return false;
    }
    if (d->local) {
        store_put_args args = {
            .root = d->local, .tiers = d->tiers, .file = file, .id = *id, .src = src};
        uint64_t bytes = 0;
        sym_error err;
        double t0 = util_now_ms();
        if (!lookup_dry_run(sr) && store_mkdir(d->local) == SYM_OK)
            touch_pingme(sr, d->local);
        sym_status st = lookup_put(sr, &args, final, &bytes, &err);
        a.local = *final;
        a.bytes = bytes;
        a.ms = util_now_ms() - t0;
        if (st == SYM_OK) {
            a.outcome = SYM_OUT_CACHED;
            a.found = *id;
        } else {
            a.outcome = st == SYM_E_ACCESS ? SYM_OUT_DENIED : SYM_OUT_SKIPPED;
            a.detail = err.message;
        }
        lookup_emit(sr, &a);
    }
    if (*final)
        *final_loc = loc;
    else
        free(loc);
    return *final != NULL;
}

/* The winner goes into every cache met before it, as DbgHelp copies it. */
void symsrv_cache_winner(lookup *sr)
{
    const sym_module_info *mi = sr->info;
    const char *file = mi->wanted_file;
    if (!layout_name_ok(file))
        return; /* never filed under a name that is not a file name */
    for (size_t i = 0; i < sr->n_caches && sr->done; i++) {
        int c = sr->caches[i];
        if (sr->winner.element == c && sr->winner.step == SYM_STEP_ELEMENT)
            continue; /* found by this very cache */
        const sym_store_desc *d = &sr->elements[c].d.stores[0];
        char *kd = layout_key_dir(d->local, d->tiers, file, &mi->wanted);
        if (kd && sr->winner.local && strncmp(sr->winner.local, kd, strlen(kd)) == 0 &&
            sr->winner.local[strlen(kd)] == '/') {
            /* A chain that ran through the cache already left it there. */
            sym_attempt a = {.step = SYM_STEP_ELEMENT,
                             .element = c,
                             .store = 0,
                             .rule = "cache",
                             .location = sr->winner.location,
                             .local = sr->winner.local,
                             .source = sr->winner.location,
                             .outcome = SYM_OUT_CACHED,
                             .found = mi->wanted,
                             .detail = "already there: the srv* chain copied it"};
            lookup_emit(sr, &a);
            free(kd);
            continue;
        }
        query q = {.sr = sr, .element = c, .probe_only = true, .file = file, .id = mi->wanted};
        char *final = NULL, *final_loc = NULL;
        char *keep_loc = util_strdup(sr->winner.location);
        if (cache_put(sr, c, file, &mi->wanted, sr->winner.local, sr->winner.location, &final,
                      &final_loc, &q)) {
            lookup_accept(sr, final, final_loc, sr->winner.step, sr->winner.element,
                          sr->winner.symbols);
        } else if (q.result) {
            /* DbgHelp then opens the file that was there. */
            sr->done = false;
            open_result(sr, c, &q);
            if (!sr->done) {
                char *fix = util_asprintf("the cache holds another file at this key, and DbgHelp "
                                          "opens it instead of the good one at %s, for ever. "
                                          "Fix: remove %s",
                                          keep_loc ? keep_loc : "?", kd ? kd : "the entry");
                quirk(&q, q.result_loc, fix);
                free(fix);
            }
        }
        free(keep_loc);
        free(final);
        free(final_loc);
        free(kd);
        free(q.result);
        free(q.result_loc);
        chain_free(&q);
    }
}

void symsrv_image_without_handle(lookup *sr)
{
    const sym_module_info *mi = sr->info;
    const char *image = mi->image ? mi->image : mi->image_name;
    if (!image)
        return;
    char *msg = util_asprintf("No header for %s.  Searching for image on disk", image);
    lookup_message(sr, msg);
    free(msg);
    struct stat st;
    if (!mi->image || stat(mi->image, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    msg = util_asprintf("%s - OK", image);
    lookup_message(sr, msg);
    free(msg);
    const char *file = mi->image_name;
    if (!layout_name_ok(file))
        return;
    sym_identity id = mi->image_id;
    id.kind = SYM_ID_IMAGE;
    for (size_t i = 0; i < sr->n_elements; i++) {
        const path_element *e = &sr->elements[i];
        if (e->d.kind != SYM_ELEM_CACHE || !e->d.enabled || e->d.n_stores == 0)
            continue;
        query q = {.sr = sr, .element = (int)i, .probe_only = true, .file = file, .id = id};
        char *final = NULL, *final_loc = NULL;
        if (cache_put(sr, (int)i, file, &id, mi->image, image, &final, &final_loc, &q) &&
            !sr->image_dir) {
            char *slash = strrchr(final, '/');
            char sep = pathmap_notation_sep(final_loc);
            char *lsep = strrchr(final_loc, sep);
            if (slash && lsep) {
                sr->image_dir = util_strndup(final, (size_t)(slash - final), NULL);
                sr->image_dir_text = util_strndup(final_loc, (size_t)(lsep - final_loc), NULL);
            }
        }
        free(final);
        free(final_loc);
        free(q.result);
        free(q.result_loc);
        chain_free(&q);
    }
}
