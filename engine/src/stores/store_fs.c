/* File operations below a store's root that never follow a symbolic link (see store_fs.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stores/store_fs.h"
#include "util/util.h"

sym_status storefs_errno_status(int e)
{
    switch (e) {
    case EACCES:
    case EPERM:
    case EROFS:
        return SYM_E_ACCESS;
    case ENOENT:
    case ENOTDIR:
        return SYM_E_NOENT;
    default:
        return SYM_E_IO;
    }
}

sym_status storefs_make_dirs(const char *root, sym_error *err)
{
    char *p = util_strdup(root);
    if (!p)
        return err_set(err, SYM_E_NOMEM, "out of memory");
    for (char *q = p + 1;; q++) {
        if (*q != '/' && *q != '\0')
            continue;
        char c = *q;
        *q = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            int e = errno;
            sym_status st =
                err_set(err, storefs_errno_status(e), "cannot create %s: %s", p, strerror(e));
            free(p);
            return st;
        }
        *q = c;
        if (c == '\0')
            break;
    }
    free(p);
    return SYM_OK;
}

/* Why a component could not be opened as a directory, in words. */
static sym_status refuse(int dirfd, const char *root, const char *rel, size_t upto,
                         const char *comp, int e, sym_error *err)
{
    struct stat st;
    bool link = fstatat(dirfd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
    if (link || e == ELOOP)
        return err_set(err, SYM_E_ACCESS,
                       "%s/%.*s is a symbolic link: nothing is written or moved through a "
                       "link inside a store",
                       root, (int)upto, rel);
    if (e == ENOTDIR)
        return err_set(err, SYM_E_IO, "%s/%.*s is not a directory", root, (int)upto, rel);
    return err_set(err, storefs_errno_status(e), "cannot open %s/%.*s: %s", root, (int)upto, rel,
                   strerror(e));
}

int storefs_open_dir(const char *root, const char *rel, bool create, sym_error *err)
{
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        if (storefs_make_dirs(root, err) != SYM_OK)
            return -1;
        fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    if (fd < 0) {
        int e = errno;
        err_set(err, storefs_errno_status(e), "cannot open %s: %s", root, strerror(e));
        return -1;
    }
    const char *p = rel;
    while (*p) {
        while (*p == '/')
            p++;
        size_t n = strcspn(p, "/");
        if (n == 0)
            break;
        char comp[256];
        if (n >= sizeof comp) {
            close(fd);
            err_set(err, SYM_E_ARG, "%s/%s: a name longer than 255 bytes", root, rel);
            return -1;
        }
        memcpy(comp, p, n);
        comp[n] = '\0';
        int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
        int next = openat(fd, comp, flags);
        if (next < 0 && errno == ENOENT && create) {
            if (mkdirat(fd, comp, 0755) == 0 || errno == EEXIST)
                next = openat(fd, comp, flags);
        }
        if (next < 0) {
            refuse(fd, root, rel, (size_t)(p - rel) + n, comp, errno, err);
            close(fd);
            return -1;
        }
        close(fd);
        fd = next;
        p += n;
    }
    return fd;
}

int storefs_create_temp(int dirfd, char name[STOREFS_TEMP_LEN + 1], const char *where,
                        sym_error *err)
{
    static const char digits[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    const size_t prefix = sizeof STOREFS_TEMP_PREFIX - 1;
    for (int tries = 0; tries < 100; tries++) {
        unsigned char rnd[STOREFS_TEMP_LEN];
        if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
            for (size_t i = 0; i < sizeof rnd; i++)
                rnd[i] = (unsigned char)(rand() ^ getpid() ^ tries);
        }
        memcpy(name, STOREFS_TEMP_PREFIX, prefix);
        for (size_t i = prefix; i < STOREFS_TEMP_LEN; i++)
            name[i] = digits[rnd[i] % (sizeof digits - 1)];
        name[STOREFS_TEMP_LEN] = '\0';
        int fd = openat(dirfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd >= 0)
            return fd;
        if (errno != EEXIST) {
            int e = errno;
            err_set(err, storefs_errno_status(e), "cannot create a file in %s: %s", where,
                    strerror(e));
            return -1;
        }
    }
    err_set(err, SYM_E_IO, "cannot create a file in %s: no free temporary name", where);
    return -1;
}

bool storefs_writable(const char *dir)
{
    char *p = util_strdup(dir);
    bool ok = false;
    while (p && *p) {
        struct stat st;
        if (stat(p, &st) == 0) {
            ok = S_ISDIR(st.st_mode) && faccessat(AT_FDCWD, p, W_OK | X_OK, AT_EACCESS) == 0;
            break;
        }
        char *slash = strrchr(p, '/');
        if (!slash) {
            ok = faccessat(AT_FDCWD, ".", W_OK | X_OK, AT_EACCESS) == 0;
            break;
        }
        slash[slash == p ? 1 : 0] = '\0'; /* up one level; "/x" becomes "/" */
    }
    free(p);
    return ok;
}

bool storefs_split(const char *root, const char *path, char **rel, char **name)
{
    *rel = *name = NULL;
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    if (strncmp(path, root, n) != 0 || path[n] != '/')
        return false;
    const char *r = path + n;
    while (*r == '/')
        r++;
    const char *slash = strrchr(r, '/');
    *rel = slash ? util_strndup(r, (size_t)(slash - r), NULL) : util_strdup("");
    *name = util_strdup(slash ? slash + 1 : r);
    if (!*rel || !*name || !**name) {
        free(*rel);
        free(*name);
        *rel = *name = NULL;
        return false;
    }
    return true;
}
