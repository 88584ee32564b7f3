/* PE32 / PE32+ images: headers, the debug directory (CodeView, MISC, REPRO) and export names.
 * Reads only those structures; every offset and count is checked against the file. */
#include <inttypes.h>
#include <stdlib.h>

#include "formats/formats.h"
#include "util/internal.h"

#define PE_MAX_SECTIONS 96 /* the PE format's own limit for images the loader accepts */
#define IMAGE_FILE_DEBUG_STRIPPED 0x0200
#define DEBUG_TYPE_CODEVIEW 2
#define DEBUG_TYPE_MISC 4
#define DEBUG_TYPE_REPRO 16
#define PORTABLE_PDB_MINOR 0x504D

typedef struct pe_section {
    uint32_t vaddr, vsize, raw_ptr, raw_size;
} pe_section;

typedef struct pe_ctx {
    reader *r;
    uint32_t size_of_headers;
    uint16_t n_sections;
    pe_section sections[PE_MAX_SECTIONS];
} pe_ctx;

void pe_clear(sym_pe_info *pe)
{
    free(pe->debug);
    codeview_clear(&pe->codeview);
    free(pe->misc_name);
    free(pe->export_name);
    for (size_t i = 0; i < pe->n_exports; i++)
        free(pe->exports[i]);
    free(pe->exports);
    memset(pe, 0, sizeof *pe);
}

/* File offset of an RVA, or false when no section (nor the headers) holds it. */
static bool rva_to_off(const pe_ctx *c, uint32_t rva, uint32_t len, uint64_t *off)
{
    for (unsigned i = 0; i < c->n_sections; i++) {
        const pe_section *s = &c->sections[i];
        uint32_t span = s->vsize > s->raw_size ? s->vsize : s->raw_size;
        if (rva >= s->vaddr && rva - s->vaddr < span) {
            uint32_t delta = rva - s->vaddr;
            if (delta > s->raw_size || len > s->raw_size - delta)
                return false; /* lies in the zero-filled tail: not in the file */
            *off = (uint64_t)s->raw_ptr + delta;
            return true;
        }
    }
    if (rva < c->size_of_headers && len <= c->size_of_headers - rva) {
        *off = rva;
        return true;
    }
    return false;
}

/* Reads a NUL-terminated string at an RVA, at most FMT_MAX_NAME bytes. */
static char *read_rva_string(pe_ctx *c, uint32_t rva, sym_error *err)
{
    uint64_t off;
    if (!rva_to_off(c, rva, 1, &off))
        return NULL;
    uint8_t buf[FMT_MAX_NAME];
    size_t n = sizeof buf;
    if (off + n > c->r->size)
        n = (size_t)(c->r->size - off);
    if (reader_read(c->r, off, buf, n, "export name", err) != SYM_OK)
        return NULL;
    return util_strdup_bounded(buf, n, err);
}

static sym_status read_codeview(pe_ctx *c, sym_pe_info *pe, const sym_debug_entry *d,
                                sym_error *err)
{
    uint64_t off = d->pointer_to_raw_data;
    if (off == 0 && !rva_to_off(c, d->address_of_raw_data, d->size_of_data, &off))
        return err_set(err, SYM_E_FORMAT, "%s: CodeView record RVA 0x%x is not in the file",
                       c->r->name, d->address_of_raw_data);
    size_t len = d->size_of_data > FMT_MAX_CV_RECORD ? FMT_MAX_CV_RECORD : d->size_of_data;
    uint8_t buf[FMT_MAX_CV_RECORD];
    sym_status st = reader_read(c->r, off, buf, len, "CodeView record", err);
    if (st != SYM_OK)
        return st;
    st = codeview_parse(buf, len, &pe->codeview, c->r->name, err);
    if (st != SYM_OK)
        return st;
    pe->has_codeview = true;
    pe->portable_pdb = d->minor_version == PORTABLE_PDB_MINOR;
    return SYM_OK;
}

