/* Writing into a symbol store (decisions.md 4): a temporary name in the target directory, the
 * content verified against the key directory it goes into, then an atomic rename. A kill, a
 * full disk or a bad download never leaves a file at a final name that does not match. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stores/store_fs.h"
#include "stores/store_write.h"
#include "symscope/fileinfo.h"
#include "util/util.h"

sym_status store_mkdir(const char *dir)
{
    return storefs_make_dirs(dir, NULL);
}

static sym_status copy_fd(int in, int out, uint64_t *bytes, sym_error *err)
{
    char buf[1 << 16];
    *bytes = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return err_set(err, SYM_E_IO, "read error: %s", strerror(errno));
        if (n == 0)
            return SYM_OK;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                return err_set(err, storefs_errno_status(errno), "write error: %s",
                               strerror(errno));
            done += w;
        }
        *bytes += (uint64_t)n;
    }
}

/* What a file in a store must be: the key's identity, or (compressed) a CAB. */
static sym_status verify(const char *tmp, const sym_identity *id, bool compressed,
                         uint64_t max_size, sym_error *err)
{
    sym_file_info *info;
    sym_error e2;
    if (sym_file_inspect_bounded(tmp, max_size, &info, &e2) != SYM_OK)
        return err_set(err, SYM_E_FORMAT, "not a valid symbol file: %s", e2.message);
    sym_status st = SYM_OK;
    if (compressed && info->format != SYM_FMT_CAB) {
        st = err_set(err, SYM_E_FORMAT, "a compressed file that is not a CAB");
    } else {
        /* A CAB's identity is its member's: a .pd_ must hold the PDB of its key. */
        sym_identity have = sym_file_identity(info);
        if (id->kind == SYM_ID_IMAGE && have.kind == SYM_ID_IMAGE)
            have.kind = id->kind;
        if (!sym_identity_equal(id, &have)) {
            char want_key[SYM_KEY_MAX], have_key[SYM_KEY_MAX];
            sym_identity_key(id, want_key);
            if (!sym_identity_key(&have, have_key))
                strcpy(have_key, "none");
            st = err_set(err, SYM_E_FORMAT, "identity %s does not match the key %s", have_key,
                         want_key);
        }
    }
    sym_file_info_free(info);
    return st;
}

sym_status store_put(const store_put_args *a, char **final_path, uint64_t *bytes, sym_error *err)
{
    *final_path = NULL;
    *bytes = 0;
    char *rel = layout_key_rel(a->tiers, a->file, &a->id);
    if (!rel)
        return err_set(err, SYM_E_ARG, "'%s' cannot be a file name in a store", a->file);
    /* Every directory below the root is opened without following a link, and the file is
     * created and renamed relative to the key directory's descriptor. */
    int dirfd = storefs_open_dir(a->root, rel, true, err);
    char *dir = util_asprintf("%s/%s", a->root, rel);
    free(rel);
    if (dirfd < 0 || !dir) {
        if (dirfd >= 0)
            close(dirfd);
        free(dir);
        return dirfd < 0 ? err->status : err_set(err, SYM_E_NOMEM, "out of memory");
    }
    char cname[NAME_MAX + 1];
    bool compressed = a->keep_compressed && layout_compressed_name(a->file, cname, sizeof cname);
    char *final_name = util_strdup(compressed ? cname : a->file);
    char *final = final_name ? util_asprintf("%s/%s", dir, final_name) : NULL;
    sym_status st = SYM_OK;
    if (!final) {
        st = err_set(err, SYM_E_NOMEM, "out of memory");
        goto out;
    }
    if (a->move && !a->extract) {
        /* A download already in a temporary file: verified, then renamed into place. */
        st = verify(a->src, &a->id, a->keep_compressed, a->max_size, err);
        struct stat sb;
        if (st == SYM_OK && stat(a->src, &sb) == 0)
            *bytes = (uint64_t)sb.st_size;
        if (st == SYM_OK && renameat(AT_FDCWD, a->src, dirfd, final_name) == 0) {
            *final_path = final;
            final = NULL;
            goto out;
        }
        if (st != SYM_OK)
            goto out;
        /* Another file system: copy as usual. */
    }
    char tmp_name[STOREFS_TEMP_LEN + 1];
    int out = storefs_create_temp(dirfd, tmp_name, dir, err);
    if (out < 0) {
        st = err->status;
        goto out;
    }
    char *tmp = util_asprintf("%s/%s", dir, tmp_name);
    flock(out, LOCK_EX); /* "being written": cache prune and verify --fix leave it alone */
    if (a->extract) {
        st = sym_cab_extract_bounded(a->src, 0, out, a->max_size, err);
        struct stat sb;
        if (st == SYM_OK && fstat(out, &sb) == 0)
            *bytes = (uint64_t)sb.st_size;
    } else {
        int in = open(a->src, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        struct stat sb;
        if (in < 0) {
            int e = errno;
            st = err_set(err, storefs_errno_status(e), "cannot read %s: %s", a->src, strerror(e));
        } else if (fstat(in, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            st = err_set(err, SYM_E_ARG, "cannot read %s: not a regular file", a->src);
        } else {
            st = copy_fd(in, out, bytes, err);
        }
        if (in >= 0)
            close(in);
    }
    if (st == SYM_OK && fsync(out) != 0)
        st = err_set(err, storefs_errno_status(errno), "cannot write %s: %s", tmp, strerror(errno));
    if (close(out) != 0 && st == SYM_OK)
        st = err_set(err, storefs_errno_status(errno), "cannot write %s: %s", tmp, strerror(errno));
    if (st == SYM_OK && !tmp)
        st = err_set(err, SYM_E_NOMEM, "out of memory");
    if (st == SYM_OK)
        st = verify(tmp, &a->id, a->keep_compressed, a->max_size, err);
    if (st == SYM_OK && renameat(dirfd, tmp_name, dirfd, final_name) != 0)
        st = err_set(err, storefs_errno_status(errno), "cannot rename into %s: %s", final,
                     strerror(errno));
    if (st != SYM_OK) {
        unlinkat(dirfd, tmp_name, 0);
    } else {
        *final_path = final;
        final = NULL;
    }
    free(tmp);
out:
    close(dirfd);
    free(final_name);
    free(final);
    free(dir);
    return st;
}
