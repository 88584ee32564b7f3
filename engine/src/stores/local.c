/* The local store backend: key directories found case-insensitively through the session's
 * listings, file.ptr followed to its target, and the default downstream store. Both rule sets
 * (documented.c, symsrv.c) and the HTTP backend use it. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "stores/stores.h"
#include "symscope/display.h"
#include "util/util.h"

#define PTR_MAX_DEPTH 8

/* Finds the key directory in a local store, case-insensitively, one component at a time. */
char *store_find_key_dir(lookup *sr, const chain_store *cs, const char *file, const char *key)
{
    const char *parts[3];
    size_t n = 0;
    char prefix[3];
    layout_tier_prefix(file, prefix);
    if (cs->d.tiers == 2)
        parts[n++] = prefix;
    parts[n++] = file;
    parts[n++] = key;
    char *dir = util_strdup(cs->d.local);
    for (size_t i = 0; dir && i < n; i++) {
        char *next = NULL;
        bool is_dir = false;
        if (lookup_find(sr, dir, parts[i], &next, &is_dir) != FSDIR_FOUND || !is_dir) {
            free(next);
            free(dir);
            return NULL;
        }
        free(dir);
        dir = next;
    }
    return dir;
}

/* Follows file.ptr (and pointers it points to) to a file. On failure fills *detail and
 * *outcome. A loop or a pointer to a directory is an outcome, not a hang. */
char *store_follow_pointer(lookup *sr, const char *ptr_path, const char *key_dir,
                           sym_outcome *outcome, char **detail, char **target_text)
{
    char *current = util_strdup(ptr_path);
    char *dir = util_strdup(key_dir);
    char *seen[PTR_MAX_DEPTH] = {0};
    char *result = NULL;
    *target_text = NULL;
    for (int depth = 0; current && dir; depth++) {
        char real[PATH_MAX];
        if (!realpath(current, real)) {
            *outcome = SYM_OUT_NOT_FOUND;
            *detail = util_asprintf("pointer target %s does not exist",
                                    *target_text ? *target_text : current);
            break;
        }
        for (int i = 0; i < depth; i++)
            if (strcmp(seen[i], real) == 0) {
                *outcome = SYM_OUT_BAD_CONTENT;
                *detail = util_strdup("file.ptr pointer loop");
                goto out;
            }
        if (depth == PTR_MAX_DEPTH) {
            *outcome = SYM_OUT_BAD_CONTENT;
            *detail = util_asprintf("more than %d pointers in a row", PTR_MAX_DEPTH);
            break;
        }
        seen[depth] = util_strdup(real);
        bool is_msg;
        char *target = layout_read_pointer(current, &is_msg);
        if (!target || !*target) {
            *outcome = SYM_OUT_BAD_CONTENT;
            *detail = util_strdup("empty or unreadable file.ptr");
            free(target);
            break;
        }
        if (is_msg) {
            /* "no file, here is why": the message is the reason. */
            *outcome = SYM_OUT_NOT_FOUND;
            *detail = target;
            break;
        }
        free(*target_text);
        *target_text = util_strdup(target);
        pathmap_ctx pm = {sr->map.maps, sr->map.n_maps, dir};
        char *local = NULL, *reason = NULL;
        pathmap_result r = pathmap_resolve(&pm, target, &local, &reason);
        free(target);
        if (r != PATHMAP_OK) {
            *outcome = SYM_OUT_SKIPPED;
            *detail = util_asprintf("pointer target %s: %s", *target_text, reason);
            free(reason);
            free(local);
            break;
        }
        struct stat st;
        if (stat(local, &st) != 0) {
            *outcome = SYM_OUT_NOT_FOUND;
            *detail = util_asprintf("pointer target %s does not exist", *target_text);
            free(local);
            break;
        }
        if (S_ISDIR(st.st_mode)) {
            *outcome = SYM_OUT_BAD_CONTENT;
            *detail = util_asprintf("pointer target %s is a directory", *target_text);
            free(local);
            break;
        }
        const char *base = sym_path_basename(local);
        if (strcasecmp(base, "file.ptr") != 0) {
            result = local;
            break;
        }
        /* A pointer to a pointer: go on from there. */
        free(current);
        current = local;
        free(dir);
        dir = util_strdup(local);
        char *slash = dir ? strrchr(dir, '/') : NULL;
        if (slash)
            *slash = '\0';
    }
out:
    for (int i = 0; i < PTR_MAX_DEPTH; i++)
        free(seen[i]);
    free(current);
    free(dir);
    return result;
}

