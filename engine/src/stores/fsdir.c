/* Case-insensitive lookups over directory listings kept for a whole session. A listing is a
 * sorted array of names, so a directory of 100,000 files costs one readdir pass and then a
 * binary search per lookup. A listing is used while its directory is unchanged: at the first
 * use in each search pass the directory's modification time is compared with the listing's,
 * and a directory the session wrote into is listed again. Listings are found through a hash
 * table, so a session of 10,000 modules and as many key directories stays linear. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stores/fsdir.h"
#include "util/util.h"

typedef struct dir_entry {
    char *name;
    unsigned char type; /* d_type */
} dir_entry;

typedef struct listing {
    char *dir;
    uint64_t hash;
    fsdir_result status; /* FSDIR_FOUND when the directory was listed */
    dir_entry *entries;
    size_t n;
    struct timespec mtime; /* of the directory when it was listed */
    dev_t dev;
    ino_t ino;
    unsigned checked; /* the pass in which the directory was last compared */
    bool stale;       /* written into by the session, or a watch said so: list again */
    int wd;           /* inotify watch, or -1 */
} listing;

struct fsdir_cache {
    pthread_mutex_t lock; /* searches run in parallel */
    listing **slots;      /* open addressing on hash */
    size_t n, cap;
    size_t listings;
    unsigned pass;
    int inotify; /* -1: directories are compared by modification time */
};

fsdir_cache *fsdir_cache_new(void)
{
    fsdir_cache *c = calloc(1, sizeof *c);
    if (c) {
        pthread_mutex_init(&c->lock, NULL);
        c->pass = 1;
        c->inotify = -1;
    }
    return c;
}

bool fsdir_cache_watch(fsdir_cache *c)
{
    pthread_mutex_lock(&c->lock);
    if (c->inotify < 0)
        c->inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    bool ok = c->inotify >= 0;
    pthread_mutex_unlock(&c->lock);
    return ok;
}

/* What the watches reported since the last look: those listings are listed again. */
static void drain(fsdir_cache *c)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n;
    while (c->inotify >= 0 && (n = read(c->inotify, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            for (size_t i = 0; i < c->cap; i++)
                if (c->slots[i] && c->slots[i]->wd == ev->wd) {
                    c->slots[i]->stale = true;
                    if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF))
                        c->slots[i]->wd = -1; /* gone: watched again when listed again */
                }
            if (ev->mask & IN_Q_OVERFLOW) /* events were lost: trust nothing */
                for (size_t i = 0; i < c->cap; i++)
                    if (c->slots[i])
                        c->slots[i]->stale = true;
            p += sizeof *ev + ev->len;
        }
    }
}

static void entries_free(listing *l)
{
    for (size_t k = 0; k < l->n; k++)
        free(l->entries[k].name);
    free(l->entries);
    l->entries = NULL;
    l->n = 0;
}

void fsdir_cache_free(fsdir_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i]) {
            entries_free(c->slots[i]);
            free(c->slots[i]->dir);
            free(c->slots[i]);
        }
    free(c->slots);
    if (c->inotify >= 0)
        close(c->inotify);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

size_t fsdir_cache_listings(const fsdir_cache *c)
{
    return c->listings;
}

void fsdir_cache_begin(fsdir_cache *c)
{
    pthread_mutex_lock(&c->lock);
    c->pass++;
    drain(c);
    pthread_mutex_unlock(&c->lock);
}

void fsdir_cache_forget(fsdir_cache *c, const char *root)
{
    size_t n = strlen(root);
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < c->cap; i++) {
        listing *l = c->slots[i];
        if (l && strncmp(l->dir, root, n) == 0 && (l->dir[n] == '\0' || l->dir[n] == '/'))
            l->stale = true;
    }
    pthread_mutex_unlock(&c->lock);
}

