/* sym_file_inspect(): sniff the format, hand the file to its reader, describe what it is. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "formats/formats.h"
#include "util/internal.h"
#include "symscope/symscope.h"

static const char MSF7_MAGIC[] = "Microsoft C/C++ MSF 7.00\r\n\x1a"
                                 "DS\0\0";
static const char JG_MAGIC[] = "Microsoft C/C++ program database 2.00\r\n";

const char *sym_version(void)
{
#define SYM_STR2(x) #x
#define SYM_STR(x) SYM_STR2(x)
    return SYM_STR(SYMSCOPE_VERSION_MAJOR) "." SYM_STR(SYMSCOPE_VERSION_MINOR) "." SYM_STR(
        SYMSCOPE_VERSION_PATCH);
}

sym_format fileinfo_sniff(const uint8_t *head, size_t len)
{
    if (len >= sizeof MSF7_MAGIC - 1 && memcmp(head, MSF7_MAGIC, sizeof MSF7_MAGIC - 1) == 0)
        return SYM_FMT_PDB70;
    if (len >= sizeof JG_MAGIC - 1 && memcmp(head, JG_MAGIC, sizeof JG_MAGIC - 1) == 0)
        return SYM_FMT_PDB20;
    if (len >= 4 && memcmp(head, "MDMP", 4) == 0)
        return SYM_FMT_MINIDUMP;
    if (len >= 4 && memcmp(head, "MSCF", 4) == 0)
        return SYM_FMT_CAB;
    if (len >= 4 && memcmp(head, "BSJB", 4) == 0)
        return SYM_FMT_PORTABLE_PDB;
    if (len >= 2 && head[0] == 'M' && head[1] == 'Z')
        return SYM_FMT_PE;
    if (len >= 2 && head[0] == 'D' && head[1] == 'I')
        return SYM_FMT_DBG;
    return SYM_FMT_UNKNOWN;
}

/* A short description of what an unrecognised file looks like, for the error message. */
static void describe_unknown(const uint8_t *head, size_t len, char *out, size_t out_size)
{
    size_t skip = 0;
    while (skip < len && isspace(head[skip]))
        skip++;
    const char *p = (const char *)head + skip;
    size_t n = len - skip;
    if ((n >= 5 && strncasecmp(p, "<html", 5) == 0) ||
        (n >= 9 && strncasecmp(p, "<!doctype", 9) == 0)) {
        snprintf(out, out_size, "an HTML page");
    } else if (n >= 1 && (p[0] == '{' || p[0] == '[')) {
        snprintf(out, out_size, "JSON or other text");
    } else if (n >= 7 && memcmp(p, "MODULE ", 7) == 0) {
        snprintf(out, out_size, "a Breakpad text symbol file");
    } else if (n >= 4 && memcmp(p,
                                "\x7f"
                                "ELF",
                                4) == 0) {
        snprintf(out, out_size, "an ELF file");
    } else if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) {
        snprintf(out, out_size, "a ZIP archive");
    } else {
        size_t k = len < 4 ? len : 4;
        int w = snprintf(out, out_size, "starts with");
        for (size_t i = 0; i < k && w > 0 && (size_t)w < out_size; i++)
            w += snprintf(out + w, out_size - (size_t)w, " %02X", head[i]);
    }
}

static void info_clear(sym_file_info *info)
{
    switch (info->format) {
    case SYM_FMT_PE:
        pe_clear(&info->u.pe);
        break;
    case SYM_FMT_DBG:
        dbg_clear(&info->u.dbg);
        break;
    case SYM_FMT_MINIDUMP:
        minidump_clear(&info->u.dump);
        break;
    case SYM_FMT_CAB:
        sym_file_info_free(info->u.cab.member);
        cab_clear(&info->u.cab);
        break;
    case SYM_FMT_PORTABLE_PDB:
        free(info->u.portable.version);
        break;
    case SYM_FMT_PDB70:
    case SYM_FMT_PDB20:
    case SYM_FMT_UNKNOWN:
    default:
        break;
    }
}

void sym_file_info_free(sym_file_info *info)
{
    if (!info)
        return;
    info_clear(info);
    free(info->path);
    free(info);
}

/* A CAB's member: one level down, never further. */
static sym_status inspect_member(reader *r, const char *name, sym_file_info **out, sym_error *err)
{
    return fileinfo_inspect_reader(r, name, 1, out, err);
}