bool local_probe(lookup *sr, int element, const chain_store *cs, const char *download_dir,
                 store_hit *hit)
{
    (void)download_dir; /* a local file is used where it is */
    const sym_module_info *mi = sr->info;
    const char *file = mi->wanted_file;
    char key[SYM_KEY_MAX];
    sym_identity_key(&mi->wanted, key);
    layout_names kn;
    layout_key_names(&kn, file, sr->options[SYM_OPT_FAVOR_COMPRESSED], "store");
    const char *const *names = kn.name;
    const char *compressed = kn.compressed;
    char *key_dir = store_find_key_dir(sr, cs, file, key);
    bool found = false;
    for (int i = 0; i < 3 && !found; i++) {
        char *loc = layout_location(&cs->d, file, &mi->wanted, names[i]);
        lookup_emit_begin(sr, SYM_STEP_ELEMENT, element, cs->index, kn.rule[i], loc);
        char *path = NULL;
        bool is_dir = false;
        fsdir_result r =
            key_dir ? lookup_find(sr, key_dir, names[i], &path, &is_dir) : FSDIR_NOT_FOUND;
        if (r != FSDIR_FOUND || is_dir) {
            char *want = layout_key_dir(cs->d.local, cs->d.tiers, file, &mi->wanted);
            char *local = want ? util_asprintf("%s/%s", want, names[i]) : NULL;
            lookup_store_emit(sr, element, cs->index, kn.rule[i], loc, local,
                              r == FSDIR_DENIED ? SYM_OUT_DENIED : SYM_OUT_NOT_FOUND,
                              r == FSDIR_DENIED ? fsdir_result_text(r) : "", NULL);
            free(want);
            free(local);
            free(loc);
            free(path);
            continue;
        }
        char *target_text = NULL, *detail = NULL;
        sym_attempt a = {.step = SYM_STEP_ELEMENT,
                         .element = element,
                         .store = cs->index,
                         .rule = kn.rule[i],
                         .location = loc,
                         .local = path,
                         .symsrv = true};
        char *use = path;
        if (strcmp(names[i], "file.ptr") == 0) {
            sym_outcome out = SYM_OUT_NOT_FOUND;
            use = store_follow_pointer(sr, path, key_dir, &out, &detail, &target_text);
            if (!use) {
                a.outcome = out;
                a.detail = detail;
                a.source = target_text;
                lookup_emit(sr, &a);
                free(detail);
                free(target_text);
                free(loc);
                free(path);
                continue;
            }
            a.local = use;
            a.source = target_text;
        }
        sym_symclass symbols;
        bool cab;
        lookup_check(sr, use, &a, &symbols, &detail, &cab);
        if (detail)
            a.detail = detail;
        if (i < 2 && strcmp(names[i], compressed) == 0 && !cab && a.outcome == SYM_OUT_FOUND) {
            a.outcome = SYM_OUT_BAD_CONTENT;
            a.detail = "a compressed name holding an uncompressed file";
        }
        lookup_emit(sr, &a);
        if (a.outcome == SYM_OUT_FOUND) {
            hit->path = util_strdup(use);
            hit->location = util_strdup(loc);
            hit->store = cs->d.location && cs->d.location[0] ? cs->d.location : cs->d.local;
            hit->compressed = cab;
            hit->symbols = symbols;
            found = true;
        } else if (a.outcome == SYM_OUT_MISMATCH && !cab) {
            lookup_note_mismatch(sr, use, loc, SYM_STEP_ELEMENT, element, symbols);
        }
        if (use != path)
            free(use);
        free(detail);
        free(target_text);
        free(loc);
        free(path);
    }
    free(key_dir);
    return found;
}
