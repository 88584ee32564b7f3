/* Windows paths on Linux: drives and UNC shares go through the mapping table; anything unmapped
 * is reported as such, never silently read as a relative path (decisions.md 3). */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <strings.h>

#include "util/pathmap.h"
#include "util/util.h"

static bool is_sep(char c)
{
    return c == '\\' || c == '/';
}

static bool is_drive(const char *t)
{
    return isalpha((unsigned char)t[0]) && t[1] == ':';
}

static bool is_unc(const char *t)
{
    return is_sep(t[0]) && is_sep(t[1]) && t[2] && !is_sep(t[2]);
}

bool pathmap_is_absolute(const char *t)
{
    return is_drive(t) || is_unc(t) || t[0] == '/' || t[0] == '\\';
}

char pathmap_notation_sep(const char *text)
{
    return strchr(text, '/') && !strchr(text, '\\') ? '/' : '\\';
}

char *pathmap_join_notation(const char *base, char sep, const char *rel)
{
    size_t n = strlen(base);
    if (n == 0)
        return util_strdup(rel);
    bool has_sep = is_sep(base[n - 1]);
    return util_asprintf("%s%s%s", base, has_sep ? "" : (sep == '/' ? "/" : "\\"), rel);
}

/* Length of the UNC share prefix "\\server\share" of t (0 when t has no share part). */
static size_t unc_prefix_len(const char *t)
{
    size_t i = 2;
    while (t[i] && !is_sep(t[i]))
        i++;
    if (!t[i])
        return i; /* "\\server" alone */
    i++;
    while (t[i] && !is_sep(t[i]))
        i++;
    return i;
}

char *pathmap_normalize_from(const char *from)
{
    if (is_drive(from) && (from[2] == '\0' || (is_sep(from[2]) && from[3] == '\0')))
        return util_asprintf("%c:", toupper((unsigned char)from[0]));
    if (is_unc(from)) {
        size_t n = strlen(from);
        while (n > 2 && is_sep(from[n - 1]))
            n--;
        char *out = util_strndup(from, n, NULL);
        if (!out)
            return NULL;
        for (char *p = out; *p; p++)
            *p = *p == '/' ? '\\' : (char)tolower((unsigned char)*p);
        return out;
    }
    return NULL;
}

/* Appends the rest of a Windows path to dir, turning '\' into '/'. */
static char *local_join(const char *dir, const char *rest)
{
    strbuf b;
    sb_init(&b);
    sb_add(&b, dir);
    while (is_sep(*rest))
        rest++;
    if (*rest) {
        if (b.len == 0 || b.s[b.len - 1] != '/')
            sb_addc(&b, '/');
        for (const char *p = rest; *p; p++)
            sb_addc(&b, *p == '\\' ? '/' : *p);
    }
    return sb_take(&b);
}

/* The mapping whose left side is the longest prefix of a UNC path. */
static const path_mapping *find_unc(const pathmap_ctx *ctx, const char *t, size_t *matched)
{
    const path_mapping *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < ctx->n_maps; i++) {
        const char *f = ctx->maps[i].from;
        if (f[0] != '\\')
            continue;
        size_t n = strlen(f);
        bool same = true;
        for (size_t k = 0; k < n && same; k++) {
            char a = t[k] == '/' ? '\\' : (char)tolower((unsigned char)t[k]);
            same = t[k] != '\0' && a == f[k];
        }
        if (same && (t[n] == '\0' || is_sep(t[n])) && n > best_len) {
            best = &ctx->maps[i];
            best_len = n;
        }
    }
    *matched = best_len;
    return best;
}

static pathmap_result resolve(const pathmap_ctx *ctx, const char *text, char **local, char **reason)
{
    *local = NULL;
    *reason = NULL;
    if (strlen(text) >= PATH_MAX) {
        *reason = util_asprintf("longer than PATH_MAX (%d bytes)", PATH_MAX);
        return PATHMAP_INVALID;
    }
    if (is_drive(text)) {
        char drive[3] = {(char)toupper((unsigned char)text[0]), ':', '\0'};
        for (size_t i = 0; i < ctx->n_maps; i++)
            if (strcmp(ctx->maps[i].from, drive) == 0) {
                *local = local_join(ctx->maps[i].dir, text + 2);
                return *local ? PATHMAP_OK : PATHMAP_INVALID;
            }
        *reason = util_asprintf("drive %s is not mapped (use --map %s=DIR)", drive, drive);
        return PATHMAP_UNMAPPED;
    }
    if (is_unc(text)) {
        size_t n;
        const path_mapping *m = find_unc(ctx, text, &n);
        if (m) {
            *local = local_join(m->dir, text + n);
            return *local ? PATHMAP_OK : PATHMAP_INVALID;
        }
        size_t share = unc_prefix_len(text);
        char *prefix = util_strndup(text, share, NULL);
        *reason = util_asprintf("share %s is not mapped (use --map '%s=DIR')",
                                prefix ? prefix : text, prefix ? prefix : text);
        free(prefix);
        return PATHMAP_UNMAPPED;
    }
    if (text[0] == '\\') {
        *reason = util_asprintf("rooted at the current drive of a Windows machine; "
                                "write it with a drive letter and map the drive");
        return PATHMAP_UNMAPPED;
    }
    if (text[0] == '/') {
        *local = local_join("", text);
        if (*local && (*local)[0] != '/') {
            char *abs = util_asprintf("/%s", *local);
            free(*local);
            *local = abs;
        }
        return *local ? PATHMAP_OK : PATHMAP_INVALID;
    }
    /* Relative: against the session's directory. "." is the directory itself. */
    if (strcmp(text, ".") == 0)
        *local = util_strdup(ctx->cwd);
    else if (text[0] == '.' && is_sep(text[1]))
        *local = local_join(ctx->cwd, text + 2);
    else
        *local = local_join(ctx->cwd, text);
    return *local ? PATHMAP_OK : PATHMAP_INVALID;
}

pathmap_result pathmap_resolve(const pathmap_ctx *ctx, const char *text, char **local,
                               char **reason)
{
    pathmap_result r = resolve(ctx, text, local, reason);
    /* "D:\\syms\\" and "D:\\syms" are one directory: no trailing separator locally. */
    for (size_t n = *local ? strlen(*local) : 0; n > 1 && (*local)[n - 1] == '/'; n--)
        (*local)[n - 1] = '\0';
    return r;
}
