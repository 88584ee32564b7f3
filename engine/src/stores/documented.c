/* Symbol stores: srv* chains, cache* elements and pingme.txt stores (decisions.md 3).
 *
 * In each store's key directory: the file, then the compressed file (last character '_', a
 * CAB), then file.ptr. A file found in store k is copied into every store to its left
 * (decompressed only into the leftmost) and opened from the leftmost; a single local store is
 * used in place. Whatever is found to the right of a cache* element is copied into it. */
#include <limits.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stores/store.h"
#include "stores/stores.h"
#include "util/util.h"
#include "stores/store_fs.h"
#include "stores/store_write.h"

static void hit_free(const lookup *sr, store_hit *h)
{
    if (h->temporary && h->path && !lookup_dry_run(sr))
        unlink(h->path); /* a dry run's download is the result: it stays till the session ends */
    free(h->path);
    free(h->location);
    memset(h, 0, sizeof *h);
}

static void emit(lookup *sr, int element, int store, const char *rule, const char *location,
                 const char *local, sym_outcome outcome, const char *detail)
{
    lookup_store_emit(sr, element, store, rule, location, local, outcome, detail, NULL);
}

/* Copies (or decompresses) the hit into store cs. */
static char *copy_into(lookup *sr, int element, const chain_store *cs, const store_hit *hit,
                       bool decompress, bool move)
{
    const sym_module_info *mi = sr->info;
    store_put_args args = {.root = cs->d.local,
                           .tiers = cs->d.tiers,
                           .file = mi->wanted_file,
                           .id = mi->wanted,
                           .src = hit->path,
                           .extract = hit->compressed && decompress,
                           .keep_compressed = hit->compressed && !decompress,
                           .move = move && hit->temporary,
                           .max_size = sr->http->max_size};
    const char *name = mi->wanted_file;
    char compressed[NAME_MAX + 1];
    if (args.keep_compressed && layout_compressed_name(name, compressed, sizeof compressed))
        name = compressed;
    char *loc = layout_location(&cs->d, mi->wanted_file, &mi->wanted, name);
    lookup_emit_begin(sr, SYM_STEP_ELEMENT, element, cs->index,
                      args.extract ? "decompress" : "copy", loc);
    char *final = NULL;
    uint64_t bytes = 0;
    sym_error err;
    double t0 = util_now_ms();
    sym_status st = lookup_put(sr, &args, &final, &bytes, &err);
    sym_attempt a = {.step = SYM_STEP_ELEMENT,
                     .element = element,
                     .store = cs->index,
                     .rule = args.extract ? "decompress" : "copy",
                     .location = loc,
                     .local = final,
                     .symsrv = true,
                     .source = hit->store,
                     .bytes = bytes,
                     .ms = util_now_ms() - t0};
    if (st == SYM_OK) {
        a.outcome = SYM_OUT_COPIED;
        a.found = mi->wanted;
        a.detail = args.extract ? "decompressed" : args.keep_compressed ? "kept compressed" : "";
    } else {
        a.outcome = st == SYM_E_ACCESS ? SYM_OUT_DENIED : SYM_OUT_SKIPPED;
        a.detail = err.message;
    }
    lookup_emit(sr, &a);
    free(loc);
    return final;
}

/* A file found in chain[k]: copy it into every store to its left, decompressing only into
 * the leftmost one that takes it, and open it from there. */
