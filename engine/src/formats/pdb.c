/* PDB identity: MSF 7.00 ("big MSF") and PDB 2.00 ("JG", small MSF).
 *
 * Only the superblock, the part of the stream directory that locates streams 1 and 3, the
 * first 28 bytes of the PDB info stream, the DBI header and as much of the module-info
 * substream as it takes to know whether private symbols and lines are present are read. A
 * multi-gigabyte PDB costs a few kilobytes. */
#include <inttypes.h>
#include <stdlib.h>

#include "formats/formats.h"
#include "util/internal.h"

#define STREAM_INFO 1
#define STREAM_DBI 3
#define NIL_STREAM 0xFFFFFFFFu
#define DBI_HEADER_SIZE 64
#define DBI_FLAG_STRIPPED 0x2
#define DBI_V70 19990903u
#define MODI_CHUNK 65536

typedef struct msf {
    reader *r;
    bool small; /* PDB 2.00: 16-bit block numbers, 8-byte size entries */
    uint32_t block_size;
    uint32_t num_blocks;
    uint32_t dir_bytes;
    uint32_t *dir_blocks; /* blocks holding the stream directory, read as needed */
    uint8_t *dir_loaded;  /* which entries of dir_blocks have been read */
    uint32_t *map_blocks; /* MSF 7.00: the blocks listing the directory's blocks */
    uint32_t num_streams;
} msf;

/* A stream located in the file: its size and its block list. */
typedef struct msf_stream {
    uint32_t size;
    uint32_t n_blocks;
    uint32_t *blocks;
} msf_stream;

static uint32_t blocks_for(const msf *m, uint32_t bytes)
{
    return (uint32_t)(((uint64_t)bytes + m->block_size - 1) / m->block_size);
}

/* Reads len bytes at off of a stream stitched from blocks. */
static sym_status read_blocks(msf *m, const uint32_t *blocks, uint32_t n_blocks, uint32_t size,
                              uint64_t off, void *buf, size_t len, const char *what, sym_error *err)
{
    if (off > size || len > size - off)
        return err_set(err, SYM_E_FORMAT,
                       "%s: %s: %zu bytes at offset %" PRIu64 " exceed its size %u", m->r->name,
                       what, len, off, size);
    uint8_t *out = buf;
    while (len > 0) {
        uint64_t bi = off / m->block_size;
        uint32_t in = (uint32_t)(off % m->block_size);
        if (bi >= n_blocks)
            return err_set(err, SYM_E_FORMAT, "%s: %s: block %" PRIu64 " is not listed", m->r->name,
                           what, bi);
        uint32_t block = blocks[bi];
        if (block == 0)
            return err_set(err, SYM_E_FORMAT, "%s: %s: lists block 0, the file header", m->r->name,
                           what);
        if (block >= m->num_blocks)
            return err_set(err, SYM_E_FORMAT,
                           "%s: %s: block number %u is beyond the file's %u blocks", m->r->name,
                           what, block, m->num_blocks);
        size_t n = m->block_size - in;
        if (n > len)
            n = len;
        /* Coalesce runs of consecutive blocks into one read. */
        while (n < len && bi + 1 < n_blocks && blocks[bi + 1] == blocks[bi] + 1) {
            bi++;
            n += m->block_size;
            if (n > len)
                n = len;
        }
        sym_status st = reader_read(m->r, (uint64_t)block * m->block_size + in, out, n, what, err);
        if (st != SYM_OK)
            return st;
        out += n;
        off += n;
        len -= n;
    }
    return SYM_OK;
}

/* Reads the numbers of directory blocks [first, last] that are not known yet: only the part
 * of a large directory that is used costs a read. */
static sym_status load_dir_blocks(msf *m, uint32_t first, uint32_t last, sym_error *err)
{
    uint32_t per_block = m->block_size / 4;
    for (uint32_t bi = first; bi <= last;) {
        if (m->dir_loaded[bi]) {
            bi++;
            continue;
        }
        /* A run of unknown entries within one map block: one read. */
        uint32_t run_end = bi;
        while (run_end < last && !m->dir_loaded[run_end + 1] &&
               (run_end + 1) / per_block == bi / per_block)
            run_end++;
        uint8_t tmp[4 * 1024];
        uint32_t n = run_end - bi + 1;
        if (n > sizeof tmp / 4)
            n = sizeof tmp / 4;
        uint64_t off = (uint64_t)m->map_blocks[bi / per_block] * m->block_size +
                       (uint64_t)(bi % per_block) * 4;
        sym_status st = reader_read(m->r, off, tmp, (size_t)n * 4, "directory block map", err);
        if (st != SYM_OK)
            return st;
        for (uint32_t k = 0; k < n; k++) {
            m->dir_blocks[bi + k] = le32(tmp + 4 * k);
            m->dir_loaded[bi + k] = 1;
        }
        bi += n;
    }
    return SYM_OK;
}

