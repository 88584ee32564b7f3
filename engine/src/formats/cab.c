/* CAB files (the compressed `file.pd_` of symbol stores), read with libmspack through our own
 * bounded reader, so the same code serves files and memory and counts what it reads. */
#define _GNU_SOURCE
#include <errno.h>
#include <mspack.h>
#include <stdarg.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "formats/formats.h"
#include "util/internal.h"

#define CAB_MAX_MEMBERS 65536
#define CAB_IN_NAME "in"
#define CAB_OUT_NAME "out"

/* libmspack passes our mspack_system back to open(); the struct carries what the names
 * stand for. */
typedef struct cab_sys {
    struct mspack_system sys; /* must be first */
    reader *in;
    int out_fd;
    int write_errno;
    uint64_t out_limit; /* no more than this is ever written, whatever the data says */
    uint64_t written;
} cab_sys;

typedef struct cab_file {
    cab_sys *owner;
    bool out;
    uint64_t pos;
} cab_file;

static struct mspack_file *cs_open(struct mspack_system *self, const char *name, int mode)
{
    cab_sys *cs = (cab_sys *)self;
    bool out = strcmp(name, CAB_OUT_NAME) == 0;
    if (!out && (strcmp(name, CAB_IN_NAME) != 0 || mode != MSPACK_SYS_OPEN_READ))
        return NULL;
    if (out && (cs->out_fd < 0 || mode != MSPACK_SYS_OPEN_WRITE))
        return NULL;
    cab_file *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->owner = cs;
    f->out = out;
    return (struct mspack_file *)f;
}

static void cs_close(struct mspack_file *file)
{
    free(file);
}

static int cs_read(struct mspack_file *file, void *buf, int bytes)
{
    cab_file *f = (cab_file *)file;
    reader *r = f->owner->in;
    if (f->out || bytes < 0)
        return -1;
    uint64_t left = f->pos < r->size ? r->size - f->pos : 0;
    size_t n = (uint64_t)bytes < left ? (size_t)bytes : (size_t)left;
    if (n == 0)
        return 0;
    if (reader_read(r, f->pos, buf, n, "CAB data", NULL) != SYM_OK)
        return -1;
    f->pos += n;
    return (int)n;
}

static int cs_write(struct mspack_file *file, void *buf, int bytes)
{
    cab_file *f = (cab_file *)file;
    if (!f->out || bytes < 0)
        return -1;
    if ((uint64_t)bytes > f->owner->out_limit - f->owner->written) {
        f->owner->write_errno = EFBIG;
        return -1;
    }
    f->owner->written += (uint64_t)bytes;
    size_t done = 0;
    while (done < (size_t)bytes) {
        ssize_t n = write(f->owner->out_fd, (uint8_t *)buf + done, (size_t)bytes - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            f->owner->write_errno = errno;
            return -1;
        }
        done += (size_t)n;
    }
    f->pos += done;
    return bytes;
}

static int cs_seek(struct mspack_file *file, off_t offset, int mode)
{
    cab_file *f = (cab_file *)file;
    if (f->out)
        return -1;
    int64_t base = mode == MSPACK_SYS_SEEK_START ? 0
                   : mode == MSPACK_SYS_SEEK_CUR ? (int64_t)f->pos
                                                 : (int64_t)f->owner->in->size;
    int64_t target = base + (int64_t)offset;
    if (target < 0 || (uint64_t)target > f->owner->in->size)
        return -1;
    f->pos = (uint64_t)target;
    return 0;
}

static off_t cs_tell(struct mspack_file *file)
{
    return (off_t)((cab_file *)file)->pos;
}

static void cs_message(struct mspack_file *file, const char *format, ...)
{
    (void)file;
    (void)format; /* libmspack's warnings are folded into our own error messages */
}

static void *cs_alloc(struct mspack_system *self, size_t bytes)
{
    (void)self;
    return malloc(bytes);
}

static void cs_free(void *p)
{
    free(p);
}

static void cs_copy(void *src, void *dst, size_t bytes)
{
    memmove(dst, src, bytes);
}

static void cab_sys_init(cab_sys *cs, reader *in, int out_fd)
{
    memset(cs, 0, sizeof *cs);
    cs->sys.open = cs_open;
    cs->sys.close = cs_close;
    cs->sys.read = cs_read;
    cs->sys.write = cs_write;
    cs->sys.seek = cs_seek;
    cs->sys.tell = cs_tell;
    cs->sys.message = cs_message;
    cs->sys.alloc = cs_alloc;
    cs->sys.free = cs_free;
    cs->sys.copy = cs_copy;
    cs->in = in;
    cs->out_fd = out_fd;
    cs->out_limit = in->max_member ? in->max_member : SYM_MEMBER_MAX_DEFAULT;
}