sym_status fileinfo_inspect_reader(reader *r, const char *path, int depth, sym_file_info **out,
                                   sym_error *err)
{
    *out = NULL;
    uint8_t head[64];
    size_t hlen = r->size < sizeof head ? (size_t)r->size : sizeof head;
    sym_status st = reader_read(r, 0, head, hlen, "file header", err);
    if (st != SYM_OK)
        return st;
    sym_format fmt = fileinfo_sniff(head, hlen);
    if (fmt == SYM_FMT_UNKNOWN) {
        char what[64];
        describe_unknown(head, hlen, what, sizeof what);
        return err_set(err, SYM_E_UNKNOWN_FORMAT,
                       "%s: not a PE, PDB, DBG, minidump or CAB file (%s)", r->name, what);
    }
    sym_file_info *info = util_calloc(1, sizeof *info, err);
    if (info)
        info->version = SYM_FILE_INFO_VERSION;
    if (!info)
        return SYM_E_NOMEM;
    info->format = fmt;
    info->file_size = r->size;
    info->path = util_strndup(path, strlen(path), err);
    if (!info->path) {
        free(info);
        return SYM_E_NOMEM;
    }
    switch (fmt) {
    case SYM_FMT_PE:
        st = pe_read(r, &info->u.pe, err);
        break;
    case SYM_FMT_PDB70:
    case SYM_FMT_PDB20:
        st = pdb_read(r, fmt, &info->u.pdb, err);
        break;
    case SYM_FMT_DBG:
        st = dbg_read(r, &info->u.dbg, err);
        break;
    case SYM_FMT_MINIDUMP:
        st = minidump_read(r, &info->u.dump, err);
        break;
    case SYM_FMT_CAB:
        st = cab_read(r, &info->u.cab, depth == 0 ? inspect_member : NULL, err);
        break;
    case SYM_FMT_PORTABLE_PDB:
        st = portable_pdb_read(r, &info->u.portable, err);
        break;
    case SYM_FMT_UNKNOWN:
    default:
        st = SYM_E_UNKNOWN_FORMAT;
        break;
    }
    /* libmspack reads a CAB's headers more than once: what was read is at most the file. */
    info->bytes_read = r->bytes_read < r->size ? r->bytes_read : r->size;
    if (st != SYM_OK) {
        sym_file_info_free(info);
        return st;
    }
    *out = info;
    return SYM_OK;
}

sym_status sym_file_inspect(const char *path, sym_file_info **out, sym_error *err)
{
    return sym_file_inspect_bounded(path, 0, out, err);
}

sym_status sym_file_inspect_bounded(const char *path, uint64_t max_member, sym_file_info **out,
                                    sym_error *err)
{
    sym_error_clear(err);
    if (!path || !out) {
        if (out)
            *out = NULL;
        return err_set(err, SYM_E_ARG, "sym_file_inspect: no path");
    }
    *out = NULL;
    reader r;
    sym_status st = reader_open(&r, path, err);
    if (st != SYM_OK)
        return st;
    r.max_member = max_member;
    st = fileinfo_inspect_reader(&r, path, 0, out, err);
    reader_close(&r);
    return st;
}

sym_status sym_file_inspect_memory(const void *data, size_t size, const char *name,
                                   sym_file_info **out, sym_error *err)
{
    sym_error_clear(err);
    if (!out)
        return err_set(err, SYM_E_ARG, "sym_file_inspect_memory: no output");
    *out = NULL;
    if (!name)
        name = "(memory)";
    if (!data || size == 0)
        return err_set(err, SYM_E_EMPTY, "%s: empty file (0 bytes)", name);
    reader r;
    reader_init_mem(&r, data, size, name);
    return fileinfo_inspect_reader(&r, name, 0, out, err);
}

sym_identity sym_file_identity(const sym_file_info *info)
{
    sym_identity none = {.kind = SYM_ID_NONE};
    if (!info)
        return none;
    switch (info->format) {
    case SYM_FMT_PE:
        return info->u.pe.id;
    case SYM_FMT_PDB70:
    case SYM_FMT_PDB20:
        return info->u.pdb.id;
    case SYM_FMT_DBG:
        return info->u.dbg.id;
    case SYM_FMT_PORTABLE_PDB:
        return info->u.portable.id;
    case SYM_FMT_CAB:
        return sym_file_identity(info->u.cab.member);
    case SYM_FMT_MINIDUMP:
    case SYM_FMT_UNKNOWN:
    default:
        return none;
    }
}

const char *sym_format_name(sym_format fmt)
{
    switch (fmt) {
    case SYM_FMT_PE:
        return "pe";
    case SYM_FMT_PDB70:
        return "pdb70";
    case SYM_FMT_PDB20:
        return "pdb20";
    case SYM_FMT_DBG:
        return "dbg";
    case SYM_FMT_MINIDUMP:
        return "minidump";
    case SYM_FMT_CAB:
        return "cab";
    case SYM_FMT_PORTABLE_PDB:
        return "portable-pdb";
    case SYM_FMT_UNKNOWN:
    default:
        return "unknown";
    }
}

const char *sym_machine_name(uint16_t machine)
{
    switch (machine) {
    case 0x014C:
        return "x86";
    case 0x8664:
        return "x64";
    case 0xAA64:
        return "arm64";
    case 0xA641:
        return "arm64ec";
    case 0x01C0:
    case 0x01C2:
    case 0x01C4:
        return "arm";
    case 0x0200:
        return "ia64";
    case 0x0EBC:
        return "ebc";
    case 0x0166:
        return "mips";
    case 0x0184:
        return "alpha";
    case 0x01F0:
        return "powerpc";
    default:
        return NULL;
    }
}

const char *sym_processor_name(uint16_t arch)
{
    switch (arch) {
    case 0:
        return "x86";
    case 1:
        return "mips";
    case 2:
        return "alpha";
    case 3:
        return "powerpc";
    case 5:
        return "arm";
    case 6:
        return "ia64";
    case 9:
        return "x64";
    case 12:
        return "arm64";
    default:
        return NULL;
    }
}

const char *sym_debug_type_name(uint32_t type)
{
    static const char *const names[] = {"unknown",    "coff",         "codeview",
                                        "fpo",        "misc",         "exception",
                                        "fixup",      "omap-to-src",  "omap-from-src",
                                        "borland",    "reserved10",   "clsid",
                                        "vc-feature", "pogo",         "iltcg",
                                        "mpx",        "repro",        "embedded-portable-pdb",
                                        "spgo",       "pdb-checksum", "ex-dllcharacteristics"};
    if (type < sizeof names / sizeof names[0])
        return names[type];
    return NULL;
}
