/* Bounded, counted reads from a file descriptor or memory. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/internal.h"
#include "formats/reader.h"

sym_status reader_open(reader *r, const char *path, sym_error *err)
{
    memset(r, 0, sizeof *r);
    r->fd = -1;
    r->name = path;
    /* O_NONBLOCK: a FIFO given by mistake must not hang the open; regular files ignore it. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR)
            return err_set(err, SYM_E_NOENT, "%s: no such file", path);
        if (e == EACCES || e == EPERM)
            return err_set(err, SYM_E_ACCESS, "%s: permission denied", path);
        if (e == EISDIR)
            return err_set(err, SYM_E_ISDIR, "%s: is a directory, not a file", path);
        return err_set(err, SYM_E_IO, "%s: cannot open: %s", path, strerror(e));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return err_set(err, SYM_E_IO, "%s: cannot stat: %s", path, strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return err_set(err, SYM_E_ISDIR, "%s: is a directory, not a file", path);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return err_set(err, SYM_E_UNKNOWN_FORMAT, "%s: not a regular file", path);
    }
    if (st.st_size == 0) {
        close(fd);
        return err_set(err, SYM_E_EMPTY, "%s: empty file (0 bytes)", path);
    }
    r->fd = fd;
    r->size = (uint64_t)st.st_size;
    return SYM_OK;
}

void reader_init_mem(reader *r, const void *data, uint64_t size, const char *name)
{
    memset(r, 0, sizeof *r);
    r->fd = -1;
    r->mem = data;
    r->size = size;
    r->name = name;
}

void reader_close(reader *r)
{
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
    free(r->cache);
    r->cache = NULL;
}

void reader_release(reader *r)
{
    free(r->cache);
    r->cache = NULL;
}

static sym_status read_fully(reader *r, uint64_t off, void *buf, size_t len, const char *what,
                             sym_error *err)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(r->fd, (uint8_t *)buf + done, len - done, (off_t)(off + done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return err_set(err, SYM_E_IO, "%s: read error in %s: %s", r->name, what,
                           strerror(errno));
        }
        if (n == 0)
            return err_set(err, SYM_E_TRUNCATED, "%s: truncated: file shrank while reading %s",
                           r->name, what);
        done += (size_t)n;
    }
    return SYM_OK;
}

/* The cached block holding offset boff (block-aligned), read when missing. *out is NULL when
 * there is no memory for a cache. */
static sym_status block(reader *r, uint64_t boff, const uint8_t **out, const char *what,
                        sym_error *err)
{
    *out = NULL;
    reader_cache *c = r->cache;
    if (!c) {
        c = r->cache = malloc(sizeof *c);
        if (!c)
            return SYM_OK;
        for (int i = 0; i < READER_BLOCKS; i++) {
            c->off[i] = UINT64_MAX;
            c->used[i] = 0;
        }
        c->clock = 0;
    }
    int victim = 0;
    for (int i = 0; i < READER_BLOCKS; i++) {
        if (c->off[i] == boff) {
            c->used[i] = ++c->clock;
            *out = c->data[i];
            return SYM_OK;
        }
        if (c->off[i] == UINT64_MAX || c->used[i] < c->used[victim])
            victim = i;
    }
    size_t len = r->size - boff < READER_BLOCK ? (size_t)(r->size - boff) : READER_BLOCK;
    c->off[victim] = UINT64_MAX;
    sym_status st = read_fully(r, boff, c->data[victim], len, what, err);
    if (st != SYM_OK)
        return st;
    c->off[victim] = boff;
    c->used[victim] = ++c->clock;
    *out = c->data[victim];
    return SYM_OK;
}

sym_status reader_read(reader *r, uint64_t off, void *buf, size_t len, const char *what,
                       sym_error *err)
{
    if (!reader_has(r, off, len))
        return err_set(err, SYM_E_TRUNCATED,
                       "%s: truncated: %s at offset 0x%" PRIx64 " (%zu bytes) runs past the "
                       "end of the file (%" PRIu64 " bytes)",
                       r->name, what, off, len, r->size);
    if (len == 0)
        return SYM_OK;
    if (r->mem) {
        memcpy(buf, r->mem + off, len);
        r->bytes_read += len;
        return SYM_OK;
    }
    if (len > READER_BLOCK) {
        /* Large reads (stream directories, symbol records) go straight to the file. */
        sym_status st = read_fully(r, off, buf, len, what, err);
        if (st == SYM_OK)
            r->bytes_read += len;
        return st;
    }
    size_t done = 0;
    while (done < len) {
        uint64_t at = off + done;
        uint64_t boff = at - at % READER_BLOCK;
        const uint8_t *b;
        sym_status st = block(r, boff, &b, what, err);
        if (st != SYM_OK)
            return st;
        if (!b) { /* no memory for a cache: read it directly */
            st = read_fully(r, off, buf, len, what, err);
            if (st == SYM_OK)
                r->bytes_read += len;
            return st;
        }
        size_t in = (size_t)(at - boff);
        size_t n = READER_BLOCK - in < len - done ? READER_BLOCK - in : len - done;
        memcpy((uint8_t *)buf + done, b + in, n);
        done += n;
    }
    r->bytes_read += len;
    return SYM_OK;
}