static const char *mspack_error_text(int e)
{
    switch (e) {
    case MSPACK_ERR_READ:
        return "read error or truncated";
    case MSPACK_ERR_SEEK:
        return "offset beyond the end of the file (truncated?)";
    case MSPACK_ERR_NOMEMORY:
        return "out of memory";
    case MSPACK_ERR_SIGNATURE:
        return "not a cabinet";
    case MSPACK_ERR_DATAFORMAT:
        return "malformed cabinet";
    case MSPACK_ERR_CHECKSUM:
        return "checksum mismatch (corrupt data)";
    case MSPACK_ERR_DECRUNCH:
        return "decompression failed (corrupt or truncated data)";
    case MSPACK_ERR_WRITE:
        return "write error";
    default:
        return "error";
    }
}

static sym_status mspack_status(int e)
{
    switch (e) {
    case MSPACK_ERR_NOMEMORY:
        return SYM_E_NOMEM;
    case MSPACK_ERR_WRITE:
        return SYM_E_IO;
    case MSPACK_ERR_READ:
    case MSPACK_ERR_SEEK:
        return SYM_E_TRUNCATED;
    default:
        return SYM_E_FORMAT;
    }
}

void cab_clear(sym_cab_info *cab)
{
    for (size_t i = 0; i < cab->n_members; i++)
        free(cab->members[i].name);
    free(cab->members);
    memset(cab, 0, sizeof *cab); /* the member is freed by its owner (fileinfo.c) first */
}

/* Opens the cabinet; on success *out and *dec are set and must be closed by the caller. */
static sym_status cab_open(cab_sys *cs, struct mscab_decompressor **dec,
                           struct mscabd_cabinet **out, sym_error *err)
{
    *dec = mspack_create_cab_decompressor(&cs->sys);
    if (!*dec)
        return err_set(err, SYM_E_NOMEM, "%s: cannot create a CAB decompressor", cs->in->name);
    (*dec)->set_param(*dec, MSCABD_PARAM_FIXMSZIP, 0);
    (*dec)->set_param(*dec, MSCABD_PARAM_SALVAGE, 0);
    *out = (*dec)->open(*dec, CAB_IN_NAME);
    if (!*out) {
        int e = (*dec)->last_error(*dec);
        mspack_destroy_cab_decompressor(*dec);
        *dec = NULL;
        return err_set(err, mspack_status(e), "%s: %s: %s", cs->in->name,
                       e == MSPACK_ERR_READ || e == MSPACK_ERR_SEEK ? "truncated" : "bad CAB",
                       mspack_error_text(e));
    }
    return SYM_OK;
}

static sym_status extract_member(reader *r, size_t index, int fd, sym_error *err)
{
    cab_sys cs;
    cab_sys_init(&cs, r, fd);
    struct mscab_decompressor *dec;
    struct mscabd_cabinet *cab;
    sym_status st = cab_open(&cs, &dec, &cab, err);
    if (st != SYM_OK)
        return st;
    struct mscabd_file *f = cab->files;
    for (size_t i = 0; f && i < index; i++)
        f = f->next;
    struct statvfs vfs;
    if (!f) {
        st = err_set(err, SYM_E_ARG, "%s: CAB has no member %zu", r->name, index);
    } else if ((uint64_t)f->length > cs.out_limit) {
        /* A small CAB may declare a huge member: refused before a byte is written. */
        st = err_set(err, SYM_E_TOO_LARGE,
                     "%s: member %s declares %u bytes, more than the maximum size (%llu "
                     "bytes)",
                     r->name, f->filename, f->length, (unsigned long long)cs.out_limit);
    } else if (fstatvfs(fd, &vfs) == 0 && vfs.f_bavail != 0 &&
               (uint64_t)f->length > (uint64_t)vfs.f_bavail * vfs.f_frsize) {
        st = err_set(err, SYM_E_TOO_LARGE,
                     "%s: member %s declares %u bytes, more than the free space (%llu bytes)",
                     r->name, f->filename, f->length,
                     (unsigned long long)vfs.f_bavail * vfs.f_frsize);
    } else {
        int e = dec->extract(dec, f, CAB_OUT_NAME);
        if (e != MSPACK_ERR_OK)
            st = err_set(err, mspack_status(e), "%s: cannot extract %s: %s%s%s", r->name,
                         f->filename, mspack_error_text(e), cs.write_errno ? ": " : "",
                         cs.write_errno ? strerror(cs.write_errno) : "");
    }
    dec->close(dec, cab);
    mspack_destroy_cab_decompressor(dec);
    return st;
}

