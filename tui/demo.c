/* `symscope demo`: a sandbox in a fresh temporary directory, built from PE/PDB pairs embedded
 * in the program (demo_data.c, generated from the test fixtures), and a loopback HTTP symbol
 * server (libmicrohttpd) serving <sandbox>/http/ under /symbols/.
 *
 * Copies of the fixtures get new names and identities (a GUID and age patched into the
 * image's RSDS record and into the PDB's info and DBI streams), so each module wants its own
 * PDB and each one is found by another kind of path element. */
#ifndef _XOPEN_SOURCE /* nftw; ncursesw's flags may bring their own */
#define _XOPEN_SOURCE 700
#endif
#include "demo.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The embedded files (demo_data.c, written by demo_data.cmake). */
struct demo_blob {
    const char *name;
    const unsigned char *data;
    size_t size;
};
extern const struct demo_blob demo_blobs[];
extern const size_t demo_blob_count;

#define URL_PREFIX "/symbols/"
#define MAX_MODULES 16

/* Where a module's PDB is put. */
enum {
    AT_PLAIN = 1 << 0,      /* <sandbox>/plain/<pdb> */
    AT_PLAIN_EXT = 1 << 1,  /* <sandbox>/plain/<ext>/<pdb>: the D\<ext> rule */
    AT_STORE2_CAB = 1 << 2, /* store2, two tiers, compressed: the embedded <pdb>.pd_ */
    AT_STORE2_PTR = 1 << 3, /* store2, two tiers, file.ptr to <sandbox>/builds/<pdb> */
    AT_HTTP = 1 << 4,       /* <sandbox>/http/<pdb>/<KEY>/<pdb> (served) */
    AT_DOWN = 1 << 5,       /* already in the downstream store, as from an earlier session */
};

typedef struct demo_spec {
    const char *image;      /* name in images/; NULL: the module is given as FILE/KEY */
    const char *from_image; /* embedded image it is a copy of */
    const char *pdb;        /* NULL: the image names no PDB */
    const char *from_pdb;   /* embedded PDB it is a copy of */
    unsigned age;           /* 0: the fixture's own identity; else a new GUID with this age */
    unsigned at;
} demo_spec;

/* One module for each kind of place a PDB is found in (and two found nowhere). */
static const demo_spec specs[] = {
    /* A mismatched app.pdb in C:\symbols\old first; then the plain directory, cached. */
    {"app.exe", "app.exe", "app.pdb", "app.pdb", 0, AT_PLAIN},
    /* Compressed in the two-tier store, decompressed downstream. */
    {"hello.dll", "hello.dll", "hello.pdb", "hello.pdb", 0, AT_STORE2_CAB},
    {"kernelbase.dll", "hello.dll", "kernelbase.pdb", "hello.pdb", 3, AT_STORE2_PTR},
    {"network.dll", "hello.dll", "network.pdb", "hello.pdb", 1, AT_PLAIN_EXT},
    /* Downloaded from the loopback server. */
    {"ntdll.dll", "hello.dll", "ntdll.pdb", "hello.pdb", 2, AT_HTTP},
    /* On the server, but already in the downstream store: no request. */
    {"render.dll", "hello.dll", "render.pdb", "hello.pdb", 1, AT_HTTP | AT_DOWN},
    {"crashy.exe", "app32.exe", "crashy.pdb", "app32.pdb", 1, AT_HTTP},
    /* Asked for as FILE/KEY, as a crash report names it. */
    {NULL, NULL, "driver.pdb", "app.pdb", 4, AT_HTTP},
    /* Nowhere (every element tried, D: not mapped): export symbols from the image. */
    {"telemetry.dll", "hello.dll", "telemetry.pdb", "hello.pdb", 1, 0},
    /* No debug directory: no symbols. */
    {"nodebug.exe", "nodebug.exe", NULL, NULL, 0, 0},
};