static sym_status dir_read(msf *m, uint64_t off, void *buf, size_t len, sym_error *err)
{
    if (!m->small && len > 0 && off < m->dir_bytes) {
        uint64_t end = off + len - 1 < m->dir_bytes ? off + len - 1 : m->dir_bytes - 1;
        sym_status st = load_dir_blocks(m, (uint32_t)(off / m->block_size),
                                        (uint32_t)(end / m->block_size), err);
        if (st != SYM_OK)
            return st;
    }
    return read_blocks(m, m->dir_blocks, blocks_for(m, m->dir_bytes), m->dir_bytes, off, buf, len,
                       "stream directory", err);
}

static sym_status read_superblock(msf *m, sym_format fmt, sym_error *err)
{
    uint8_t sb[64];
    reader *r = m->r;
    sym_status st;
    uint32_t dir_list_off; /* file offset of the list of directory blocks */
    if (fmt == SYM_FMT_PDB70) {
        st = reader_read(r, 0, sb, 56, "MSF superblock", err);
        if (st != SYM_OK)
            return st;
        m->block_size = le32(sb + 0x20);
        m->num_blocks = le32(sb + 0x28);
        m->dir_bytes = le32(sb + 0x2C);
        dir_list_off = 0; /* set below, once the block size is known to be sane */
    } else {
        st = reader_read(r, 0, sb, 0x3C, "PDB 2.00 header", err);
        if (st != SYM_OK)
            return st;
        if (memcmp(sb + 0x28, "JG\0\0", 4) != 0)
            return err_set(err, SYM_E_FORMAT, "%s: PDB 2.00 header without its JG signature",
                           r->name);
        m->small = true;
        m->block_size = le32(sb + 0x2C);
        /* total_alloc (0x32) is only 16 bits wide; the file itself bounds block numbers. */
        m->num_blocks =
            m->block_size ? (uint32_t)((r->size + m->block_size - 1) / m->block_size) : 0;
        m->dir_bytes = le32(sb + 0x34);
        dir_list_off = 0x3C;
    }
    uint32_t bs = m->block_size;
    if (bs < 512 || bs > 65536 || (bs & (bs - 1)) != 0)
        return err_set(err, SYM_E_FORMAT,
                       "%s: block size %u is not a power of two from 512 "
                       "to 65536",
                       r->name, bs);
    if (m->num_blocks == 0)
        return err_set(err, SYM_E_FORMAT, "%s: MSF with 0 blocks", r->name);
    uint64_t expect = (uint64_t)m->num_blocks * bs;
    if (!m->small && r->size < expect)
        return err_set(err, SYM_E_TRUNCATED,
                       "%s: truncated: %u blocks of %u bytes need %" PRIu64
                       " bytes, the file has %" PRIu64,
                       r->name, m->num_blocks, bs, expect, r->size);
    if (m->dir_bytes < 4)
        return err_set(err, SYM_E_FORMAT, "%s: stream directory of %u bytes", r->name,
                       m->dir_bytes);
    uint32_t n_dir_blocks = blocks_for(m, m->dir_bytes);
    if (n_dir_blocks > m->num_blocks)
        return err_set(err, SYM_E_FORMAT,
                       "%s: stream directory of %u bytes is larger than the file", r->name,
                       m->dir_bytes);
    m->dir_blocks = util_calloc(n_dir_blocks, sizeof *m->dir_blocks, err);
    if (!m->dir_blocks)
        return SYM_E_NOMEM;
    if (!m->small) {
        /* The list of directory blocks is itself stored in blocks; the superblock holds the
         * numbers of those blocks from 0x34 on (one, unless the directory is huge). Writers
         * that lay the list out consecutively leave only the first number set. */
        uint32_t per_block = bs / 4;
        uint32_t n_map = (n_dir_blocks + per_block - 1) / per_block;
        if (0x34 + 4 * (uint64_t)n_map > bs)
            return err_set(err, SYM_E_FORMAT,
                           "%s: stream directory of %u bytes needs more map blocks than the "
                           "superblock can list",
                           r->name, m->dir_bytes);
        m->map_blocks = util_calloc(n_map, sizeof *m->map_blocks, err);
        m->dir_loaded = util_calloc(n_dir_blocks, 1, err);
        uint8_t *nums = util_calloc(n_map, 4, err);
        if (!m->map_blocks || !m->dir_loaded || !nums) {
            free(nums);
            return SYM_E_NOMEM;
        }
        st = reader_read(r, 0x34, nums, (size_t)n_map * 4, "directory block map", err);
        for (uint32_t i = 0; st == SYM_OK && i < n_map; i++) {
            uint32_t map_block = le32(nums + 4 * i);
            if (i > 0 && (map_block == 0 || map_block >= m->num_blocks))
                map_block = m->map_blocks[i - 1] + 1;
            if (map_block == 0 || map_block >= m->num_blocks) {
                st = err_set(err, SYM_E_FORMAT,
                             "%s: directory block map at block %u is outside the file's %u "
                             "blocks",
                             r->name, map_block, m->num_blocks);
                break;
            }
            m->map_blocks[i] = map_block;
        }
        free(nums);
        return st;
    }
    uint8_t *tmp = util_calloc(n_dir_blocks, 2, err);
    if (!tmp)
        return SYM_E_NOMEM;
    st = reader_read(r, dir_list_off, tmp, (size_t)n_dir_blocks * 2, "directory block list", err);
    for (uint32_t i = 0; st == SYM_OK && i < n_dir_blocks; i++)
        m->dir_blocks[i] = le16(tmp + 2 * i);
    free(tmp);
    return st;
}

