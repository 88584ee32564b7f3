/* The sandbox shared by `symscope demo` and scenarios: a fresh directory, files written into
 * it by sandbox-relative names, PDB and image identities patched in memory, and a loopback
 * HTTP symbol server (libmicrohttpd) serving one of its directories under /symbols/. */
#ifndef _XOPEN_SOURCE /* nftw; ncursesw's flags may bring their own */
#define _XOPEN_SOURCE 700
#endif
#include "text_buf.h"
#include "sandbox.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const struct demo_blob demo_blobs[];
extern const size_t demo_blob_count;

#define URL_PREFIX "/symbols/"

struct sandbox {
    char *dir;
    char *http_dir; /* resolved: what the server may serve from */
    char *url;
    struct MHD_Daemon *daemon;
    pthread_mutex_t log_lock;
    char log[256]; /* the server's last message, for a failed start */
};

__attribute__((format(printf, 3, 4))) static void set_err(char *err, size_t size, const char *fmt,
                                                          ...)
{
    if (!err || !size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

const sandbox_blob *sandbox_blob_find(const char *name)
{
    for (size_t i = 0; i < demo_blob_count; i++)
        if (strcmp(demo_blobs[i].name, name) == 0)
            return &demo_blobs[i];
    return NULL;
}

void sandbox_blob_names(char *out, size_t n)
{
    size_t o = 0;
    if (n)
        out[0] = '\0';
    for (size_t i = 0; i < demo_blob_count && o < n; i++)
        o += (size_t)snprintf(out + o, n - o, "%s%s", i ? ", " : "", demo_blobs[i].name);
}

/* ---- MSF 7.00 (PDB) ---- */

typedef struct msf {
    const unsigned char *p;
    size_t n;
    uint32_t bs;
    uint32_t dir_bytes;
    const unsigned char *map; /* the directory's block numbers */
} msf;

static bool msf_open(msf *m, const unsigned char *p, size_t n)
{
    static const char magic[32] = "Microsoft C/C++ MSF 7.00\r\n\x1a"
                                  "DS\0\0";
    if (n < 0x38 || memcmp(p, magic, sizeof magic) != 0)
        return false;
    m->p = p;
    m->n = n;
    m->bs = rd32(p + 0x20);
    m->dir_bytes = rd32(p + 0x2C);
    uint32_t map_block = rd32(p + 0x34);
    if (m->bs < 512 || m->bs > 65536 || (m->bs & (m->bs - 1)))
        return false;
    uint64_t dir_blocks = ((uint64_t)m->dir_bytes + m->bs - 1) / m->bs;
    if (m->dir_bytes < 4 || dir_blocks * 4 > m->bs || map_block >= n / m->bs)
        return false;
    m->map = p + (size_t)map_block * m->bs;
    return true;
}

/* The directory's u32 at byte pos (a multiple of 4, so never across blocks). */
static bool msf_dir_u32(const msf *m, uint64_t pos, uint32_t *v)
{
    if (pos + 4 > m->dir_bytes)
        return false;
    uint32_t block = rd32(m->map + 4 * (pos / m->bs));
    if (block >= m->n / m->bs)
        return false;
    *v = rd32(m->p + (size_t)block * m->bs + pos % m->bs);
    return true;
}

/* File offset of bytes [off, off + len) of a stream, when they lie in one block of the file. */
static bool msf_offset(const msf *m, uint32_t stream, uint32_t off, uint32_t len, size_t *at)
{
    uint32_t n_streams, size = 0;
    if (!msf_dir_u32(m, 0, &n_streams) || stream >= n_streams ||
        4 + 4 * (uint64_t)n_streams > m->dir_bytes)
        return false;
    uint64_t pos = 4 + 4 * (uint64_t)n_streams; /* the first stream's block numbers */
    for (uint32_t i = 0; i <= stream; i++) {
        if (!msf_dir_u32(m, 4 + 4 * (uint64_t)i, &size))
            return false;
        if (i < stream && size != UINT32_MAX)
            pos += 4 * (((uint64_t)size + m->bs - 1) / m->bs);
    }
    if (size == UINT32_MAX || (uint64_t)off + len > size || off % m->bs + len > m->bs)
        return false;
    uint32_t block;
    if (!msf_dir_u32(m, pos + 4 * (uint64_t)(off / m->bs), &block) || block >= m->n / m->bs)
        return false;
    *at = (size_t)block * m->bs + off % m->bs;
    return true;
}

bool sandbox_pdb_identity(unsigned char *p, size_t n, bool set, sandbox_identity *id)
{
    msf m;
    size_t info_age, guid, dbi_sig, dbi_age;
    if (!msf_open(&m, p, n) || !msf_offset(&m, 1, 8, 4, &info_age) ||
        !msf_offset(&m, 1, 12, 16, &guid) || !msf_offset(&m, 3, 0, 4, &dbi_sig) ||
        rd32(p + dbi_sig) != UINT32_MAX || !msf_offset(&m, 3, 8, 4, &dbi_age))
        return false;
    if (set) {
        memcpy(p + guid, id->guid, 16);
        wr32(p + info_age, id->age);
        wr32(p + dbi_age, id->age);
    } else {
        memcpy(id->guid, p + guid, 16);
        id->age = rd32(p + dbi_age);
    }
    return true;
}

/* ---- PE ---- */

/* The RSDS CodeView record: "RSDS", GUID, age, NUL-terminated PDB path. *name_room is how many
 * bytes the path has before its NUL. */
static bool pe_rsds(const unsigned char *p, size_t n, size_t *at, size_t *name_room)
{
    size_t i = 0;
    while (i + 24 < n && memcmp(p + i, "RSDS", 4) != 0)
        i++;
    if (i + 24 >= n)
        return false;
    *at = i;
    const unsigned char *r = p + i;
    const unsigned char *end = memchr(r + 24, '\0', n - *at - 24);
    if (!end)
        return false;
    *name_room = (size_t)(end - (r + 24));
    return true;
}

bool sandbox_image_set_cv(unsigned char *image, size_t n, const sandbox_identity *id,
                          const char *cv, char *err, size_t err_size)
{
    size_t at, room, len = strlen(cv);
    if (!pe_rsds(image, n, &at, &room)) {
        set_err(err, err_size, "the image has no RSDS CodeView record");
        return false;
    }
    if (len > room) {
        set_err(err, err_size, "the CodeView path %s is longer than the image has room for (%zu)",
                cv, room);
        return false;
    }
    memcpy(image + at + 4, id->guid, 16);
    wr32(image + at + 20, id->age);
    memset(image + at + 24, 0, room);
    memcpy(image + at + 24, cv, len);
    return true;
}

void sandbox_guid_for(const char *name, unsigned char guid[16])
{
    uint64_t h = 14695981039346656037ULL;
    for (const char *c = name; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211ULL;
    for (int i = 0; i < 16; i++) {
        h = (h ^ (uint64_t)i) * 1099511628211ULL;
        guid[i] = (unsigned char)(h >> 56);
    }
}

void sandbox_identity_key(const sandbox_identity *id, char key[41])
{
    const unsigned char *g = id->guid;
    snprintf(key, 41, "%08X%04X%04X%02X%02X%02X%02X%02X%02X%02X%02X%x", (unsigned)rd32(g),
             (unsigned)(g[4] | g[5] << 8), (unsigned)(g[6] | g[7] << 8), g[8], g[9], g[10], g[11],
             g[12], g[13], g[14], g[15], (unsigned)id->age);
}

/* ---- files ---- */

bool sandbox_rel_ok(const char *rel, char *err, size_t err_size)
{
    if (!rel || !*rel) {
        set_err(err, err_size, "an empty name");
        return false;
    }
    if (rel[0] == '/' || (rel[0] && rel[1] == ':') || strchr(rel, '\\')) {
        set_err(err, err_size,
                "'%s' is not relative to the sandbox (names are like plain/app.pdb: no leading "
                "/, no drive, no backslash)",
                rel);
        return false;
    }
    for (const char *p = rel; *p;) {
        size_t len = strcspn(p, "/");
        if (len == 0 && p[len]) {
            set_err(err, err_size, "'%s' has an empty part (//)", rel);
            return false;
        }
        if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.')) {
            set_err(err, err_size, "'%s' leaves or names the sandbox itself (. or ..)", rel);
            return false;
        }
        p += len;
        if (*p == '/')
            p++;
    }
    return true;
}

char *sandbox_path(const sandbox *sb, const char *rel)
{
    return text_printf("%s/%s", sb->dir, rel);
}

/* Creates the directories of path (below the sandbox, which exists). */
static bool make_parents(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return false;
    for (char *s = strchr(buf + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return false;
        *s = '/';
    }
    return true;
}

bool sandbox_mkdir(const sandbox *sb, const char *rel, char *err, size_t err_size)
{
    if (!sandbox_rel_ok(rel, err, err_size))
        return false;
    char *path = text_printf("%s/%s/", sb->dir, rel);
    bool ok = path && make_parents(path);
    if (!ok)
        set_err(err, err_size, "cannot create %s/%s: %s", sb->dir, rel, strerror(errno));
    free(path);
    return ok;
}

bool sandbox_put(const sandbox *sb, const char *rel, const void *data, size_t size, char *err,
                 size_t err_size)
{
    if (!sandbox_rel_ok(rel, err, err_size))
        return false;
    char *path = text_printf("%s/%s", sb->dir, rel);
    if (!path) {
        set_err(err, err_size, "out of memory");
        return false;
    }
    int fd = make_parents(path) ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644) : -1;
    bool ok = fd >= 0;
    for (size_t done = 0; ok && done < size;) {
        ssize_t w = write(fd, (const unsigned char *)data + done, size - done);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        done += ok ? (size_t)w : 0;
    }
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    if (!ok)
        set_err(err, err_size, "cannot write %s: %s", path, strerror(errno));
    free(path);
    return ok;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (flag == FTW_DP ? rmdir : unlink)(path);
    return 0; /* go on: whatever is left is seen afterwards */
}

static int open_up(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    if (flag == FTW_D || flag == FTW_DNR)
        chmod(path, 0700);
    return 0;
}

/* Removes a directory tree without following links or leaving the file system. A directory
 * someone made unreadable or read-only is opened up and the removal tried again. */
static void remove_tree(const char *dir)
{
    struct stat st;
    for (int pass = 0; pass < 16 && lstat(dir, &st) == 0; pass++) {
        if (pass > 0)
            nftw(dir, open_up, 16, FTW_PHYS | FTW_MOUNT);
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
    }
}

/* ---- the HTTP server ---- */

__attribute__((format(printf, 2, 0))) static void server_log(void *cls, const char *fmt, va_list ap)
{
    /* Not on stderr: the terminal belongs to the TUI. */
    sandbox *sb = cls;
    pthread_mutex_lock(&sb->log_lock);
    vsnprintf(sb->log, sizeof sb->log, fmt, ap);
    size_t n = strlen(sb->log);
    if (n && sb->log[n - 1] == '\n')
        sb->log[n - 1] = '\0';
    pthread_mutex_unlock(&sb->log_lock);
}

static enum MHD_Result reply_not_found(struct MHD_Connection *c)
{
    static const char body[] = "not found\n";
    struct MHD_Response *r =
        MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain");
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_NOT_FOUND, r);
    MHD_destroy_response(r);
    return ret;
}

/* GET/HEAD /symbols/<path>: the file <served dir>/<path>, nothing outside that directory. */
static enum MHD_Result serve(void *cls, struct MHD_Connection *c, const char *url,
                             const char *method, const char *version, const char *upload,
                             size_t *upload_size, void **con_cls)
{
    const sandbox *sb = cls;
    size_t prefix = strlen(URL_PREFIX);
    if ((strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) ||
        strncmp(url, URL_PREFIX, prefix) != 0 || !url[prefix] || strstr(url, "..") ||
        strchr(url, '\\'))
        return reply_not_found(c);
    char *path = text_printf("%s/%s", sb->http_dir, url + prefix);
    char real[PATH_MAX];
    size_t root = strlen(sb->http_dir);
    bool inside =
        path && realpath(path, real) && strncmp(real, sb->http_dir, root) == 0 && real[root] == '/';
    free(path);
    int fd = inside ? open(real, O_RDONLY | O_CLOEXEC) : -1;
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return reply_not_found(c);
    }
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/octet-stream");
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

bool sandbox_serve(sandbox *sb, const char *rel, char *err, size_t err_size)
{
    if (sb->daemon) {
        set_err(err, err_size, "the sandbox serves one directory only");
        return false;
    }
    if (!sandbox_rel_ok(rel, err, err_size))
        return false;
    char *path = text_printf("%s/%s", sb->dir, rel);
    char real[PATH_MAX];
    /* Resolved, so what the server checks with realpath compares equal. */
    sb->http_dir = path && realpath(path, real) ? strdup(real) : NULL;
    free(path);
    if (!sb->http_dir) {
        set_err(err, err_size, "cannot serve %s/%s: %s", sb->dir, rel, strerror(errno));
        return false;
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = 0; /* any free port */
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sb->daemon = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                                  serve, sb, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                                  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
                                  MHD_OPTION_EXTERNAL_LOGGER, server_log, sb, MHD_OPTION_END);
    const union MHD_DaemonInfo *info =
        sb->daemon ? MHD_get_daemon_info(sb->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    if (!info || !info->port) {
        pthread_mutex_lock(&sb->log_lock);
        set_err(err, err_size, "cannot start the HTTP server on 127.0.0.1%s%s",
                sb->log[0] ? ": " : "", sb->log);
        pthread_mutex_unlock(&sb->log_lock);
        return false;
    }
    sb->url = text_printf("http://127.0.0.1:%u/symbols", (unsigned)info->port);
    if (!sb->url) {
        set_err(err, err_size, "out of memory");
        return false;
    }
    return true;
}

const char *sandbox_url(const sandbox *sb)
{
    return sb->url;
}

/* ---- the directory ---- */

static sandbox *sandbox_new(void)
{
    sandbox *sb = calloc(1, sizeof *sb);
    if (sb)
        pthread_mutex_init(&sb->log_lock, NULL);
    return sb;
}

static bool resolve_dir(sandbox *sb, const char *dir, char *err, size_t err_size)
{
    char real[PATH_MAX];
    sb->dir = realpath(dir, real) ? strdup(real) : NULL;
    if (!sb->dir)
        set_err(err, err_size, "cannot resolve %s: %s", dir, strerror(errno));
    return sb->dir != NULL;
}

sandbox *sandbox_create(const char *prefix, const char *at, char *err, size_t err_size)
{
    if (err && err_size)
        err[0] = '\0';
    sandbox *sb = sandbox_new();
    if (!sb) {
        set_err(err, err_size, "out of memory");
        return NULL;
    }
    if (at) {
        if (mkdir(at, 0700) != 0) {
            set_err(err, err_size, "cannot create the sandbox %s: %s", at, strerror(errno));
            sandbox_free(sb, true);
            return NULL;
        }
        if (!resolve_dir(sb, at, err, err_size)) {
            rmdir(at);
            sandbox_free(sb, true);
            return NULL;
        }
    } else {
        const char *tmp = getenv("TMPDIR");
        if (!tmp || !*tmp)
            tmp = "/tmp";
        size_t tmp_len = strlen(tmp);
        while (tmp_len > 1 && tmp[tmp_len - 1] == '/')
            tmp_len--;
        char *tmpl = text_printf("%.*s/%s-XXXXXX", (int)tmp_len, tmp, prefix);
        if (!tmpl || !mkdtemp(tmpl)) {
            set_err(err, err_size, "cannot create a directory in %s: %s", tmp, strerror(errno));
            free(tmpl);
            sandbox_free(sb, true);
            return NULL;
        }
        bool ok = resolve_dir(sb, tmpl, err, err_size);
        if (!ok)
            remove_tree(tmpl);
        free(tmpl);
        if (!ok) {
            sandbox_free(sb, true);
            return NULL;
        }
    }
    return sb;
}

sandbox *sandbox_reuse(const char *at, char *err, size_t err_size)
{
    sandbox *sb = sandbox_new();
    if (!sb) {
        set_err(err, err_size, "out of memory");
        return NULL;
    }
    char *marker = text_printf("%s/%s", at, SANDBOX_MARKER);
    struct stat st;
    bool ok = marker && lstat(marker, &st) == 0 && S_ISREG(st.st_mode);
    free(marker);
    if (!ok) {
        set_err(err, err_size, "%s exists and is not a sandbox made by symscope (no %s in it)", at,
                SANDBOX_MARKER);
        sandbox_free(sb, true);
        return NULL;
    }
    if (!resolve_dir(sb, at, err, err_size)) {
        sandbox_free(sb, true);
        return NULL;
    }
    return sb;
}

void sandbox_free(sandbox *sb, bool keep)
{
    if (!sb)
        return;
    if (sb->daemon)
        MHD_stop_daemon(sb->daemon);
    if (sb->dir && !keep)
        remove_tree(sb->dir);
    free(sb->dir);
    free(sb->http_dir);
    free(sb->url);
    pthread_mutex_destroy(&sb->log_lock);
    free(sb);
}

const char *sandbox_dir(const sandbox *sb)
{
    return sb->dir;
}
