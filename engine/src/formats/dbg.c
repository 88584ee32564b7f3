/* .dbg files (IMAGE_SEPARATE_DEBUG_HEADER): the identity is the header's own TimeDateStamp
 * and SizeOfImage; the debug directory may carry a CodeView record naming a PDB. */
#include <stdlib.h>

#include "formats/formats.h"
#include "util/internal.h"

#define DBG_HEADER_SIZE 48
#define SECTION_HEADER_SIZE 40

void dbg_clear(sym_dbg_info *dbg)
{
    free(dbg->debug);
    codeview_clear(&dbg->codeview);
    memset(dbg, 0, sizeof *dbg);
}

sym_status dbg_read(reader *r, sym_dbg_info *dbg, sym_error *err)
{
    memset(dbg, 0, sizeof *dbg);
    uint8_t h[DBG_HEADER_SIZE];
    sym_status st = reader_read(r, 0, h, sizeof h, ".dbg header", err);
    if (st != SYM_OK)
        return st;
    dbg->flags = le16(h + 2);
    dbg->machine = le16(h + 4);
    dbg->characteristics = le16(h + 6);
    dbg->timestamp = le32(h + 8);
    dbg->checksum = le32(h + 12);
    dbg->image_base = le32(h + 16);
    dbg->size_of_image = le32(h + 20);
    dbg->n_sections = le32(h + 24);
    uint32_t exported_names = le32(h + 28);
    uint32_t debug_dir_size = le32(h + 32);
    dbg->id.kind = SYM_ID_DBG;
    dbg->id.timestamp = dbg->timestamp;
    dbg->id.size = dbg->size_of_image;

    uint64_t dir_off =
        DBG_HEADER_SIZE + (uint64_t)dbg->n_sections * SECTION_HEADER_SIZE + exported_names;
    uint32_t n = debug_dir_size / 28;
    if (n == 0)
        return SYM_OK;
    st = pe_debug_dir_read(r, dir_off, n, &dbg->debug, err);
    if (st != SYM_OK)
        return st;
    dbg->n_debug = n;
    for (uint32_t i = 0; i < n; i++) {
        const sym_debug_entry *d = &dbg->debug[i];
        if (d->type != 2 /* CODEVIEW */ || dbg->has_codeview)
            continue;
        /* Only the signature and, for NB10/RSDS, the PDB reference are needed. */
        size_t len = d->size_of_data > FMT_MAX_CV_RECORD ? FMT_MAX_CV_RECORD : d->size_of_data;
        uint8_t cv[FMT_MAX_CV_RECORD];
        size_t head = len < 4 ? len : 4;
        st = reader_read(r, d->pointer_to_raw_data, cv, head, "CodeView record", err);
        if (st != SYM_OK)
            return st;
        /* Embedded CodeView (NB09/NB11) is the symbols themselves: the signature is enough. */
        if (head == 4 && (memcmp(cv, "NB10", 4) == 0 || memcmp(cv, "RSDS", 4) == 0)) {
            st =
                reader_read(r, d->pointer_to_raw_data + 4, cv + 4, len - 4, "CodeView record", err);
            if (st != SYM_OK)
                return st;
        } else {
            len = head;
        }
        st = codeview_parse(cv, len, &dbg->codeview, r->name, err);
        if (st != SYM_OK)
            return st;
        dbg->has_codeview = true;
    }
    return SYM_OK;
}