/* Locates stream `index`: reads the sizes of streams 0..index to find where its block list
 * starts, then that list. A nil or missing stream yields size 0 and no blocks. */
static sym_status locate_stream(msf *m, uint32_t index, msf_stream *s, sym_error *err)
{
    memset(s, 0, sizeof *s);
    if (index >= m->num_streams)
        return SYM_OK;
    uint32_t entry = m->small ? 8 : 4;
    uint32_t bnum = m->small ? 2 : 4;
    uint8_t sizes[8 * 8];
    sym_status st = dir_read(m, 4, sizes, (size_t)(index + 1) * entry, err);
    if (st != SYM_OK)
        return st;
    uint64_t list_off = 4 + (uint64_t)m->num_streams * entry;
    for (uint32_t i = 0; i < index; i++) {
        uint32_t sz = le32(sizes + i * entry);
        if (sz != NIL_STREAM)
            list_off += (uint64_t)blocks_for(m, sz) * bnum;
    }
    uint32_t size = le32(sizes + index * entry);
    if (size == NIL_STREAM || size == 0)
        return SYM_OK;
    s->size = size;
    s->n_blocks = blocks_for(m, size);
    if (s->n_blocks > m->num_blocks && !m->small)
        return err_set(err, SYM_E_FORMAT, "%s: stream %u of %u bytes is larger than the file",
                       m->r->name, index, size);
    s->blocks = util_calloc(s->n_blocks, sizeof *s->blocks, err);
    uint8_t *tmp = util_calloc(s->n_blocks, bnum, err);
    if (!s->blocks || !tmp) {
        free(tmp);
        return SYM_E_NOMEM;
    }
    st = dir_read(m, list_off, tmp, (size_t)s->n_blocks * bnum, err);
    for (uint32_t i = 0; st == SYM_OK && i < s->n_blocks; i++)
        s->blocks[i] = m->small ? le16(tmp + 2 * i) : le32(tmp + 4 * i);
    free(tmp);
    return st;
}

static sym_status stream_read(msf *m, const msf_stream *s, uint64_t off, void *buf, size_t len,
                              const char *what, sym_error *err)
{
    return read_blocks(m, s->blocks, s->n_blocks, s->size, off, buf, len, what, err);
}

/* Walks module-info records until both private symbols and lines are seen (or the substream
 * ends). Layout depends on the DBI version: VC 7.0+ (and VC6 "EX" records) are 64 bytes
 * before the names, older ones 48. */
static sym_status scan_modules(msf *m, const msf_stream *dbi, uint32_t dbi_version,
                               uint32_t modi_size, sym_pdb_info *pdb, sym_error *err)
{
    bool ex = dbi_version >= 19970000u;
    uint32_t fixed = ex ? 64 : 48;
    uint32_t stream_off = ex ? 34 : 26, sym_off = ex ? 36 : 28;
    uint32_t c11_off = ex ? 40 : 32, c13_off = ex ? 44 : 36;
    if (modi_size > dbi->size - DBI_HEADER_SIZE)
        modi_size = dbi->size - DBI_HEADER_SIZE;
    uint8_t *chunk = util_calloc(MODI_CHUNK, 1, err);
    if (!chunk)
        return SYM_E_NOMEM;
    uint32_t pos = 0;
    sym_status st = SYM_OK;
    while (pos + fixed <= modi_size && !(pdb->private_symbols && pdb->lines)) {
        uint32_t len = modi_size - pos > MODI_CHUNK ? MODI_CHUNK : modi_size - pos;
        st = stream_read(m, dbi, DBI_HEADER_SIZE + (uint64_t)pos, chunk, len, "module info", err);
        if (st != SYM_OK)
            break;
        uint32_t p = 0;
        while (p + fixed <= len) {
            /* The two names follow the fixed part; a record must end inside this chunk. */
            const uint8_t *rec = chunk + p;
            const uint8_t *n1 = memchr(rec + fixed, 0, len - p - fixed);
            const uint8_t *n2 = n1 ? memchr(n1 + 1, 0, chunk + len - n1 - 1) : NULL;
            if (!n2)
                break;
            uint16_t sym_stream = le16(rec + stream_off);
            uint32_t sym_bytes = le32(rec + sym_off);
            uint32_t c11 = le32(rec + c11_off), c13 = le32(rec + c13_off);
            bool has_stream = sym_stream != 0xFFFF && sym_stream < m->num_streams;
            if (has_stream && sym_bytes > 4)
                pdb->private_symbols = true;
            if (has_stream && (c11 > 0 || c13 > 0))
                pdb->lines = true;
            uint32_t rec_len = (uint32_t)(n2 + 1 - rec);
            p += (rec_len + 3u) & ~3u;
        }
        if (p == 0) {
            /* One record larger than a chunk, or a record without its names. */
            if (len < MODI_CHUNK)
                break;
            st = err_set(err, SYM_E_FORMAT, "%s: module info record over %d bytes", m->r->name,
                         MODI_CHUNK);
            break;
        }
        pos += p;
    }
    free(chunk);
    return st;
}