static void deliver(lookup *sr, int element, chain_store *chain, size_t k, store_hit *hit)
{
    const char *name = sr->info->wanted_file;
    const sym_identity *id = &sr->info->wanted;
    char *opened = NULL, *opened_loc = NULL;
    if (k == 0 && !hit->compressed && !hit->temporary) {
        /* Found in the leftmost store: used in place. */
        lookup_accept(sr, hit->path, hit->location, SYM_STEP_ELEMENT, element, hit->symbols);
        return;
    }
    if (k == 0) {
        /* Compressed, or downloaded, with no store to its left: the default downstream store
         * takes it. */
        chain_store fb;
        chain_home h = lookup_chain_home(sr);
        chain_default(&fb, &h);
        opened = copy_into(sr, element, &fb, hit, hit->compressed, true);
        if (opened)
            opened_loc = layout_location(&fb.d, name, id, name);
        free(fb.own_local);
    } else {
        size_t leftmost = chain_leftmost_writable(chain, k);
        for (size_t j = k; j-- > leftmost;) {
            if (!chain_writable(&chain[j]))
                continue;
            /* Compressed files stay compressed in mid-level stores. */
            bool decompress = hit->compressed && j == leftmost;
            /* The last copy (the leftmost) may take a download over instead of copying. */
            char *final = copy_into(sr, element, &chain[j], hit, decompress, j == leftmost);
            if (final && (!hit->compressed || decompress)) {
                free(opened);
                free(opened_loc);
                opened = final;
                opened_loc = layout_location(&chain[j].d, name, id, name);
            } else {
                free(final);
            }
        }
        if (!opened && !hit->compressed && (!hit->temporary || lookup_dry_run(sr))) {
            /* No store to its left took it: use it where it was found. */
            opened = util_strdup(hit->path);
            opened_loc = util_strdup(hit->location);
        }
    }
    if (opened)
        lookup_accept(sr, opened, opened_loc, SYM_STEP_ELEMENT, element, hit->symbols);
    else
        emit(sr, element, -1, "decompress", hit->location, hit->path, SYM_OUT_SKIPPED,
             "compressed file found, but no downstream store could take it decompressed");
    free(opened);
    free(opened_loc);
}

/* Where a download from chain[k] goes first: the root of the leftmost store to its left that
 * can be written, else the default downstream store. Created only when a request is made. */
static char *download_dir(lookup *sr, chain_store *chain, size_t k)
{
    if (lookup_dry_run(sr))
        return util_strdup(sr->host->scratch(sr));
    for (size_t j = 0; j < k; j++)
        if (chain_writable(&chain[j]) && storefs_writable(chain[j].d.local))
            return util_strdup(chain[j].d.local);
    return chain_default_store(sr->home);
}

/* Searches a chain of stores left to right, each through its kind's operations. */
static void search_chain(lookup *sr, int element, chain_store *chain, size_t n)
{
    for (size_t k = 0; k < n && !sr->done; k++) {
        chain_store *cs = &chain[k];
        const store_ops *ops = store_ops_of(&cs->d);
        char *dir = NULL;
        if (ops->downloads) {
            dir = download_dir(sr, chain, k);
            if (!dir) {
                emit(sr, element, cs->index, "http", cs->d.location, NULL, SYM_OUT_SKIPPED,
                     "no downstream store can be written to take the download");
                continue;
            }
        } else if (cs->d.state == SYM_STATE_UNMAPPED || cs->d.state == SYM_STATE_INVALID) {
            char *loc = layout_location(&cs->d, sr->info->wanted_file, &sr->info->wanted,
                                        sr->info->wanted_file);
            emit(sr, element, cs->index, "store", loc, NULL, SYM_OUT_SKIPPED, cs->d.reason);
            free(loc);
            continue;
        } else if (lookup_probed(sr, cs->d.local)) {
            continue; /* already looked in during this search (a cache used as downstream) */
        }
        store_hit hit = {0};
        bool found = ops->probe(sr, element, cs, dir, &hit);
        if (found)
            deliver(sr, element, chain, k, &hit);
        hit_free(sr, &hit);
        free(dir);
        if (sr->done || (found && !ops->downloads))
            return; /* a local hit ends the chain, delivered or not */
        if (!ops->downloads)
            lookup_mark_probed(sr, cs->d.local);
    }
}

