/* Minidumps: the module list (with each module's CodeView and MISC records), the unloaded
 * module list and the system info. */
#include <stdlib.h>

#include "formats/formats.h"
#include "util/internal.h"

#define MD_HEADER_SIZE 32
#define MD_DIR_ENTRY 12
#define MD_MODULE_SIZE 108 /* on-disk size; do not use sizeof of a padded struct */
#define MD_MAX_STREAMS 4096
#define STREAM_MODULE_LIST 4
#define STREAM_SYSTEM_INFO 7
#define STREAM_UNLOADED_MODULE_LIST 14

void minidump_clear(sym_minidump_info *d)
{
    for (size_t i = 0; i < d->n_modules; i++) {
        free(d->modules[i].name);
        free(d->modules[i].misc_name);
        codeview_clear(&d->modules[i].codeview);
    }
    free(d->modules);
    for (size_t i = 0; i < d->n_unloaded; i++)
        free(d->unloaded[i].name);
    free(d->unloaded);
    memset(d, 0, sizeof *d);
}

/* MINIDUMP_STRING: u32 length in bytes, then UTF-16LE. */
static char *read_md_string(reader *r, uint32_t rva, sym_error *err)
{
    uint8_t lb[4];
    if (reader_read(r, rva, lb, 4, "module name", err) != SYM_OK)
        return NULL;
    uint32_t bytes = le32(lb);
    if (bytes > FMT_MAX_NAME * 2) {
        err_set(err, SYM_E_FORMAT, "%s: module name at 0x%x claims %u bytes", r->name, rva, bytes);
        return NULL;
    }
    uint8_t buf[FMT_MAX_NAME * 2];
    if (reader_read(r, (uint64_t)rva + 4, buf, bytes, "module name", err) != SYM_OK)
        return NULL;
    return util_utf16le_to_utf8(buf, bytes / 2, err);
}

static sym_status read_module(reader *r, const uint8_t *m, sym_dump_module *mod, sym_error *err)
{
    mod->base = le64(m);
    mod->size = le32(m + 8);
    mod->checksum = le32(m + 12);
    mod->timestamp = le32(m + 16);
    mod->image_id.kind = SYM_ID_IMAGE;
    mod->image_id.timestamp = mod->timestamp;
    mod->image_id.size = mod->size;
    mod->name = read_md_string(r, le32(m + 20), err);
    if (!mod->name)
        return err ? err->status : SYM_E_FORMAT;
    uint32_t cv_size = le32(m + 76), cv_rva = le32(m + 80);
    if (cv_size >= 4 && cv_rva) {
        uint8_t cv[FMT_MAX_CV_RECORD];
        size_t len = cv_size > sizeof cv ? sizeof cv : cv_size;
        sym_status st = reader_read(r, cv_rva, cv, len, "module CodeView record", err);
        if (st != SYM_OK)
            return st;
        sym_error cv_err;
        /* An unknown record is no reason to drop the module: it simply has no PDB. */
        if (codeview_parse(cv, len, &mod->codeview, r->name, &cv_err) == SYM_OK)
            mod->has_codeview = true;
        else
            codeview_clear(&mod->codeview);
    }
    uint32_t misc_size = le32(m + 84), misc_rva = le32(m + 88);
    if (misc_size >= 12 && misc_rva) {
        uint8_t misc[FMT_MAX_CV_RECORD];
        size_t len = misc_size > sizeof misc ? sizeof misc : misc_size;
        sym_status st = reader_read(r, misc_rva, misc, len, "module MISC record", err);
        if (st != SYM_OK)
            return st;
        if (le32(misc) == 1) {
            mod->misc_name = misc[8] ? util_utf16le_to_utf8(misc + 12, (len - 12) / 2, err)
                                     : util_strdup_bounded(misc + 12, len - 12, err);
            if (!mod->misc_name)
                return SYM_E_NOMEM;
        }
    }
    return SYM_OK;
}

static sym_status read_module_list(reader *r, uint32_t size, uint32_t rva, sym_minidump_info *d,
                                   sym_error *err)
{
    uint8_t nb[4];
    sym_status st = reader_read(r, rva, nb, 4, "module list", err);
    if (st != SYM_OK)
        return st;
    uint32_t n = le32(nb);
    if (n > FMT_MAX_DUMP_MODULES || (uint64_t)n * MD_MODULE_SIZE + 4 > size)
        return err_set(err, SYM_E_FORMAT, "%s: module list claims %u modules in a %u-byte stream",
                       r->name, n, size);
    if (n == 0)
        return SYM_OK;
    uint8_t *buf = util_calloc(n, MD_MODULE_SIZE, err);
    d->modules = util_calloc(n, sizeof *d->modules, err);
    if (!buf || !d->modules) {
        free(buf);
        return SYM_E_NOMEM;
    }
    st = reader_read(r, (uint64_t)rva + 4, buf, (size_t)n * MD_MODULE_SIZE, "module list", err);
    for (uint32_t i = 0; st == SYM_OK && i < n; i++) {
        d->n_modules = i + 1;
        st = read_module(r, buf + (size_t)i * MD_MODULE_SIZE, &d->modules[i], err);
    }
    free(buf);
    return st;
}