static uint64_t hash_of(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int entry_cmp(const void *a, const void *b)
{
    return strcasecmp(((const dir_entry *)a)->name, ((const dir_entry *)b)->name);
}

static void list_dir(fsdir_cache *c, listing *l)
{
    entries_free(l);
    l->stale = false;
    c->listings++;
    if (c->inotify >= 0 && l->wd < 0) /* where it fails (too many watches), mtimes still do */
        l->wd = inotify_add_watch(c->inotify, l->dir,
                                  IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB |
                                      IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR);
    DIR *d = opendir(l->dir);
    if (!d) {
        int e = errno;
        l->status = e == EACCES || e == EPERM     ? FSDIR_DENIED
                    : e == ELOOP                  ? FSDIR_LOOP
                    : e == ENOENT || e == ENOTDIR ? FSDIR_NO_DIR
                                                  : FSDIR_ERROR;
        return;
    }
    struct stat st;
    if (fstat(dirfd(d), &st) == 0) {
        l->mtime = st.st_mtim;
        l->dev = st.st_dev;
        l->ino = st.st_ino;
    }
    size_t cap = 0;
    struct dirent *de;
    l->status = FSDIR_FOUND;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (!util_grow(&l->entries, &cap, l->n + 1, sizeof *l->entries)) {
            l->status = FSDIR_ERROR;
            break;
        }
        l->entries[l->n].name = util_strdup(de->d_name);
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

/* Whether the directory changed since it was listed (once per pass). */
static bool changed(fsdir_cache *c, listing *l)
{
    if (l->stale)
        return true;
    if (l->checked == c->pass || l->wd >= 0)
        return false; /* compared this pass already, or a watch would have said */
    l->checked = c->pass;
    struct stat st;
    if (stat(l->dir, &st) != 0)
        return l->status != FSDIR_NO_DIR;
    if (!S_ISDIR(st.st_mode))
        return l->status != FSDIR_NO_DIR;
    return l->status != FSDIR_FOUND || st.st_mtim.tv_sec != l->mtime.tv_sec ||
           st.st_mtim.tv_nsec != l->mtime.tv_nsec || st.st_ino != l->ino || st.st_dev != l->dev;
}

static bool grow(fsdir_cache *c)
{
    size_t cap = c->cap ? c->cap * 2 : 64;
    listing **slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i]) {
            size_t k = c->slots[i]->hash & (cap - 1);
            while (slots[k])
                k = (k + 1) & (cap - 1);
            slots[k] = c->slots[i];
        }
    free(c->slots);
    c->slots = slots;
    c->cap = cap;
    return true;
}

static listing *get_listing(fsdir_cache *c, const char *dir)
{
    uint64_t h = hash_of(dir);
    if (c->cap) {
        for (size_t k = h & (c->cap - 1); c->slots[k]; k = (k + 1) & (c->cap - 1)) {
            listing *l = c->slots[k];
            if (l->hash == h && strcmp(l->dir, dir) == 0) {
                if (changed(c, l))
                    list_dir(c, l);
                return l;
            }
        }
    }
    if ((c->n + 1) * 10 > c->cap * 7 && !grow(c))
        return NULL;
    listing *l = calloc(1, sizeof *l);
    if (!l || !(l->dir = util_strdup(dir))) {
        free(l);
        return NULL;
    }
    l->hash = h;
    l->checked = c->pass;
    l->wd = -1;
    size_t k = h & (c->cap - 1);
    while (c->slots[k])
        k = (k + 1) & (c->cap - 1);
    c->slots[k] = l;
    c->n++;
    list_dir(c, l);
    return l;
}

static fsdir_result lookup(fsdir_cache *c, const char *dir, const char *name, char **path,
                           bool *is_dir)
{
    listing *l = get_listing(c, dir);
    if (!l)
        return FSDIR_ERROR;
    if (l->status != FSDIR_FOUND)
        return l->status;
    dir_entry key = {.name = (char *)name};
    dir_entry *hit = l->n ? bsearch(&key, l->entries, l->n, sizeof *l->entries, entry_cmp) : NULL;
    if (!hit)
        return FSDIR_NOT_FOUND;
    /* Several spellings may fold together: prefer the exact one, else the first. */
    dir_entry *first = hit, *last = hit;
    while (first > l->entries && strcasecmp(first[-1].name, name) == 0)
        first--;
    while (last + 1 < l->entries + l->n && strcasecmp(last[1].name, name) == 0)
        last++;
    hit = first;
    for (dir_entry *e = first; e <= last; e++)
        if (strcmp(e->name, name) == 0)
            hit = e;
    *path =
        util_asprintf("%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", hit->name);
    if (!*path)
        return FSDIR_ERROR;
    if (is_dir) {
        if (hit->type == DT_DIR) {
            *is_dir = true;
        } else if (hit->type == DT_UNKNOWN || hit->type == DT_LNK) {
            struct stat st;
            *is_dir = stat(*path, &st) == 0 && S_ISDIR(st.st_mode);
        }
    }
    return FSDIR_FOUND;
}

fsdir_result fsdir_find(fsdir_cache *c, const char *dir, const char *name, char **path,
                        bool *is_dir)
{
    *path = NULL;
    if (is_dir)
        *is_dir = false;
    if (strlen(dir) + strlen(name) + 2 > PATH_MAX)
        return FSDIR_ERROR;
    pthread_mutex_lock(&c->lock);
    fsdir_result r = lookup(c, dir, name, path, is_dir);
    pthread_mutex_unlock(&c->lock);
    return r;
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
