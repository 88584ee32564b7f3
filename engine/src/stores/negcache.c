/* The negative cache: a 404 remembered on disk per store, file and key, for a time to live,
 * so hopeless lookups are not repeated on every run. <home>/negative/<store hash>/<file>/<key>
 * is an empty file whose modification time is when the miss happened. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "stores/negcache.h"
#include "util/util.h"
#include "stores/store_write.h"
#include "symscope/display.h"

static char *store_dir(const char *home, const char *url)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const char *p = url; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return util_asprintf("%s/negative/%016llx", home, (unsigned long long)h);
}

static char *entry_path(const char *home, const char *url, const char *file, const char *key)
{
    if (!layout_name_ok(file) || !layout_name_ok(key))
        return NULL;
    char *dir = store_dir(home, url);
    char *p = dir ? util_asprintf("%s/%s/%s", dir, file, key) : NULL;
    free(dir);
    return p;
}

bool negcache_check(const negcache *nc, const char *url, const char *file, const char *key,
                    long *age_s)
{
    if (nc->ttl_s <= 0)
        return false;
    char *p = entry_path(nc->home, url, file, key);
    struct stat st;
    bool hit = p && stat(p, &st) == 0;
    free(p);
    if (!hit)
        return false;
    long age = (long)(time(NULL) - st.st_mtime);
    *age_s = age < 0 ? 0 : age;
    return age < nc->ttl_s;
}

/* The negative cache says which files a user asked which servers for: the user's alone. */
static void mkdirs(char *path)
{
    for (char *q = path + 1; *q; q++)
        if (*q == '/') {
            *q = '\0';
            mkdir(path, 0700);
            *q = '/';
        }
    mkdir(path, 0700);
}

/* Creates (or truncates) a file readable by its owner only. */
static FILE *open_private(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return NULL;
    fchmod(fd, 0600); /* an older file may have been created with a wider mode */
    FILE *f = fdopen(fd, "w");
    if (!f)
        close(fd);
    return f;
}

void negcache_remember(const negcache *nc, const char *url, const char *file, const char *key)
{
    if (nc->dry_run)
        return; /* a dry run writes nothing */
    if (nc->ttl_s <= 0)
        return;
    char *dir = store_dir(nc->home, url);
    char *p = entry_path(nc->home, url, file, key);
    char *parent = p ? util_strdup(p) : NULL;
    char *slash = parent ? strrchr(parent, '/') : NULL;
    if (dir && p && slash) {
        *slash = '\0';
        mkdirs(parent);
        /* The store's URL beside its entries, so that they can be found by store. */
        char *name = util_asprintf("%s/store.txt", dir);
        FILE *f = name ? open_private(name) : NULL;
        char *shown = sym_redact_urls(url); /* the store's credentials are not written down */
        if (f) {
            fprintf(f, "%s\n", shown ? shown : "");
            fclose(f);
        }
        free(shown);
        free(name);
        f = open_private(p);
        if (f)
            fclose(f);
    }
    free(dir);
    free(p);
    free(parent);
}

/* Removes <dir>/<file>/<key> entries (of one file name, or all); returns how many. */
static size_t forget_in(const char *dir, const char *file)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, "store.txt") == 0)
            continue;
        if (file && strcasecmp(de->d_name, file) != 0)
            continue;
        char *fdir = util_asprintf("%s/%s", dir, de->d_name);
        DIR *k = fdir ? opendir(fdir) : NULL;
        struct dirent *ke;
        while (k && (ke = readdir(k)) != NULL) {
            if (ke->d_name[0] == '.')
                continue;
            char *p = util_asprintf("%s/%s", fdir, ke->d_name);
            if (p && unlink(p) == 0)
                n++;
            free(p);
        }
        if (k)
            closedir(k);
        if (fdir)
            rmdir(fdir);
        free(fdir);
    }
    closedir(d);
    return n;
}

size_t negcache_forget(const char *home, const char *store_url, const char *file)
{
    size_t n = 0;
    if (store_url) {
        char *dir = store_dir(home, store_url);
        if (dir)
            n = forget_in(dir, file);
        free(dir);
        return n;
    }
    char *root = util_asprintf("%s/negative", home);
    DIR *d = root ? opendir(root) : NULL;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char *dir = util_asprintf("%s/%s", root, de->d_name);
        if (dir)
            n += forget_in(dir, file);
        free(dir);
    }
    if (d)
        closedir(d);
    free(root);
    return n;
}