static sym_status read_unloaded_list(reader *r, uint32_t size, uint32_t rva, sym_minidump_info *d,
                                     sym_error *err)
{
    uint8_t h[12];
    if (size < 12)
        return SYM_OK;
    sym_status st = reader_read(r, rva, h, sizeof h, "unloaded module list", err);
    if (st != SYM_OK)
        return st;
    uint32_t hdr = le32(h), entry = le32(h + 4), n = le32(h + 8);
    if (hdr < 12 || entry < 24 || hdr > size || n > FMT_MAX_DUMP_MODULES ||
        (uint64_t)n * entry > size - hdr)
        return err_set(err, SYM_E_FORMAT,
                       "%s: unloaded module list (%u entries of %u bytes) does not fit its "
                       "%u-byte stream",
                       r->name, n, entry, size);
    if (n == 0)
        return SYM_OK;
    d->unloaded = util_calloc(n, sizeof *d->unloaded, err);
    if (!d->unloaded)
        return SYM_E_NOMEM;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t e[24];
        st = reader_read(r, (uint64_t)rva + hdr + (uint64_t)i * entry, e, sizeof e,
                         "unloaded module", err);
        if (st != SYM_OK)
            return st;
        sym_dump_unloaded *u = &d->unloaded[i];
        d->n_unloaded = i + 1;
        u->base = le64(e);
        u->size = le32(e + 8);
        u->checksum = le32(e + 12);
        u->timestamp = le32(e + 16);
        u->image_id.kind = SYM_ID_IMAGE;
        u->image_id.timestamp = u->timestamp;
        u->image_id.size = u->size;
        u->name = read_md_string(r, le32(e + 20), err);
        if (!u->name)
            return err ? err->status : SYM_E_FORMAT;
    }
    return SYM_OK;
}

sym_status minidump_read(reader *r, sym_minidump_info *d, sym_error *err)
{
    memset(d, 0, sizeof *d);
    uint8_t h[MD_HEADER_SIZE];
    sym_status st = reader_read(r, 0, h, sizeof h, "minidump header", err);
    if (st != SYM_OK)
        return st;
    d->version = le32(h + 4);
    uint32_t n_streams = le32(h + 8);
    uint32_t dir_rva = le32(h + 12);
    d->timestamp = le32(h + 20);
    d->flags = le64(h + 24);
    if ((d->version & 0xFFFF) != 0xA793)
        return err_set(err, SYM_E_FORMAT, "%s: minidump version 0x%x is not 0xA793", r->name,
                       d->version & 0xFFFF);
    if (n_streams > MD_MAX_STREAMS)
        return err_set(err, SYM_E_FORMAT, "%s: minidump claims %u streams", r->name, n_streams);
    uint8_t *dir = util_calloc(n_streams, MD_DIR_ENTRY, err);
    if (!dir)
        return SYM_E_NOMEM;
    st = reader_read(r, dir_rva, dir, (size_t)n_streams * MD_DIR_ENTRY, "stream directory", err);
    bool seen_modules = false, seen_unloaded = false;
    for (uint32_t i = 0; st == SYM_OK && i < n_streams; i++) {
        const uint8_t *e = dir + (size_t)i * MD_DIR_ENTRY;
        uint32_t type = le32(e), size = le32(e + 4), rva = le32(e + 8);
        if (type == STREAM_MODULE_LIST && !seen_modules) {
            seen_modules = true;
            st = read_module_list(r, size, rva, d, err);
        } else if (type == STREAM_UNLOADED_MODULE_LIST && !seen_unloaded) {
            seen_unloaded = true;
            st = read_unloaded_list(r, size, rva, d, err);
        } else if (type == STREAM_SYSTEM_INFO && size >= 24 && !d->has_system_info) {
            uint8_t si[24];
            st = reader_read(r, rva, si, sizeof si, "system info", err);
            if (st == SYM_OK) {
                d->has_system_info = true;
                d->processor_architecture = le16(si);
                d->os_major = le32(si + 8);
                d->os_minor = le32(si + 12);
                d->os_build = le32(si + 16);
                d->platform_id = le32(si + 20);
            }
        }
    }
    free(dir);
    return st;
}