static sym_status read_misc(pe_ctx *c, sym_pe_info *pe, const sym_debug_entry *d, sym_error *err)
{
    uint64_t off = d->pointer_to_raw_data;
    if (off == 0 && !rva_to_off(c, d->address_of_raw_data, d->size_of_data, &off))
        return SYM_OK; /* not in the file: nothing to name */
    size_t len = d->size_of_data > FMT_MAX_CV_RECORD ? FMT_MAX_CV_RECORD : d->size_of_data;
    if (len < 12)
        return SYM_OK;
    uint8_t buf[FMT_MAX_CV_RECORD];
    sym_status st = reader_read(c->r, off, buf, len, "MISC debug record", err);
    if (st != SYM_OK)
        return st;
    if (le32(buf) != 1 /* IMAGE_DEBUG_MISC_EXENAME */ || pe->misc_name)
        return SYM_OK;
    uint32_t rec_len = le32(buf + 4);
    if (rec_len < 12 || rec_len > len)
        rec_len = (uint32_t)len;
    if (buf[8]) /* Unicode */
        pe->misc_name = util_utf16le_to_utf8(buf + 12, (rec_len - 12) / 2, err);
    else
        pe->misc_name = util_strdup_bounded(buf + 12, rec_len - 12, err);
    return pe->misc_name ? SYM_OK : SYM_E_NOMEM;
}

static sym_status read_debug_dir(pe_ctx *c, sym_pe_info *pe, uint32_t rva, uint32_t size,
                                 sym_error *err)
{
    if (rva == 0 || size == 0)
        return SYM_OK;
    uint32_t n = size / 28;
    if (n > FMT_MAX_DEBUG_ENTRIES)
        return err_set(err, SYM_E_FORMAT, "%s: debug directory claims %u entries", c->r->name, n);
    uint64_t off;
    if (!rva_to_off(c, rva, n * 28, &off))
        return err_set(err, SYM_E_FORMAT,
                       "%s: debug directory (RVA 0x%x, %u bytes) is outside every section",
                       c->r->name, rva, size);
    sym_status st = pe_debug_dir_read(c->r, off, n, &pe->debug, err);
    if (st != SYM_OK)
        return st;
    pe->n_debug = n;
    for (uint32_t i = 0; i < n; i++) {
        const sym_debug_entry *d = &pe->debug[i];
        if (d->type == DEBUG_TYPE_CODEVIEW && !pe->has_codeview)
            st = read_codeview(c, pe, d, err);
        else if (d->type == DEBUG_TYPE_MISC)
            st = read_misc(c, pe, d, err);
        else if (d->type == DEBUG_TYPE_REPRO)
            pe->has_repro = true;
        if (st != SYM_OK)
            return st;
    }
    return SYM_OK;
}

static sym_status read_exports(pe_ctx *c, sym_pe_info *pe, uint32_t rva, uint32_t size,
                               sym_error *err)
{
    if (rva == 0 || size < 40)
        return SYM_OK;
    uint64_t off;
    if (!rva_to_off(c, rva, 40, &off))
        return SYM_OK; /* an export directory the file does not hold is no identity problem */
    uint8_t dir[40];
    sym_status st = reader_read(c->r, off, dir, sizeof dir, "export directory", err);
    if (st != SYM_OK)
        return st;
    pe->has_exports = true;
    pe->n_export_functions = le32(dir + 20);
    uint32_t n_names = le32(dir + 24);
    uint32_t names_rva = le32(dir + 32);
    uint32_t name_rva = le32(dir + 12);
    if (name_rva) {
        sym_error ignored;
        pe->export_name = read_rva_string(c, name_rva, &ignored);
    }
    if (n_names > FMT_MAX_EXPORT_NAMES) {
        pe->exports_truncated = true;
        n_names = FMT_MAX_EXPORT_NAMES;
    }
    if (n_names == 0)
        return SYM_OK;
    uint64_t table_off;
    if (!rva_to_off(c, names_rva, n_names * 4, &table_off)) {
        pe->exports_truncated = true;
        return SYM_OK;
    }
    uint8_t *table = util_calloc(n_names, 4, err);
    if (!table)
        return SYM_E_NOMEM;
    st = reader_read(c->r, table_off, table, (size_t)n_names * 4, "export name table", err);
    if (st == SYM_OK)
        pe->exports = util_calloc(n_names, sizeof *pe->exports, err);
    if (st == SYM_OK && !pe->exports)
        st = SYM_E_NOMEM;
    for (uint32_t i = 0; st == SYM_OK && i < n_names; i++) {
        sym_error e2;
        char *name = read_rva_string(c, le32(table + 4 * i), &e2);
        if (!name) {
            pe->exports_truncated = true; /* a bad name pointer ends the list, not the read */
            break;
        }
        pe->exports[pe->n_exports++] = name;
    }
    free(table);
    return st;
}

