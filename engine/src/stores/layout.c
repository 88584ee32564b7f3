/* The layout of a symbol store, in one place: the key directory (<file>/<key>), the two-tier
 * prefix (<xx>/<file>/<key> when index2.txt is there), the compressed name (last character '_'),
 * file.ptr, pingme.txt, and which names are safe in a store at all. Every backend, the planner,
 * the writes and the inventory use these. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stores/layout.h"
#include "util/pathmap.h"
#include "util/util.h"

char *layout_pointer_text(const char *path)
{
    int fd = util_open_regular(path, NULL); /* a FIFO named file.ptr must not hang the search */
    if (fd < 0)
        return NULL;
    char buf[LAYOUT_PTR_MAX + 1];
    size_t n = 0;
    while (n < LAYOUT_PTR_MAX) {
        ssize_t r = read(fd, buf + n, LAYOUT_PTR_MAX - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    char *line = buf;
    while (*line == ' ' || *line == '\t')
        line++;
    line[strcspn(line, "\r\n")] = '\0';
    return util_strdup(line);
}

char *layout_read_pointer(const char *path, bool *is_msg)
{
    *is_msg = false;
    char *text = layout_pointer_text(path);
    if (!text)
        return NULL;
    const char *line = text;
    if (strncasecmp(line, "MSG:", 4) == 0) {
        *is_msg = true;
        line += 4;
    } else if (strncasecmp(line, "PATH:", 5) == 0) {
        line += 5;
    }
    char *out = util_strdup(line);
    free(text);
    return out;
}

/* Windows drops trailing dots and spaces from a path component, so a component made only of
 * dots and spaces names the directory itself or its parent (or nothing). */
static bool component_ok(const char *s, size_t n)
{
    if (n == 0 || n > 255)
        return false;
    bool only_dots = true;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '/' || s[i] == '\\' || s[i] == '\0')
            return false;
        if (s[i] != '.' && s[i] != ' ')
            only_dots = false;
    }
    return !only_dots;
}

bool layout_name_ok(const char *name)
{
    if (!name)
        return false;
    size_t n = strlen(name);
    /* The first two characters are a directory of their own in a two-tier store ("..pdb"
     * would file under ".."): the name must be safe in every layout. */
    return component_ok(name, n) && component_ok(name, n < 2 ? n : 2);
}

char *layout_key_rel(int tiers, const char *file, const sym_identity *id)
{
    char key[SYM_KEY_MAX];
    if (!layout_name_ok(file) || !sym_identity_key(id, key))
        return NULL;
    if (tiers == 2) {
        /* Two-tier stores file under the first two characters of the name. */
        char prefix[3];
        layout_tier_prefix(file, prefix);
        return util_asprintf("%s/%s/%s", prefix, file, key);
    }
    return util_asprintf("%s/%s", file, key);
}

char *layout_key_dir(const char *root, int tiers, const char *file, const sym_identity *id)
{
    char *rel = layout_key_rel(tiers, file, id);
    char *dir = rel ? util_asprintf("%s/%s", root, rel) : NULL;
    free(rel);
    return dir;
}

/* "c:\myCache\ntdll.pdb\<key>\ntdll.pdb" in the notation the store was written in. */
char *layout_location(const sym_store_desc *d, const char *file, const sym_identity *id,
                      const char *name)
{
    char key[SYM_KEY_MAX];
    sym_identity_key(id, key);
    const char *base = d->location && d->location[0] ? d->location : d->local;
    char sep = d->type == SYM_STORE_HTTP ? '/' : pathmap_notation_sep(base ? base : "");
    if (d->location && !d->location[0])
        sep = '/'; /* the default store is shown as its local path */
    char tier[3] = "", prefix[4] = "";
    if (d->tiers == 2) {
        layout_tier_prefix(file, tier);
        snprintf(prefix, sizeof prefix, "%s%c", tier, sep);
    }
    char *rel = util_asprintf("%s%s%c%s%c%s", prefix, file, sep, key, sep, name);
    char *loc = rel ? pathmap_join_notation(base ? base : "", sep, rel) : NULL;
    free(rel);
    return loc;
}

bool layout_compressed_name(const char *file, char *out, size_t n)
{
    size_t len = file ? strlen(file) : 0;
    if (len == 0 || len >= n)
        return false;
    memcpy(out, file, len + 1);
    out[len - 1] = '_';
    return true;
}

bool layout_is_compressed_of(const char *name, const char *file)
{
    size_t fl = strlen(file);
    return fl > 0 && strlen(name) == fl && name[fl - 1] == '_' && file[fl - 1] != '_' &&
           strncasecmp(name, file, fl - 1) == 0;
}

void layout_tier_prefix(const char *file, char prefix[3])
{
    prefix[0] = file[0];
    prefix[1] = file[0] ? file[1] : '\0';
    prefix[2] = '\0';
    for (int i = 0; prefix[i]; i++)
        if (prefix[i] >= 'A' && prefix[i] <= 'Z')
            prefix[i] = (char)(prefix[i] - 'A' + 'a');
}

bool layout_dir_has(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool found = false;
    struct dirent *de;
    while (!found && (de = readdir(d)) != NULL)
        found = strcasecmp(de->d_name, name) == 0;
    closedir(d);
    return found;
}

int layout_tiers(const char *root)
{
    return layout_dir_has(root, LAYOUT_INDEX2) ? 2 : 1;
}

void layout_key_names(layout_names *n, const char *file, bool favor_compressed, const char *prefix)
{
    if (!layout_compressed_name(file, n->compressed, sizeof n->compressed))
        n->compressed[0] = '\0';
    const char *plain = file, *comp = n->compressed;
    n->name[0] = favor_compressed ? comp : plain;
    n->name[1] = favor_compressed ? plain : comp;
    n->name[2] = LAYOUT_POINTER;
    snprintf(n->rule[favor_compressed ? 1 : 0], sizeof n->rule[0], "%s", prefix);
    snprintf(n->rule[favor_compressed ? 0 : 1], sizeof n->rule[0], "%s-compressed", prefix);
    snprintf(n->rule[2], sizeof n->rule[0], "%s-pointer", prefix);
}
