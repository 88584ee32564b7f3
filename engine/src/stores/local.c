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