sym_status cab_extract_reader(reader *r, size_t index, int fd, sym_error *err)
{
    return extract_member(r, index, fd, err);
}

sym_status sym_cab_extract(const char *cab_path, size_t index, int fd, sym_error *err)
{
    return sym_cab_extract_bounded(cab_path, index, fd, 0, err);
}

sym_status sym_cab_extract_bounded(const char *cab_path, size_t index, int fd, uint64_t max_bytes,
                                   sym_error *err)
{
    reader r;
    sym_status st = reader_open(&r, cab_path, err);
    if (st != SYM_OK)
        return st;
    r.max_member = max_bytes;
    st = extract_member(&r, index, fd, err);
    reader_close(&r);
    return st;
}

/* An unnamed file on disk (never memory: a member may be large), gone when closed. */
static int member_file(void)
{
    const char *dir = getenv("TMPDIR");
    int fd = open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0 && dir && *dir)
        fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    return fd;
}

/* Extracts the first member into an unnamed file and reads it like any other file. */
static void inspect_first_member(reader *r, sym_cab_info *cab, cab_inspect_fn inspect,
                                 sym_error *merr)
{
    int fd = member_file();
    if (fd < 0) {
        cab->member_unextracted = true;
        err_set(merr, SYM_E_IO, "%s: cannot create a temporary file: %s", r->name, strerror(errno));
        return;
    }
    cab->member_unextracted = true;
    if (extract_member(r, 0, fd, merr) == SYM_OK) {
        cab->member_unextracted = false;
        char label[FMT_MAX_NAME + 64];
        snprintf(label, sizeof label, "%s[%s]", r->name, cab->members[0].name);
        reader mr;
        reader_init_mem(&mr, NULL, 0, label);
        mr.max_member = r->max_member;
        off_t size = lseek(fd, 0, SEEK_END);
        if (size <= 0) {
            err_set(merr, SYM_E_EMPTY, "%s: empty member", label);
        } else {
            mr.fd = fd;
            mr.size = (uint64_t)size;
            if (inspect(&mr, cab->members[0].name, &cab->member, merr) != SYM_OK) {
                /* merr already names the member and what is wrong with it */
            }
            reader_release(&mr); /* the descriptor is closed below */
        }
    }
    close(fd);
}

sym_status cab_read(reader *r, sym_cab_info *cab, cab_inspect_fn inspect, sym_error *err)
{
    memset(cab, 0, sizeof *cab);
    cab_sys cs;
    cab_sys_init(&cs, r, -1);
    struct mscab_decompressor *dec;
    struct mscabd_cabinet *c;
    sym_status st = cab_open(&cs, &dec, &c, err);
    if (st != SYM_OK)
        return st;
    size_t n = 0;
    for (struct mscabd_file *f = c->files; f && n <= CAB_MAX_MEMBERS; f = f->next)
        n++;
    if (n > CAB_MAX_MEMBERS) {
        st = err_set(err, SYM_E_FORMAT, "%s: CAB with more than %d members", r->name,
                     CAB_MAX_MEMBERS);
    } else if (n > 0) {
        cab->members = util_calloc(n, sizeof *cab->members, err);
        if (!cab->members)
            st = SYM_E_NOMEM;
        size_t i = 0;
        for (struct mscabd_file *f = c->files; st == SYM_OK && f; f = f->next, i++) {
            cab->members[i].name = util_strndup(f->filename, strlen(f->filename), err);
            if (!cab->members[i].name) {
                st = SYM_E_NOMEM;
                break;
            }
            cab->n_members = i + 1;
            cab->members[i].size = f->length;
            cab->members[i].offset = f->offset;
            cab->members[i].compression = f->folder ? MSCABD_COMP_METHOD(f->folder->comp_type) : 0;
        }
    }
    dec->close(dec, c);
    mspack_destroy_cab_decompressor(dec);
    if (st == SYM_OK && inspect && cab->n_members > 0)
        inspect_first_member(r, cab, inspect, &cab->member_error);
    return st;
}

const char *sym_cab_compression_name(int compression)
{
    switch (compression) {
    case 0:
        return "none";
    case 1:
        return "MSZIP";
    case 2:
        return "Quantum";
    case 3:
        return "LZX";
    default:
        return "unknown";
    }
}