struct demo {
    char *dir;
    char *http_dir; /* resolved: what the server may serve from */
    char *sympath;
    char *home;
    char *url;
    char *map_dir;
    demo_mapping map;
    char *modules[MAX_MODULES];
    size_t n_modules;
    struct MHD_Daemon *daemon;
    pthread_mutex_t log_lock;
    char log[256]; /* the server's last message, for a failed start */
};

typedef struct identity {
    unsigned char guid[16]; /* on-disk order: little-endian fields */
    uint32_t age;
} identity;

__attribute__((format(printf, 1, 2))) static char *xprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

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

static const struct demo_blob *find_blob(const char *name)
{
    for (size_t i = 0; i < demo_blob_count; i++)
        if (strcmp(demo_blobs[i].name, name) == 0)
            return &demo_blobs[i];
    return NULL;
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

/* The offsets of the info stream's age and GUID and of the DBI stream's age (keys use it). */
static bool pdb_fields(const unsigned char *p, size_t n, size_t *info_age, size_t *guid,
                       size_t *dbi_age)
{
    msf m;
    size_t dbi_sig;
    return msf_open(&m, p, n) && msf_offset(&m, 1, 8, 4, info_age) &&
           msf_offset(&m, 1, 12, 16, guid) && msf_offset(&m, 3, 0, 4, &dbi_sig) &&
           rd32(p + dbi_sig) == UINT32_MAX && msf_offset(&m, 3, 8, 4, dbi_age);
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

/* A GUID of its own for each name, the same every run (keys stay stable between demos). */
static void guid_for(const char *name, unsigned char guid[16])
{
    uint64_t h = 14695981039346656037ULL;
    for (const char *c = name; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211ULL;
    for (int i = 0; i < 16; i++) {
        h = (h ^ (uint64_t)i) * 1099511628211ULL;
        guid[i] = (unsigned char)(h >> 56);
    }
}

/* The store key: GUID fields in upper-case hex, then the age in hex. */
static void identity_key(const identity *id, char key[41])
{
    const unsigned char *g = id->guid;
    snprintf(key, 41, "%08X%04X%04X%02X%02X%02X%02X%02X%02X%02X%02X%x", (unsigned)rd32(g),
             (unsigned)(g[4] | g[5] << 8), (unsigned)(g[6] | g[7] << 8), g[8], g[9], g[10], g[11],
             g[12], g[13], g[14], g[15], (unsigned)id->age);
}

/* ---- files ---- */

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

static bool make_dir(const demo *d, const char *rel, char *err, size_t err_size)
{
    char *path = xprintf("%s/%s/", d->dir, rel);
    bool ok = path && make_parents(path);
    if (!ok)
        set_err(err, err_size, "demo: cannot create %s/%s: %s", d->dir, rel, strerror(errno));
    free(path);
    return ok;
}

/* Writes <sandbox>/<rel> (a new file), creating its directories. */
static bool put_file(const demo *d, const char *rel, const void *data, size_t size, char *err,
                     size_t err_size)
{
    char *path = xprintf("%s/%s", d->dir, rel);
    if (!path) {
        set_err(err, err_size, "demo: out of memory");
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
        set_err(err, err_size, "demo: cannot write %s: %s", path, strerror(errno));
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
    demo *d = cls;
    pthread_mutex_lock(&d->log_lock);
    vsnprintf(d->log, sizeof d->log, fmt, ap);
    size_t n = strlen(d->log);
    if (n && d->log[n - 1] == '\n')
        d->log[n - 1] = '\0';
    pthread_mutex_unlock(&d->log_lock);
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

/* GET/HEAD /symbols/<path>: the file <sandbox>/http/<path>, nothing outside that directory. */
static enum MHD_Result serve(void *cls, struct MHD_Connection *c, const char *url,
                             const char *method, const char *version, const char *upload,
                             size_t *upload_size, void **con_cls)
{
    const demo *d = cls;
    size_t prefix = strlen(URL_PREFIX);
    if ((strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) ||
        strncmp(url, URL_PREFIX, prefix) != 0 || !url[prefix] || strstr(url, "..") ||
        strchr(url, '\\'))
        return reply_not_found(c);
    char *path = xprintf("%s/%s", d->http_dir, url + prefix);
    char real[PATH_MAX];
    size_t root = strlen(d->http_dir);
    bool inside =
        path && realpath(path, real) && strncmp(real, d->http_dir, root) == 0 && real[root] == '/';
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

static bool start_server(demo *d, unsigned *port, char *err, size_t err_size)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = 0; /* any free port */
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    d->daemon = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                                 serve, d, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
                                 MHD_OPTION_EXTERNAL_LOGGER, server_log, d, MHD_OPTION_END);
    const union MHD_DaemonInfo *info =
        d->daemon ? MHD_get_daemon_info(d->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    if (!info || !info->port) {
        pthread_mutex_lock(&d->log_lock);
        set_err(err, err_size, "demo: cannot start the HTTP server on 127.0.0.1%s%s",
                d->log[0] ? ": " : "", d->log);
        pthread_mutex_unlock(&d->log_lock);
        return false;
    }
    *port = info->port;
    return true;
}

/* ---- the sandbox ---- */

/* Puts one module's image and PDB where its spec says, and adds it to the module list. */
static bool build_module(demo *d, const demo_spec *sp, char *err, size_t err_size)
{
    const struct demo_blob *img = sp->from_image ? find_blob(sp->from_image) : NULL;
    const struct demo_blob *pdb_blob = sp->from_pdb ? find_blob(sp->from_pdb) : NULL;
    if ((sp->from_image && !img) || (sp->from_pdb && !pdb_blob)) {
        set_err(err, err_size, "demo: %s is not embedded",
                img || !sp->from_image ? sp->from_pdb : sp->from_image);
        return false;
    }
    unsigned char *image = NULL, *pdb = NULL;
    char *rel = NULL, *dest = NULL;
    bool ok = false;
    identity id = {{0}, 0};
    char key[41] = "";
    if (img && !(image = malloc(img->size)))
        goto nomem;
    if (image)
        memcpy(image, img->data, img->size);
    if (pdb_blob && !(pdb = malloc(pdb_blob->size)))
        goto nomem;
    if (pdb)
        memcpy(pdb, pdb_blob->data, pdb_blob->size);

    if (pdb) {
        size_t info_age, guid, dbi_age;
        if (!pdb_fields(pdb, pdb_blob->size, &info_age, &guid, &dbi_age)) {
            set_err(err, err_size, "demo: %s: not an MSF 7.00 PDB with a DBI stream", sp->from_pdb);
            goto out;
        }
        if (sp->age) {
            guid_for(sp->pdb, id.guid);
            id.age = sp->age;
            memcpy(pdb + guid, id.guid, 16);
            wr32(pdb + info_age, id.age);
            wr32(pdb + dbi_age, id.age);
        } else {
            memcpy(id.guid, pdb + guid, 16);
            id.age = rd32(pdb + dbi_age);
        }
        identity_key(&id, key);
    }
    if (image && pdb) {
        /* The image wants this identity under a Windows path the sandbox maps (C:), so the
         * CodeView step never finds the build tree or whatever is in the current directory. */
        size_t at, room;
        char name[64];
        int len = snprintf(name, sizeof name, "C:\\build\\%s", sp->pdb);
        if (!pe_rsds(image, img->size, &at, &room) || len < 0 || (size_t)len > room) {
            set_err(err, err_size, "demo: %s: no RSDS record with room for %s", sp->from_image,
                    name);
            goto out;
        }
        memcpy(image + at + 4, id.guid, 16);
        wr32(image + at + 20, id.age);
        memset(image + at + 24, 0, room);
        memcpy(image + at + 24, name, (size_t)len);
    }

    if (image) {
        rel = xprintf("images/%s", sp->image);
        if (!rel || !put_file(d, rel, image, img->size, err, err_size))
            goto out_err;
        dest = xprintf("%s/%s", d->dir, rel);
    } else {
        dest = xprintf("%s/%s", sp->pdb, key);
    }
    if (!dest)
        goto nomem;

    if (pdb) {
        size_t size = pdb_blob->size;
        const char *ext = sp->image ? strrchr(sp->image, '.') : NULL;
        struct {
            unsigned flag;
            char *rel;
        } places[] = {
            {AT_PLAIN, xprintf("plain/%s", sp->pdb)},
            {AT_PLAIN_EXT, xprintf("plain/%s/%s", ext ? ext + 1 : "exe", sp->pdb)},
            {AT_STORE2_PTR, xprintf("builds/%s", sp->pdb)},
            {AT_HTTP, xprintf("http/%s/%s/%s", sp->pdb, key, sp->pdb)},
            {AT_DOWN, xprintf("down/%s/%s/%s", sp->pdb, key, sp->pdb)},
        };
        size_t n_places = sizeof places / sizeof places[0];
        ok = true;
        for (size_t i = 0; i < n_places; i++) {
            if (!places[i].rel)
                ok = false;
            else if (ok && (sp->at & places[i].flag))
                ok = put_file(d, places[i].rel, pdb, size, err, err_size);
            free(places[i].rel);
        }
        if (!ok)
            goto out_err;
        ok = false;
        /* Two tiers: the first two letters of the file name, in lower case. */
        char tier[3] = {(char)tolower((unsigned char)sp->pdb[0]),
                        (char)tolower((unsigned char)sp->pdb[1]), '\0'};
        if (sp->at & AT_STORE2_PTR) {
            char *ptr = xprintf("PATH:%s/builds/%s\n", d->dir, sp->pdb);
            free(rel);
            rel = xprintf("store2/%s/%s/%s/file.ptr", tier, sp->pdb, key);
            if (!ptr || !rel || !put_file(d, rel, ptr, strlen(ptr), err, err_size)) {
                free(ptr);
                goto out_err;
            }
            free(ptr);
        }
        if (sp->at & AT_STORE2_CAB) {
            /* The embedded CAB holds the fixture's own PDB: only for age 0 specs. */
            char cab_name[64];
            snprintf(cab_name, sizeof cab_name, "%s", sp->pdb);
            cab_name[strlen(cab_name) - 1] = '_';
            const struct demo_blob *cab = find_blob(cab_name);
            free(rel);
            rel = xprintf("store2/%s/%s/%s/%s", tier, sp->pdb, key, cab_name);
            if (!cab || sp->age) {
                set_err(err, err_size, "demo: no embedded %s for %s", cab_name, sp->pdb);
                goto out;
            }
            if (!rel || !put_file(d, rel, cab->data, cab->size, err, err_size))
                goto out_err;
        }
    }
    if (d->n_modules >= MAX_MODULES) {
        set_err(err, err_size, "demo: too many modules");
        goto out;
    }
    d->modules[d->n_modules++] = dest;
    dest = NULL;
    ok = true;
    goto out;
nomem:
    set_err(err, err_size, "demo: out of memory");
    goto out;
out_err:
    if (err && err_size && !err[0])
        set_err(err, err_size, "demo: out of memory");
out:
    free(image);
    free(pdb);
    free(rel);
    free(dest);
    return ok;
}

static bool build_sandbox(demo *d, char *err, size_t err_size)
{
    static const char *const dirs[] = {"c/symbols/old", "cache", "plain", "store2",
                                       "down",          "http",  "home",  "images"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        if (!make_dir(d, dirs[i], err, err_size))
            return false;
    /* An auto-detected store (pingme.txt) with two tiers (index2.txt). */
    static const char pingme[] = "symscope demo: a symbol store\n";
    if (!put_file(d, "store2/pingme.txt", pingme, sizeof pingme - 1, err, err_size) ||
        !put_file(d, "store2/index2.txt", "", 0, err, err_size))
        return false;
    /* Another build's app.pdb, early in the path: a mismatch before the right file. */
    const struct demo_blob *variant = find_blob("variant/app.pdb");
    if (!variant) {
        set_err(err, err_size, "demo: variant/app.pdb is not embedded");
        return false;
    }
    if (!put_file(d, "c/symbols/old/app.pdb", variant->data, variant->size, err, err_size))
        return false;
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        if (!build_module(d, &specs[i], err, err_size))
            return false;
    return true;
}

demo *demo_start(char *err, size_t err_size)
{
    if (err && err_size)
        err[0] = '\0';
    demo *d = calloc(1, sizeof *d);
    if (!d) {
        set_err(err, err_size, "demo: out of memory");
        return NULL;
    }
    pthread_mutex_init(&d->log_lock, NULL);
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    size_t tmp_len = strlen(tmp);
    while (tmp_len > 1 && tmp[tmp_len - 1] == '/')
        tmp_len--;
    char *tmpl = xprintf("%.*s/symscope-demo-XXXXXX", (int)tmp_len, tmp);
    if (!tmpl || !mkdtemp(tmpl)) {
        set_err(err, err_size, "demo: cannot create a directory in %s: %s", tmp, strerror(errno));
        free(tmpl);
        demo_stop(d);
        return NULL;
    }
    /* Resolved, so what the server checks with realpath compares equal. */
    char real[PATH_MAX];
    d->dir = realpath(tmpl, real) ? strdup(real) : NULL;
    if (!d->dir) {
        set_err(err, err_size, "demo: cannot resolve %s: %s", tmpl, strerror(errno));
        remove_tree(tmpl);
        free(tmpl);
        demo_stop(d);
        return NULL;
    }
    free(tmpl);

    unsigned port = 0;
    if (!build_sandbox(d, err, err_size)) {
        demo_stop(d);
        return NULL;
    }
    d->http_dir = xprintf("%s/http", d->dir);
    d->home = xprintf("%s/home", d->dir);
    d->map_dir = xprintf("%s/c", d->dir);
    if (!d->http_dir || !d->home || !d->map_dir) {
        set_err(err, err_size, "demo: out of memory");
        demo_stop(d);
        return NULL;
    }
    if (!start_server(d, &port, err, err_size)) {
        demo_stop(d);
        return NULL;
    }
    d->url = xprintf("http://127.0.0.1:%u/symbols", port);
    d->sympath = xprintf("C:\\symbols\\old;cache*%s/cache;%s/plain;%s/store2;srv*%s/down*%s;"
                         "D:\\unmapped",
                         d->dir, d->dir, d->dir, d->dir, d->url ? d->url : "");
    if (!d->url || !d->sympath) {
        set_err(err, err_size, "demo: out of memory");
        demo_stop(d);
        return NULL;
    }
    d->map.from = "C:";
    d->map.dir = d->map_dir;
    return d;
}

void demo_stop(demo *d)
{
    if (!d)
        return;
    if (d->daemon)
        MHD_stop_daemon(d->daemon);
    if (d->dir)
        remove_tree(d->dir);
    for (size_t i = 0; i < d->n_modules; i++)
        free(d->modules[i]);
    free(d->dir);
    free(d->http_dir);
    free(d->sympath);
    free(d->home);
    free(d->url);
    free(d->map_dir);
    pthread_mutex_destroy(&d->log_lock);
    free(d);
}

const char *demo_dir(const demo *d)
{
    return d->dir;
}

const char *demo_sympath(const demo *d)
{
    return d->sympath;
}

const char *demo_home(const demo *d)
{
    return d->home;
}

size_t demo_mappings(const demo *d, const demo_mapping **maps)
{
    *maps = &d->map;
    return 1;
}

size_t demo_modules(const demo *d, const char *const **modules)
{
    *modules = (const char *const *)d->modules;
    return d->n_modules;
}

const char *demo_url(const demo *d)
{
    return d->url;
}
