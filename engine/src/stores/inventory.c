/* Store inventory: every entry of a one- or two-tier store, checked against the key directory
 * it sits in; bad entries moved aside; pruning least recently used first. */
#define _GNU_SOURCE /* renameat2 */
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "formats/formats.h"
#include "stores/layout.h"
#include "stores/store_fs.h"
#include "util/pathmap.h"
#include "util/util.h"
#include "stores/store_write.h"
#include "symscope/cache.h"
#include "symscope/display.h"

#define QUARANTINE ".symscope-bad"
#define TEMP_GRACE_SECONDS 60 /* a younger temporary file may be a write in progress */

struct sym_cache {
    char *dir;
    int tiers;
    sym_cache_entry *entries;
    size_t n, cap;
    uint64_t total;
};

static const char *const state_names[] = {
#define SYM_X(e, name, fault) name,
    SYM_ENTRY_STATE_LIST(SYM_X)
#undef SYM_X
};
static const bool state_faults[] = {
#define SYM_X(e, name, fault) fault,
    SYM_ENTRY_STATE_LIST(SYM_X)
#undef SYM_X
};

const char *sym_entry_state_name(sym_entry_state s)
{
    return (unsigned)s < SYM_ENTRY_STATE_COUNT ? state_names[s] : "?";
}

bool sym_entry_state_is_fault(sym_entry_state s)
{
    return (unsigned)s < SYM_ENTRY_STATE_COUNT && state_faults[s];
}

static void entry_free(sym_cache_entry *e)
{
    free((char *)e->file);
    free((char *)e->key);
    free((char *)e->name);
    free((char *)e->path);
    free((char *)e->detail);
}

void sym_cache_free(sym_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        entry_free(&c->entries[i]);
    free(c->entries);
    free(c->dir);
    free(c);
}

const char *sym_cache_dir(const sym_cache *c)
{
    return c->dir;
}

int sym_cache_tiers(const sym_cache *c)
{
    return c->tiers;
}

size_t sym_cache_count(const sym_cache *c)
{
    return c->n;
}

const sym_cache_entry *sym_cache_entry_at(const sym_cache *c, size_t i)
{
    return i < c->n ? &c->entries[i] : NULL;
}

uint64_t sym_cache_total_bytes(const sym_cache *c)
{
    return c->total;
}