sym_status pe_read(reader *r, sym_pe_info *pe, sym_error *err)
{
    memset(pe, 0, sizeof *pe);
    pe_ctx c = {.r = r};
    uint8_t dos[64];
    sym_status st = reader_read(r, 0, dos, sizeof dos, "DOS header", err);
    if (st != SYM_OK)
        return st;
    uint32_t lfanew = le32(dos + 0x3C);
    uint8_t hdr[24 + 240];
    st = reader_read(r, lfanew, hdr, 24 + 2, "PE header", err);
    if (st != SYM_OK)
        return st;
    if (memcmp(hdr, "PE\0\0", 4) != 0)
        return err_set(err, SYM_E_FORMAT,
                       "%s: MZ file without a PE signature at 0x%x (a DOS or NE program?)", r->name,
                       lfanew);
    const uint8_t *coff = hdr + 4;
    pe->machine = le16(coff);
    c.n_sections = le16(coff + 2);
    pe->timestamp = le32(coff + 4);
    uint16_t opt_size = le16(coff + 16);
    pe->characteristics = le16(coff + 18);
    pe->debug_stripped = (pe->characteristics & IMAGE_FILE_DEBUG_STRIPPED) != 0;
    if (opt_size < 2)
        return err_set(err, SYM_E_FORMAT,
                       "%s: PE file without an optional header (an object "
                       "file?)",
                       r->name);
    size_t opt_read = opt_size > 240 ? 240 : opt_size;
    st = reader_read(r, (uint64_t)lfanew + 24, hdr + 24, opt_read, "optional header", err);
    if (st != SYM_OK)
        return st;
    const uint8_t *opt = hdr + 24;
    uint16_t magic = le16(opt);
    size_t dd_off, need;
    if (magic == 0x10B) {
        pe->pe32plus = false;
        dd_off = 96;
        need = 96;
        if (opt_read >= 32)
            pe->image_base = le32(opt + 28);
    } else if (magic == 0x20B) {
        pe->pe32plus = true;
        dd_off = 112;
        need = 112;
        if (opt_read >= 32)
            pe->image_base = le64(opt + 24);
    } else {
        return err_set(err, SYM_E_FORMAT, "%s: unknown optional header magic 0x%x", r->name, magic);
    }
    if (opt_read < need)
        return err_set(err, SYM_E_FORMAT,
                       "%s: optional header of %u bytes is too short for its magic 0x%x", r->name,
                       opt_size, magic);
    pe->size_of_image = le32(opt + 56);
    c.size_of_headers = le32(opt + 60);
    pe->checksum = le32(opt + 64);
    uint32_t n_dirs = le32(opt + dd_off - 4);
    pe->id.kind = SYM_ID_IMAGE;
    pe->id.timestamp = pe->timestamp;
    pe->id.size = pe->size_of_image;

    if (c.n_sections > PE_MAX_SECTIONS)
        return err_set(err, SYM_E_FORMAT, "%s: %u sections (the format allows %d)", r->name,
                       c.n_sections, PE_MAX_SECTIONS);
    uint8_t sec[PE_MAX_SECTIONS * 40];
    st = reader_read(r, (uint64_t)lfanew + 24 + opt_size, sec, (size_t)c.n_sections * 40,
                     "section table", err);
    if (st != SYM_OK)
        return st;
    for (unsigned i = 0; i < c.n_sections; i++) {
        const uint8_t *s = sec + 40 * i;
        c.sections[i].vsize = le32(s + 8);
        c.sections[i].vaddr = le32(s + 12);
        c.sections[i].raw_size = le32(s + 16);
        c.sections[i].raw_ptr = le32(s + 20);
    }

    /* Data directories that the optional header holds: 0 exports, 6 debug. */
    size_t dirs_in_header = (opt_read - dd_off) / 8;
    if (n_dirs > dirs_in_header)
        n_dirs = (uint32_t)dirs_in_header;
    if (n_dirs > 6) {
        st =
            read_debug_dir(&c, pe, le32(opt + dd_off + 6 * 8), le32(opt + dd_off + 6 * 8 + 4), err);
        if (st != SYM_OK)
            return st;
    }
    if (n_dirs > 0)
        st = read_exports(&c, pe, le32(opt + dd_off), le32(opt + dd_off + 4), err);
    return st;
}
