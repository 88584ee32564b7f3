/* Portable PDB (ECMA-335 metadata, "BSJB"): its id is the first 20 bytes of the #Pdb stream. */
#include <stdlib.h>

#include "formats/formats.h"
#include "util/internal.h"

#define MAX_VERSION_LEN 256
#define MAX_STREAM_HEADERS 64

sym_status portable_pdb_read(reader *r, sym_portable_pdb_info *pp, sym_error *err)
{
    memset(pp, 0, sizeof *pp);
    uint8_t h[16];
    sym_status st = reader_read(r, 0, h, sizeof h, "metadata root", err);
    if (st != SYM_OK)
        return st;
    uint32_t vlen = le32(h + 12);
    if (vlen > MAX_VERSION_LEN || vlen % 4)
        return err_set(err, SYM_E_FORMAT, "%s: metadata version string of %u bytes", r->name, vlen);
    uint8_t v[MAX_VERSION_LEN + 4];
    st = reader_read(r, 16, v, vlen + 4, "metadata version", err);
    if (st != SYM_OK)
        return st;
    pp->version = util_strdup_bounded(v, vlen, err);
    if (!pp->version)
        return SYM_E_NOMEM;
    uint16_t n = le16(v + vlen + 2);
    if (n > MAX_STREAM_HEADERS)
        return err_set(err, SYM_E_FORMAT, "%s: metadata claims %u streams", r->name, n);
    uint64_t off = 16 + (uint64_t)vlen + 4;
    for (uint16_t i = 0; i < n; i++) {
        uint8_t sh[8 + 32];
        size_t len = sizeof sh;
        if (off + len > r->size)
            len = (size_t)(r->size - off < len ? r->size - off : len);
        if (len < 12)
            break;
        st = reader_read(r, off, sh, len, "metadata stream header", err);
        if (st != SYM_OK)
            return st;
        const uint8_t *nul = memchr(sh + 8, 0, len - 8);
        if (!nul)
            return err_set(err, SYM_E_FORMAT, "%s: metadata stream name too long", r->name);
        size_t name_len = (size_t)(nul - (sh + 8));
        if (name_len == 4 && memcmp(sh + 8, "#Pdb", 4) == 0) {
            uint32_t s_off = le32(sh), s_size = le32(sh + 4);
            if (s_size < 20)
                return err_set(err, SYM_E_FORMAT, "%s: #Pdb stream of %u bytes", r->name, s_size);
            uint8_t id[20];
            st = reader_read(r, s_off, id, sizeof id, "#Pdb stream", err);
            if (st != SYM_OK)
                return st;
            pp->id.kind = SYM_ID_PORTABLE_PDB;
            pp->id.guid.data1 = le32(id);
            pp->id.guid.data2 = le16(id + 4);
            pp->id.guid.data3 = le16(id + 6);
            memcpy(pp->id.guid.data4, id + 8, 8);
            pp->id.signature = le32(id + 16);
            return SYM_OK;
        }
        off += 8 + ((name_len + 4) & ~(size_t)3);
    }
    return err_set(err, SYM_E_FORMAT, "%s: portable PDB without a #Pdb stream", r->name);
}