void store_search_element(lookup *sr, int index)
{
    if (!store_guard_name(sr, index))
        return;
    const path_element *e = &sr->elements[index];
    const path_element *cache = sr->cache_feeds_srv && sr->n_caches > 0
                                    ? &sr->elements[sr->caches[sr->n_caches - 1]]
                                    : NULL;
    chain_store chain[CHAIN_MAX];
    chain_home h = lookup_chain_home(sr);
    size_t n = chain_plan(chain, e, cache, CHAIN_DOCUMENTED, &h);
    search_chain(sr, index, chain, n);
    chain_clear(chain, &n);
    if (e->d.kind == SYM_ELEM_CACHE && sr->n_caches < sizeof sr->caches / sizeof sr->caches[0])
        sr->caches[sr->n_caches++] = index;
}

void store_cache_winner(lookup *sr)
{
    const sym_module_info *mi = sr->info;
    const char *file = mi->wanted_file;
    bool reopened = false;
    for (size_t i = 0; i < sr->n_caches; i++) {
        int c = sr->caches[i];
        if (sr->winner.element == c && sr->winner.step == SYM_STEP_ELEMENT)
            continue; /* found in this very cache */
        chain_store cs = {.d = sr->elements[c].d.stores[0], .index = -1};
        if (!chain_writable(&cs))
            continue;
        char *loc = layout_location(&cs.d, file, &mi->wanted, file);
        char *key_dir = layout_key_dir(cs.d.local, cs.d.tiers, file, &mi->wanted);
        char *existing = key_dir ? util_asprintf("%s/%s", key_dir, file) : NULL;
        struct stat st;
        bool present = existing && stat(existing, &st) == 0 && S_ISREG(st.st_mode);
        bool poisoned = false;
        if (present) {
            /* A file the search would reject is never the result: it is replaced below. */
            sym_attempt probe = {0};
            sym_symclass cls;
            char *why = NULL;
            bool cab;
            lookup_check(sr, existing, &probe, &cls, &why, &cab);
            free(why);
            poisoned = probe.outcome != SYM_OUT_FOUND || cab;
        }
        if (present && !poisoned && !sr->options[SYM_OPT_OVERWRITE]) {
            sym_attempt a = {.step = SYM_STEP_ELEMENT,
                             .element = c,
                             .store = 0,
                             .rule = "cache",
                             .location = loc,
                             .local = existing,
                             .outcome = SYM_OUT_ALREADY_CACHED,
                             .bytes = (uint64_t)st.st_size,
                             .found = mi->wanted,
                             .source = sr->winner.location};
            lookup_emit(sr, &a);
            if (!reopened) {
                lookup_accept(sr, existing, loc, sr->winner.step, sr->winner.element,
                              sr->winner.symbols);
                reopened = true;
            }
        } else {
            store_put_args args = {.root = cs.d.local,
                                   .tiers = cs.d.tiers,
                                   .file = file,
                                   .id = mi->wanted,
                                   .src = sr->winner.local,
                                   .max_size = sr->http->max_size};
            char *final = NULL;
            uint64_t bytes = 0;
            sym_error err;
            double t0 = util_now_ms();
            sym_status put = lookup_put(sr, &args, &final, &bytes, &err);
            sym_attempt a = {.step = SYM_STEP_ELEMENT,
                             .element = c,
                             .store = 0,
                             .rule = "cache",
                             .location = loc,
                             .local = final,
                             .bytes = bytes,
                             .ms = util_now_ms() - t0,
                             .source = sr->winner.location};
            if (put == SYM_OK) {
                a.outcome = SYM_OUT_CACHED;
                a.found = mi->wanted;
                if (poisoned)
                    a.detail = "replaced a file of another identity at this key";
            } else {
                a.outcome = put == SYM_E_ACCESS ? SYM_OUT_DENIED : SYM_OUT_SKIPPED;
                a.detail = err.message;
            }
            lookup_emit(sr, &a);
            if (final && !reopened) {
                lookup_accept(sr, final, loc, sr->winner.step, sr->winner.element,
                              sr->winner.symbols);
                reopened = true;
            }
            free(final);
        }
        free(loc);
        free(key_dir);
        free(existing);
    }
}