static bool skip_name(const char *n)
{
    return n[0] == '.' || strcasecmp(n, "000admin") == 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted directory names (or, with files, regular files) in dir. */
/* Linux's directory record, read with getdents64 (no stat, no second path walk). */
struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Sorted directory names (or, with files, everything else) in the directory open as dirfd.
 * Links are not directories: a store is never walked through one. */
static size_t list_fd(int dirfd, bool want_dirs, char ***out)
{
    *out = NULL;
    size_t n = 0, cap = 0;
    _Alignas(struct linux_dirent64) char buf[32768]; /* records start 8-byte aligned */
    for (;;) {
        long got = syscall(SYS_getdents64, dirfd, buf, sizeof buf);
        if (got <= 0)
            break;
        /* A key directory holds one to three names: a reply with room for many more records
         * is the whole directory, and asking again only to hear "no more" is the cost that
         * dominates a store of 100,000 entries. */
        bool whole = (size_t)got + 4096 < sizeof buf;
        for (long off = 0; off < got;) {
            struct linux_dirent64 *de = (struct linux_dirent64 *)(void *)(buf + off);
            off += de->d_reclen;
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            /* The entry's type from the listing when the file system gives it. */
            bool is_dir = de->d_type == DT_DIR;
            struct stat st;
            if (de->d_type == DT_UNKNOWN)
                is_dir = fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                         S_ISDIR(st.st_mode);
            if (is_dir != want_dirs || !util_grow(out, &cap, n + 1, sizeof **out))
                continue;
            (*out)[n] = util_strdup(de->d_name);
            if ((*out)[n])
                n++;
        }
        if (whole)
            break;
    }
    /* A store's root may hold 100,000 file names: n log n. */
    if (n > 1)
        qsort(*out, n, sizeof **out, name_cmp);
    return n;
}

static int open_dir_at(int parent, const char *name)
{
    return openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static size_t list(const char *dir, bool want_dirs, char ***out)
{
    *out = NULL;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    size_t n = list_fd(fd, want_dirs, out);
    close(fd);
    return n;
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

/* Looking at an entry is not using it: put its access time back, so that pruning by last use
 * sees only real use. */
static void keep_atime(const sym_cache_entry *e)
{
    struct timespec t[2] = {e->atime_ns, {.tv_nsec = UTIME_OMIT}};
    utimensat(AT_FDCWD, e->path, t, AT_SYMLINK_NOFOLLOW);
}

static void set_detail(sym_cache_entry *e, char *detail);

/* Writers hold an exclusive flock on their temporary file while they write it. */
static bool temp_locked(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool locked = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    close(fd);
    return locked;
}

static bool temp_stale(const sym_cache_entry *e)
{
    time_t now = time(NULL);
    return e->state == SYM_ENTRY_TEMPORARY && now > e->mtime &&
           now - e->mtime > TEMP_GRACE_SECONDS && !temp_locked(e->path);
}

static void add_entry(sym_cache *c, int dirfd, const char *file, const char *key,
                      const char *key_dir, const char *name)
{
    if (strcasecmp(name, "refs.ptr") == 0)
        return; /* SymStore's bookkeeping, not an entry */
    if (!util_grow(&c->entries, &c->cap, c->n + 1, sizeof *c->entries))
        return;
    sym_cache_entry *e = &c->entries[c->n];
    memset(e, 0, sizeof *e);
    e->file = util_strdup(file);
    e->key = util_strdup(key);
    e->name = util_strdup(name);
    e->path = util_asprintf("%s/%s", key_dir, name);
    e->detail = util_strdup("");
    e->format = "unknown";
    if (!e->file || !e->key || !e->name || !e->path || !e->detail) {
        entry_free(e);
        return;
    }
    e->pointer = strcasecmp(name, "file.ptr") == 0;
    /* One open per entry: O_NOATIME (looking is not using, so no access time to put back),
     * O_NONBLOCK and O_NOFOLLOW (a FIFO or a link is never read), then fstat. */
    int fd = -1;
    bool noatime = false;
    if (!e->pointer) {
        int flags = O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC;
        fd = openat(dirfd, name, flags | O_NOATIME);
        noatime = fd >= 0;
        if (fd < 0 && errno == EPERM) /* O_NOATIME is for the file's owner only */
            fd = openat(dirfd, name, flags);
    }
    struct stat st;
    bool have_stat =
        fd >= 0 ? fstat(fd, &st) == 0 : fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (fd >= 0 && (!have_stat || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
    }
    if (have_stat) {
        e->size = (uint64_t)st.st_size;
        e->mtime = st.st_mtime;
        e->used = st.st_atime > st.st_mtime ? st.st_atime : st.st_mtime;
        e->atime_ns = st.st_atim;
    }
    if (e->pointer) {
        e->format = "pointer";
    } else {
        /* A look at the first bytes tells the format without reading the file. */
        if (fd >= 0) {
            uint8_t head[64];
            ssize_t got = read(fd, head, sizeof head);
            close(fd);
            sym_format fmt = fileinfo_sniff(head, got > 0 ? (size_t)got : 0);
            e->format = got <= 0 ? "empty" : sym_format_name(fmt);
        } else if (have_stat && !S_ISREG(st.st_mode)) {
            e->format = S_ISLNK(st.st_mode) ? "link" : "not-a-file";
        }
        if (have_stat && !noatime)
            keep_atime(e);
    }
    e->compressed = !e->pointer && layout_is_compressed_of(name, file);
    if (name[0] == '.' && strstr(name, ".symscope-")) {
        e->state = SYM_ENTRY_TEMPORARY;
        e->stale = temp_stale(e);
        set_detail(e, util_strdup(e->stale ? "stale: left by an interrupted write"
                                           : "a write in progress"));
    } else if (!e->pointer && !e->compressed && strcasecmp(name, file) != 0)
        e->state = SYM_ENTRY_FOREIGN; /* SymSrv never looks at it */
    c->total += e->size;
    c->n++;
}

/* <dir>/<file>/<key>/<entries> */
/* <dir>/<file>/<key>/<entries> of one file name. */
static void scan_file(sym_cache *c, int dfd, const char *dir, const char *file)
{
    int ffd = open_dir_at(dfd, file);
    char *fdir = ffd >= 0 ? util_asprintf("%s/%s", dir, file) : NULL;
    char **keys;
    size_t nk = fdir ? list_fd(ffd, true, &keys) : 0;
    for (size_t k = 0; k < nk; k++) {
        int kfd = open_dir_at(ffd, keys[k]);
        char *kdir = kfd >= 0 ? util_asprintf("%s/%s", fdir, keys[k]) : NULL;
        char **names;
        size_t nn = kdir ? list_fd(kfd, false, &names) : 0;
        for (size_t j = 0; j < nn; j++)
            add_entry(c, kfd, file, keys[k], kdir, names[j]);
        free_list(names, nn);
        free(kdir);
        if (kfd >= 0)
            close(kfd);
    }
    free_list(keys, nk);
    free(fdir);
    if (ffd >= 0)
        close(ffd);
}

/* A share of a large store's file names, scanned on its own thread into its own list. */
typedef struct scan_part {
    sym_cache part;
    int dfd;
    const char *dir;
    char **files;
    size_t from, to;
    pthread_t thread;
    bool started;
} scan_part;

static void *scan_part_run(void *arg)
{
    scan_part *p = arg;
    for (size_t i = p->from; i < p->to; i++)
        if (!skip_name(p->files[i]))
            scan_file(&p->part, p->dfd, p->dir, p->files[i]);
    return NULL;
}

#define SCAN_THREADS 4
#define SCAN_PER_THREAD 2000 /* below this many names a thread is not worth starting */

/* <dir>/<file>/<key>/<entries>. Every entry costs a handful of system calls, so a store of
 * 100,000 entries is read by a few threads at once, each with its own share, kept in order. */
static void scan_files(sym_cache *c, const char *dir)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return;
    char **files;
    size_t nf = list_fd(dfd, true, &files);
    size_t nt = nf / SCAN_PER_THREAD;
    nt = nt < 1 ? 1 : nt > SCAN_THREADS ? SCAN_THREADS : nt;
    scan_part parts[SCAN_THREADS];
    memset(parts, 0, sizeof parts);
    for (size_t t = 0; t < nt; t++) {
        parts[t] = (scan_part){.dfd = dfd, .dir = dir, .files = files};
        parts[t].from = nf * t / nt;
        parts[t].to = nf * (t + 1) / nt;
        parts[t].started =
            t > 0 && pthread_create(&parts[t].thread, NULL, scan_part_run, &parts[t]) == 0;
    }
    for (size_t t = 0; t < nt; t++)
        if (!parts[t].started)
            scan_part_run(&parts[t]); /* the first share, or one whose thread did not start */
    for (size_t t = 0; t < nt; t++) {
        if (parts[t].started)
            pthread_join(parts[t].thread, NULL);
        sym_cache *p = &parts[t].part;
        if (p->n && util_grow(&c->entries, &c->cap, c->n + p->n, sizeof *c->entries)) {
            memcpy(c->entries + c->n, p->entries, p->n * sizeof *p->entries);
            c->n += p->n;
            c->total += p->total;
        } else {
            for (size_t i = 0; i < p->n; i++)
                entry_free(&p->entries[i]);
        }
        free(p->entries);
    }
    free_list(files, nf);
    close(dfd);
}

/* The identity a key directory stands for, from the file's name and the key. */
static sym_identity key_identity(const char *file, const char *key)
{
    sym_identity id = {.kind = SYM_ID_NONE};
    const char *dot = strrchr(file, '.');
    sym_id_kind kind = SYM_ID_IMAGE;
    if (dot && strcasecmp(dot, ".pdb") == 0)
        kind = strlen(key) >= 33 ? SYM_ID_PDB70 : SYM_ID_PDB20;
    else if (dot && strcasecmp(dot, ".dbg") == 0)
        kind = SYM_ID_DBG;
    if (!sym_identity_parse_key(kind, key, &id))
        id.kind = SYM_ID_NONE;
    return id;
}

static void set_detail(sym_cache_entry *e, char *detail)
{
    if (!detail)
        return;
    free((char *)e->detail);
    e->detail = detail;
}

/* The message of a reader's error without the path it starts with. */
static const char *strip_path(const char *msg, const char *path)
{
    size_t n = strlen(path);
    if (strncmp(msg, path, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
        return msg + n + 2;
    return msg;
}

static sym_entry_state check_file(const char *path, const sym_identity *want, bool compressed,
                                  const char **format, char **detail)
{
    sym_file_info *info;
    sym_error err;
    *detail = NULL;
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        *detail = util_strdup("not a regular file"); /* a FIFO or a device is never opened */
        return S_ISDIR(st.st_mode) ? SYM_ENTRY_UNREADABLE : SYM_ENTRY_NOT_SYMBOL;
    }
    if (stat(path, &st) == 0 && st.st_size == 0)
        return SYM_ENTRY_EMPTY;
    sym_status rs = sym_file_inspect(path, &info, &err);
    if (rs != SYM_OK) {
        *detail = util_strdup(strip_path(err.message, path));
        switch (rs) {
        case SYM_E_EMPTY:
            return SYM_ENTRY_EMPTY;
        case SYM_E_TRUNCATED:
            return SYM_ENTRY_TRUNCATED;
        case SYM_E_ACCESS:
        case SYM_E_IO:
        case SYM_E_NOENT:
        case SYM_E_ISDIR:
            return SYM_ENTRY_UNREADABLE;
        default:
            return SYM_ENTRY_NOT_SYMBOL;
        }
    }
    *format = sym_format_name(info->format);
    sym_entry_state state = SYM_ENTRY_VALID;
    const sym_file_info *what = info;
    if (info->format == SYM_FMT_CAB) {
        what = info->u.cab.member;
        if (!what) {
            state = info->u.cab.member_error.status == SYM_E_TRUNCATED ? SYM_ENTRY_TRUNCATED
                                                                       : SYM_ENTRY_NOT_SYMBOL;
            /* The member's message starts "<path>[<member>]: ". */
            const char *msg = info->u.cab.member_error.message;
            const char *rest = strstr(msg, "]: ");
            *detail = util_asprintf("a CAB holding %s: %s",
                                    info->u.cab.n_members ? info->u.cab.members[0].name : "nothing",
                                    rest ? rest + 3 : strip_path(msg, path));
        }
    } else if (compressed) {
        state = SYM_ENTRY_NOT_SYMBOL;
        *detail = util_asprintf("a compressed name holding a %s file, not a CAB", *format);
        what = NULL;
    }
    if (what) {
        sym_identity have = sym_file_identity(what);
        if (want->kind == SYM_ID_IMAGE && have.kind == SYM_ID_IMAGE)
            have.kind = want->kind;
        bool same = have.kind == SYM_ID_PORTABLE_PDB
                        ? memcmp(&have.guid, &want->guid, sizeof have.guid) == 0
                        : sym_identity_equal(want, &have);
        if (want->kind == SYM_ID_NONE) {
            state = SYM_ENTRY_MISMATCH;
            *detail = util_strdup("the key directory's name is not a key");
        } else if (!same) {
            char k[SYM_KEY_MAX];
            if (!sym_identity_key(&have, k))
                strcpy(k, "none");
            state = SYM_ENTRY_MISMATCH;
            *detail = util_asprintf("the file's identity is %s", k);
        }
    }
    sym_file_info_free(info);
    return state;
}

static void verify_entry(sym_cache_entry *e, const char *key_dir)
{
    if (e->state == SYM_ENTRY_TEMPORARY || e->state == SYM_ENTRY_FOREIGN)
        return;
    sym_identity want = key_identity(e->file, e->key);
    char *detail = NULL;
    if (!e->pointer) {
        e->state = check_file(e->path, &want, e->compressed, &e->format, &detail);
        set_detail(e, detail);
        return;
    }
    e->format = "pointer";
    bool is_msg;
    char *target = layout_read_pointer(e->path, &is_msg);
    if (!target) {
        e->state = SYM_ENTRY_UNREADABLE;
        return;
    }
    if (is_msg) {
        e->state = SYM_ENTRY_POINTER;
        set_detail(e, util_asprintf("MSG: %s", target));
        free(target);
        return;
    }
    /* Pointer targets in Windows notation depend on mappings this inventory does not have:
     * local and relative ones are checked. */
    pathmap_ctx pm = {NULL, 0, key_dir};
    char *local = NULL, *reason = NULL;
    if (pathmap_resolve(&pm, target, &local, &reason) != PATHMAP_OK) {
        e->state = SYM_ENTRY_POINTER;
        set_detail(e, util_asprintf("-> %s (not checked: %s)", target, reason));
    } else {
        const char *fmt = "unknown";
        e->state = check_file(local, &want, false, &fmt, &detail);
        if (e->state == SYM_ENTRY_VALID) {
            e->state = SYM_ENTRY_POINTER;
            set_detail(e, util_asprintf("-> %s", target));
        } else {
            if (e->state == SYM_ENTRY_UNREADABLE || e->state == SYM_ENTRY_EMPTY)
                e->state = SYM_ENTRY_BROKEN_POINTER;
            set_detail(e, util_asprintf("-> %s: %s", target,
                                        detail ? detail : sym_entry_state_name(e->state)));
        }
        free(detail);
    }
    free(local);
    free(reason);
    free(target);
}

sym_status sym_cache_scan(const char *dir, bool verify, sym_cache **out, sym_error *err)
{
    sym_error_clear(err);
    *out = NULL;
    if (strstr(dir, "://")) {
        char *shown = sym_redact_urls(dir);
        sym_status st = err_set(err, SYM_E_UNSUPPORTED,
                                "%s: an HTTP store cannot be listed; list the downstream store "
                                "that keeps its files",
                                shown ? shown : "(store)");
        free(shown);
        return st;
    }
    struct stat st;
    if (stat(dir, &st) != 0)
        return err_set(err, errno == EACCES ? SYM_E_ACCESS : SYM_E_NOENT, "%s: %s", dir,
                       errno == EACCES ? "permission denied" : "no such directory");
    if (!S_ISDIR(st.st_mode))
        return err_set(err, SYM_E_ARG, "%s: not a directory", dir);
    sym_cache *c = calloc(1, sizeof *c);
    if (!c || !(c->dir = util_strdup(dir))) {
        free(c);
        return err_set(err, SYM_E_NOMEM, "out of memory");
    }
    c->tiers = layout_tiers(dir);
    /* Downloads start in the store's root: an interrupted one is left there. */
    int rfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char **top = NULL;
    size_t nt = rfd >= 0 ? list_fd(rfd, false, &top) : 0;
    for (size_t i = 0; i < nt; i++)
        if (strncmp(top[i], ".download.symscope-", 19) == 0)
            add_entry(c, rfd, "", "", dir, top[i]);
    free_list(top, nt);
    if (rfd >= 0)
        close(rfd);
    if (c->tiers == 1) {
        scan_files(c, dir);
    } else {
        char **prefixes;
        size_t np = list(dir, true, &prefixes);
        for (size_t i = 0; i < np; i++) {
            if (skip_name(prefixes[i]))
                continue;
            char *p = util_asprintf("%s/%s", dir, prefixes[i]);
            if (p)
                scan_files(c, p);
            free(p);
        }
        free_list(prefixes, np);
    }
    if (verify)
        for (size_t i = 0; i < c->n; i++) {
            sym_cache_entry *e = &c->entries[i];
            char *kd = util_strndup(e->path, strlen(e->path) - strlen(e->name) - 1, NULL);
            verify_entry(e, kd ? kd : dir);
            keep_atime(e);
            free(kd);
        }
    *out = c;
    return SYM_OK;
}

/* Moves name from one directory to another without replacing anything there. */
static int move_noreplace(int from, const char *name, int to, const char *dest)
{
    if (renameat2(from, name, to, dest, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    /* A file system without RENAME_NOREPLACE: the name was free a moment ago. */
    return renameat(from, name, to, dest);
}

sym_status sym_cache_quarantine(sym_cache *c, size_t i, char **moved_to, sym_error *err)
{
    *moved_to = NULL;
    if (i >= c->n)
        return err_set(err, SYM_E_ARG, "no entry %zu", i);
    sym_cache_entry *e = &c->entries[i];
    char *rel = NULL, *name = NULL;
    if (!storefs_split(c->dir, e->path, &rel, &name))
        return err_set(err, SYM_E_ARG, "%s is not inside the store %s", e->path, c->dir);
    /* Both sides are opened from the store's root without following a link: a link planted
     * under the quarantine directory cannot send the file out of the store. */
    sym_status st = SYM_OK;
    char *qrel = util_asprintf("%s/%s", QUARANTINE, rel);
    int from = storefs_open_dir(c->dir, rel, false, err);
    int to = from >= 0 && qrel ? storefs_open_dir(c->dir, qrel, true, err) : -1;
    if (!qrel)
        st = err_set(err, SYM_E_NOMEM, "out of memory");
    else if (from < 0 || to < 0)
        st = err->status;
    char *dest = NULL;
    for (int n = 0; st == SYM_OK && n < 1000 && !dest; n++) {
        char *cand = n ? util_asprintf("%s.%d", name, n) : util_strdup(name);
        if (cand && move_noreplace(from, name, to, cand) == 0) {
            dest = cand;
        } else if (!cand || errno != EEXIST) {
            int en = cand ? errno : ENOMEM;
            st = err_set(err, en == EACCES || en == EROFS ? SYM_E_ACCESS : SYM_E_IO,
                         "cannot move %s aside: %s", e->path, strerror(en));
            free(cand);
        } else {
            free(cand);
        }
    }
    if (st == SYM_OK && !dest)
        st = err_set(err, SYM_E_IO, "%s: no free name to move it aside", e->path);
    if (from >= 0)
        close(from);
    if (to >= 0)
        close(to);
    if (st == SYM_OK) {
        *moved_to = util_asprintf("%s/%s/%s", c->dir, qrel, dest);
        free((char *)e->path);
        e->path = util_strdup(*moved_to);
    }
    free(dest);
    free(qrel);
    free(rel);
    free(name);
    return st;
}

static sym_status remove_entry(const sym_cache *c, const sym_cache_entry *e, sym_error *err);

sym_status sym_cache_remove_stale(sym_cache *c, size_t i, sym_error *err)
{
    if (i >= c->n || !temp_stale(&c->entries[i]))
        return err_set(err, SYM_E_ARG, "%s is not a stale temporary file",
                       i < c->n ? c->entries[i].path : "?");
    return remove_entry(c, &c->entries[i], err);
}

static int by_use(const void *a, const void *b)
{
    const sym_cache_entry *x = *(sym_cache_entry *const *)a, *y = *(sym_cache_entry *const *)b;
    return x->used < y->used ? -1 : x->used > y->used;
}

/* Removes an entry's file, then its key and file directories when they are left empty. */
static sym_status remove_entry(const sym_cache *c, const sym_cache_entry *e, sym_error *err)
{
    /* Removed relative to its directory, opened from the root without following a link. */
    char *rel = NULL, *name = NULL;
    if (!storefs_split(c->dir, e->path, &rel, &name))
        return err_set(err, SYM_E_ARG, "%s is not inside the store %s", e->path, c->dir);
    int dirfd = storefs_open_dir(c->dir, rel, false, err);
    int gone = dirfd >= 0 ? unlinkat(dirfd, name, 0) : -1;
    int en = errno;
    free(rel);
    free(name);
    if (dirfd < 0)
        return err->status;
    close(dirfd);
    if (gone != 0 && en != ENOENT)
        return err_set(err, SYM_E_IO, "cannot remove %s: %s", e->path, strerror(en));
    char *d = util_strdup(e->path);
    for (int up = 0; d && up < 3; up++) {
        char *slash = strrchr(d, '/');
        if (!slash)
            break;
        *slash = '\0';
        if (strlen(d) <= strlen(c->dir) || rmdir(d) != 0)
            break;
    }
    free(d);
    return SYM_OK;
}

sym_status sym_cache_prune(sym_cache *c, uint64_t older_than, uint64_t max_bytes, bool dry_run,
                           sym_prune_fn removed, void *ctx, sym_error *err)
{
    sym_error_clear(err);
    sym_cache_entry **order = calloc(c->n ? c->n : 1, sizeof *order);
    if (!order)
        return err_set(err, SYM_E_NOMEM, "out of memory");
    for (size_t i = 0; i < c->n; i++)
        order[i] = &c->entries[i];
    qsort(order, c->n, sizeof *order, by_use);
    time_t now = time(NULL);
    uint64_t total = c->total;
    sym_status st = SYM_OK;
    for (size_t i = 0; i < c->n && st == SYM_OK; i++) {
        sym_cache_entry *e = order[i];
        uint64_t age = now > e->used ? (uint64_t)(now - e->used) : 0;
        bool go = e->state == SYM_ENTRY_TEMPORARY
                      ? temp_stale(e)
                      : (older_than && age > older_than) || (max_bytes && total > max_bytes);
        if (!go)
            continue;
        if (!dry_run)
            st = remove_entry(c, e, err);
        if (st == SYM_OK) {
            total -= e->size;
            if (removed)
                removed(e, ctx);
        }
    }
    free(order);
    return st;
}
