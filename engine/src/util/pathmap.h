/* Paths in the user's notation (Windows or Linux) to local paths: drives and UNC shares go
 * through the mapping table. Used by the search (elements, CodeView paths) and by the stores
 * (file.ptr targets). */
#ifndef SYMSCOPE_UTIL_PATHMAP_H
#define SYMSCOPE_UTIL_PATHMAP_H

#include <stdbool.h>
#include <stddef.h>

/* A drive ("C:") or UNC share ("\\server\share") mapped to a local directory. */
typedef struct path_mapping {
    char *from; /* normalised: "C:" or "\\server\share" in lower case */
    char *dir;
} path_mapping;

/* The settings path resolution needs. */
typedef struct pathmap_ctx {
    const path_mapping *maps;
    size_t n_maps;
    const char *cwd;
} pathmap_ctx;

typedef enum pathmap_result { PATHMAP_OK, PATHMAP_UNMAPPED, PATHMAP_INVALID } pathmap_result;

/* Resolves text (Windows or Linux notation) to a local path. On failure *reason says why. */
pathmap_result pathmap_resolve(const pathmap_ctx *ctx, const char *text, char **local,
                               char **reason);
/* Normalises a mapping's left side; NULL when it is neither a drive nor a UNC share. */
char *pathmap_normalize_from(const char *from);
/* True for "C:\\x", "\\\\server\\share", "/x": paths that do not depend on the cwd. */
bool pathmap_is_absolute(const char *text);
/* Joins a location in the user's notation: base + sep + rel. */
char *pathmap_join_notation(const char *base, char sep, const char *rel);
/* The separator a path written this way uses ('/' when it has '/' and no '\\'). */
char pathmap_notation_sep(const char *text);

#endif
