/* Bounded, counted reads from a file descriptor or memory. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "reader.h"

sym_status sym_reader_open(sym_reader *r, const char *path, sym_error *err)
{
    memset(r, 0, sizeof *r);
    r->fd = -1;
    r->name = path;
    /* O_NONBLOCK: a FIFO given by mistake must not hang the open; regular files ignore it. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR)
            return sym_err_set(err, SYM_E_NOENT, "%s: no such file", path);
        if (e == EACCES || e == EPERM)
            return sym_err_set(err, SYM_E_ACCESS, "%s: permission denied", path);
        if (e == EISDIR)
            return sym_err_set(err, SYM_E_ISDIR, "%s: is a directory, not a file", path);
        return sym_err_set(err, SYM_E_IO, "%s: cannot open: %s", path, strerror(e));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return sym_err_set(err, SYM_E_IO, "%s: cannot stat: %s", path, strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return sym_err_set(err, SYM_E_ISDIR, "%s: is a directory, not a file", path);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return sym_err_set(err, SYM_E_UNKNOWN_FORMAT, "%s: not a regular file", path);
    }
    if (st.st_size == 0) {
        close(fd);
        return sym_err_set(err, SYM_E_EMPTY, "%s: empty file (0 bytes)", path);
    }
    r->fd = fd;
    r->size = (uint64_t)st.st_size;
    return SYM_OK;
}

void sym_reader_init_mem(sym_reader *r, const void *data, uint64_t size, const char *name)
{
    memset(r, 0, sizeof *r);
    r->fd = -1;
    r->mem = data;
    r->size = size;
    r->name = name;
}

void sym_reader_close(sym_reader *r)
{
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
}

sym_status sym_reader_read(sym_reader *r, uint64_t off, void *buf, size_t len, const char *what,
                           sym_error *err)
{
    if (!sym_reader_has(r, off, len))
        return sym_err_set(err, SYM_E_TRUNCATED,
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
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(r->fd, (uint8_t *)buf + done, len - done, (off_t)(off + done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return sym_err_set(err, SYM_E_IO, "%s: read error in %s: %s", r->name, what,
                               strerror(errno));
        }
        if (n == 0)
            return sym_err_set(err, SYM_E_TRUNCATED, "%s: truncated: file shrank while reading %s",
                               r->name, what);
        done += (size_t)n;
    }
    r->bytes_read += len;
    return SYM_OK;
}
