/* CodeView debug records: the link from an image (or dump module) to its PDB. */
#include <stdlib.h>

#include "formats/formats.h"
#include "util/internal.h"

void codeview_clear(sym_codeview *cv)
{
    free(cv->path);
    memset(cv, 0, sizeof *cv);
}

static void guid_from_bytes(const uint8_t *p, sym_guid *g)
{
    g->data1 = le32(p);
    g->data2 = le16(p + 4);
    g->data3 = le16(p + 6);
    memcpy(g->data4, p + 8, 8);
}

sym_status codeview_parse(const uint8_t *buf, size_t len, sym_codeview *cv, const char *name,
                          sym_error *err)
{
    memset(cv, 0, sizeof *cv);
    if (len < 4)
        return err_set(err, SYM_E_FORMAT, "%s: CodeView record of %zu bytes is too short", name,
                       len);
    memcpy(cv->format, buf, 4);
    cv->format[4] = '\0';
    size_t path_off = 0;
    if (memcmp(buf, "RSDS", 4) == 0) {
        if (len < 24)
            return err_set(err, SYM_E_FORMAT,
                           "%s: RSDS CodeView record of %zu bytes is shorter than 24", name, len);
        cv->id.kind = SYM_ID_PDB70;
        guid_from_bytes(buf + 4, &cv->id.guid);
        cv->id.age = le32(buf + 20);
        path_off = 24;
    } else if (memcmp(buf, "NB10", 4) == 0) {
        if (len < 16)
            return err_set(err, SYM_E_FORMAT,
                           "%s: NB10 CodeView record of %zu bytes is shorter than 16", name, len);
        cv->id.kind = SYM_ID_PDB20;
        cv->id.signature = le32(buf + 8);
        cv->id.age = le32(buf + 12);
        path_off = 16;
    } else if (memcmp(buf, "BpEL", 4) == 0) {
        /* Breakpad's ELF build id: identified like a PDB by its first 16 bytes, age 0. */
        uint8_t id[16] = {0};
        memcpy(id, buf + 4, len - 4 < 16 ? len - 4 : 16);
        cv->id.kind = SYM_ID_PDB70;
        guid_from_bytes(id, &cv->id.guid);
        cv->id.age = 0;
        path_off = len;
    } else if (memcmp(buf, "NB09", 4) == 0 || memcmp(buf, "NB11", 4) == 0 ||
               memcmp(buf, "NB05", 4) == 0 || memcmp(buf, "NB08", 4) == 0) {
        /* Embedded CodeView: the symbols are here, no PDB is named. */
        cv->id.kind = SYM_ID_NONE;
        path_off = len;
    } else {
        return err_set(err, SYM_E_FORMAT, "%s: unknown CodeView signature %02X %02X %02X %02X",
                       name, buf[0], buf[1], buf[2], buf[3]);
    }
    cv->path = util_strdup_bounded(buf + path_off, len - path_off, err);
    return cv->path ? SYM_OK : SYM_E_NOMEM;
}

sym_status pe_debug_dir_read(reader *r, uint64_t off, uint32_t n, sym_debug_entry **out,
                             sym_error *err)
{
    *out = NULL;
    if (n > FMT_MAX_DEBUG_ENTRIES)
        return err_set(err, SYM_E_FORMAT, "%s: debug directory claims %u entries", r->name, n);
    uint8_t buf[FMT_MAX_DEBUG_ENTRIES * 28];
    sym_status st = reader_read(r, off, buf, (size_t)n * 28, "debug directory", err);
    if (st != SYM_OK)
        return st;
    sym_debug_entry *d = util_calloc(n, sizeof *d, err);
    if (!d)
        return SYM_E_NOMEM;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = buf + 28 * i;
        d[i].timestamp = le32(e + 4);
        d[i].major_version = le16(e + 8);
        d[i].minor_version = le16(e + 10);
        d[i].type = le32(e + 12);
        d[i].size_of_data = le32(e + 16);
        d[i].address_of_raw_data = le32(e + 20);
        d[i].pointer_to_raw_data = le32(e + 24);
    }
    *out = d;
    return SYM_OK;
}
