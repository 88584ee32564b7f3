/* Case-insensitive lookups over cached directory listings. A listing is a sorted array of
 * (folded name, real name) so a directory of 100,000 files costs one readdir pass and then a
 * binary search per lookup. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>

#include "fsdir.h"
#include "util.h"

typedef struct dir_entry {
    char *name;
    unsigned char type; /* d_type */
} dir_entry;

typedef struct listing {
    char *dir;
    fsdir_result status; /* FSDIR_FOUND when the directory was listed */
    dir_entry *entries;
    size_t n;
} listing;

struct fsdir_cache {
    listing *lists;
    size_t n, cap;
    size_t listings;
};

fsdir_cache *fsdir_cache_new(void)
{
    return calloc(1, sizeof(fsdir_cache));
}

void fsdir_cache_free(fsdir_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        for (size_t k = 0; k < c->lists[i].n; k++)
            free(c->lists[i].entries[k].name);
        free(c->lists[i].entries);
        free(c->lists[i].dir);
    }
    free(c->lists);
    free(c);
}

size_t fsdir_cache_listings(const fsdir_cache *c)
{
    return c->listings;
}

static int entry_cmp(const void *a, const void *b)
{
    return strcasecmp(((const dir_entry *)a)->name, ((const dir_entry *)b)->name);
}

static void list_dir(listing *l)
{
    DIR *d = opendir(l->dir);
    if (!d) {
        int e = errno;
        l->status = e == EACCES || e == EPERM     ? FSDIR_DENIED
                    : e == ELOOP                  ? FSDIR_LOOP
                    : e == ENOENT || e == ENOTDIR ? FSDIR_NO_DIR
                                                  : FSDIR_ERROR;
        return;
    }
    size_t cap = 0;
    struct dirent *de;
    l->status = FSDIR_FOUND;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (!sym_grow(&l->entries, &cap, l->n + 1, sizeof *l->entries)) {
            l->status = FSDIR_ERROR;
            break;
        }
        l->entries[l->n].name = sym_strdup(de->d_name);
        l->entries[l->n].type = de->d_type;
        if (!l->entries[l->n].name) {
            l->status = FSDIR_ERROR;
            break;
        }
        l->n++;
    }
    closedir(d);
    if (l->n > 1)
        qsort(l->entries, l->n, sizeof *l->entries, entry_cmp);
}

static listing *get_listing(fsdir_cache *c, const char *dir)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->lists[i].dir, dir) == 0)
            return &c->lists[i];
    if (!sym_grow(&c->lists, &c->cap, c->n + 1, sizeof *c->lists))
        return NULL;
    listing *l = &c->lists[c->n];
    memset(l, 0, sizeof *l);
    l->dir = sym_strdup(dir);
    if (!l->dir)
        return NULL;
    c->n++;
    c->listings++;
    list_dir(l);
    return l;
}

fsdir_result fsdir_find(fsdir_cache *c, const char *dir, const char *name, char **path,
                        bool *is_dir)
{
    *path = NULL;
    if (is_dir)
        *is_dir = false;
    if (strlen(dir) + strlen(name) + 2 > PATH_MAX)
        return FSDIR_ERROR;
    /* The name as given is the usual case: one stat, and no listing at all. Only when it is
     * not there is the directory listed (once) to find another spelling. */
    char *exact =
        sym_asprintf("%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    struct stat st;
    if (exact && stat(exact, &st) == 0) {
        if (is_dir)
            *is_dir = S_ISDIR(st.st_mode);
        *path = exact;
        return FSDIR_FOUND;
    }
    free(exact);
    listing *l = get_listing(c, dir);
    if (!l)
        return FSDIR_ERROR;
    if (l->status != FSDIR_FOUND)
        return l->status;
    dir_entry key = {.name = (char *)name};
    dir_entry *hit = l->n ? bsearch(&key, l->entries, l->n, sizeof *l->entries, entry_cmp) : NULL;
    if (!hit)
        return FSDIR_NOT_FOUND;
    /* Several spellings may fold together: prefer the exact one. */
    dir_entry *first = hit, *last = hit;
    while (first > l->entries && strcasecmp(first[-1].name, name) == 0)
        first--;
    while (last + 1 < l->entries + l->n && strcasecmp(last[1].name, name) == 0)
        last++;
    for (dir_entry *e = first; e <= last; e++)
        if (strcmp(e->name, name) == 0)
            hit = e;
    if (hit == first && strcmp(hit->name, name) != 0)
        hit = first;
    *path =
        sym_asprintf("%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", hit->name);
    if (!*path)
        return FSDIR_ERROR;
    if (is_dir) {
        if (hit->type == DT_DIR) {
            *is_dir = true;
        } else if (hit->type == DT_UNKNOWN || hit->type == DT_LNK) {
            *is_dir = stat(*path, &st) == 0 && S_ISDIR(st.st_mode);
        }
    }
    return FSDIR_FOUND;
}

const char *fsdir_result_text(fsdir_result r)
{
    switch (r) {
    case FSDIR_FOUND:
        return "found";
    case FSDIR_NOT_FOUND:
        return "file not found";
    case FSDIR_NO_DIR:
        return "directory not found";
    case FSDIR_DENIED:
        return "directory cannot be listed: permission denied";
    case FSDIR_LOOP:
        return "symbolic link loop";
    case FSDIR_ERROR:
    default:
        return "path too long or unreadable";
    }
}