sym_status pdb_read(reader *r, sym_format fmt, sym_pdb_info *pdb, sym_error *err)
{
    memset(pdb, 0, sizeof *pdb);
    msf m = {.r = r};
    msf_stream info = {0}, dbi = {0};
    sym_status st = read_superblock(&m, fmt, err);
    if (st != SYM_OK)
        goto out;
    pdb->block_size = m.block_size;
    pdb->num_blocks = m.num_blocks;
    uint8_t nbuf[4];
    st = dir_read(&m, 0, nbuf, 4, err);
    if (st != SYM_OK)
        goto out;
    m.num_streams = le32(nbuf);
    uint32_t entry = m.small ? 8 : 4;
    if ((uint64_t)m.num_streams * entry + 4 > m.dir_bytes) {
        st = err_set(err, SYM_E_FORMAT,
                     "%s: stream directory lists %u streams but has only %u bytes", r->name,
                     m.num_streams, m.dir_bytes);
        goto out;
    }
    pdb->num_streams = m.num_streams;
    st = locate_stream(&m, STREAM_INFO, &info, err);
    if (st != SYM_OK)
        goto out;
    uint8_t ib[28];
    size_t info_need = fmt == SYM_FMT_PDB70 ? 28 : 12;
    if (info.size < info_need) {
        st = err_set(err, SYM_E_FORMAT, "%s: PDB info stream of %u bytes is too short", r->name,
                     info.size);
        goto out;
    }
    st = stream_read(&m, &info, 0, ib, info_need, "PDB info stream", err);
    if (st != SYM_OK)
        goto out;
    pdb->info_version = le32(ib);
    pdb->info_signature = le32(ib + 4);
    pdb->info_age = le32(ib + 8);
    if (fmt == SYM_FMT_PDB70) {
        pdb->id.kind = SYM_ID_PDB70;
        pdb->id.guid.data1 = le32(ib + 12);
        pdb->id.guid.data2 = le16(ib + 16);
        pdb->id.guid.data3 = le16(ib + 18);
        memcpy(pdb->id.guid.data4, ib + 20, 8);
    } else {
        pdb->id.kind = SYM_ID_PDB20;
        pdb->id.signature = pdb->info_signature;
    }
    pdb->id.age = pdb->info_age;

    st = locate_stream(&m, STREAM_DBI, &dbi, err);
    if (st != SYM_OK)
        goto out;
    if (dbi.size >= DBI_HEADER_SIZE) {
        uint8_t h[DBI_HEADER_SIZE];
        st = stream_read(&m, &dbi, 0, h, sizeof h, "DBI stream header", err);
        if (st != SYM_OK)
            goto out;
        if (le32(h) == 0xFFFFFFFFu) {
            /* New-format DBI header (VC 4.1 and later): it carries the age that images
             * record and that keys use. */
            pdb->has_dbi = true;
            pdb->dbi_version = le32(h + 4);
            pdb->dbi_age = le32(h + 8);
            pdb->dbi_flags = le16(h + 56);
            pdb->dbi_machine = le16(h + 58);
            pdb->stripped = (pdb->dbi_flags & DBI_FLAG_STRIPPED) != 0;
            pdb->id.age = pdb->dbi_age;
            st = scan_modules(&m, &dbi, pdb->dbi_version, le32(h + 24), pdb, err);
            if (st != SYM_OK)
                goto out;
            if (pdb->stripped)
                pdb->private_symbols = pdb->lines = false;
        }
    }
out:
    free(m.dir_blocks);
    free(m.dir_loaded);
    free(m.map_blocks);
    free(info.blocks);
    free(dbi.blocks);
    return st;
}
