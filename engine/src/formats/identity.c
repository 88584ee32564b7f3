/* Identities and the keys SymSrv files them under (decisions.md section 2). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/internal.h"
#include "symscope/identity.h"

void sym_guid_format(const sym_guid *g, char out[SYM_GUID_TEXT_MAX])
{
    snprintf(out, SYM_GUID_TEXT_MAX, "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
             (unsigned)g->data1, (unsigned)g->data2, (unsigned)g->data3, g->data4[0], g->data4[1],
             g->data4[2], g->data4[3], g->data4[4], g->data4[5], g->data4[6], g->data4[7]);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads n hex digits into *v; false on a non-digit. */
static bool read_hex(const char *s, size_t n, uint64_t *v)
{
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        int d = hexval((unsigned char)s[i]);
        if (d < 0)
            return false;
        x = (x << 4) | (uint64_t)d;
    }
    *v = x;
    return true;
}

bool sym_guid_parse(const char *text, sym_guid *out)
{
    size_t len = strlen(text);
    if (len == 38 && text[0] == '{' && text[37] == '}') {
        text++;
        len = 36;
    }
    if (len != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')
        return false;
    uint64_t v;
    if (!read_hex(text, 8, &v))
        return false;
    out->data1 = (uint32_t)v;
    if (!read_hex(text + 9, 4, &v))
        return false;
    out->data2 = (uint16_t)v;
    if (!read_hex(text + 14, 4, &v))
        return false;
    out->data3 = (uint16_t)v;
    static const size_t pos[8] = {19, 21, 24, 26, 28, 30, 32, 34};
    for (int i = 0; i < 8; i++) {
        if (!read_hex(text + pos[i], 2, &v))
            return false;
        out->data4[i] = (uint8_t)v;
    }
    return true;
}

bool sym_guid_is_zero(const sym_guid *g)
{
    static const sym_guid zero;
    return memcmp(g, &zero, sizeof zero) == 0;
}

static size_t guid_key(const sym_guid *g, char *out, size_t n)
{
    int w = snprintf(out, n, "%08X%04X%04X%02X%02X%02X%02X%02X%02X%02X%02X", (unsigned)g->data1,
                     (unsigned)g->data2, (unsigned)g->data3, g->data4[0], g->data4[1], g->data4[2],
                     g->data4[3], g->data4[4], g->data4[5], g->data4[6], g->data4[7]);
    return w < 0 ? 0 : (size_t)w;
}

size_t sym_identity_key(const sym_identity *id, char out[SYM_KEY_MAX])
{
    int w = 0;
    size_t g;
    switch (id->kind) {
    case SYM_ID_PDB70:
        g = guid_key(&id->guid, out, SYM_KEY_MAX);
        w = snprintf(out + g, SYM_KEY_MAX - g, "%x", (unsigned)id->age);
        return w < 0 ? 0 : g + (size_t)w;
    case SYM_ID_PORTABLE_PDB:
        g = guid_key(&id->guid, out, SYM_KEY_MAX);
        w = snprintf(out + g, SYM_KEY_MAX - g, "FFFFFFFF");
        return w < 0 ? 0 : g + (size_t)w;
    case SYM_ID_PDB20:
        w = snprintf(out, SYM_KEY_MAX, "%08X%x", (unsigned)id->signature, (unsigned)id->age);
        break;
    case SYM_ID_IMAGE:
    case SYM_ID_DBG:
        w = snprintf(out, SYM_KEY_MAX, "%08X%x", (unsigned)id->timestamp, (unsigned)id->size);
        break;
    case SYM_ID_NONE:
    default:
        out[0] = '\0';
        return 0;
    }
    return w < 0 ? 0 : (size_t)w;
}

bool sym_identity_parse_key(sym_id_kind kind, const char *key, sym_identity *out)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    size_t len = strlen(key);
    uint64_t v;
    switch (kind) {
    case SYM_ID_PDB70:
    case SYM_ID_PORTABLE_PDB:
        if (len < 33 || len > 40 || !read_hex(key, 8, &v))
            return false;
        out->guid.data1 = (uint32_t)v;
        if (!read_hex(key + 8, 4, &v))
            return false;
        out->guid.data2 = (uint16_t)v;
        if (!read_hex(key + 12, 4, &v))
            return false;
        out->guid.data3 = (uint16_t)v;
        for (int i = 0; i < 8; i++) {
            if (!read_hex(key + 16 + 2 * i, 2, &v))
                return false;
            out->guid.data4[i] = (uint8_t)v;
        }
        if (!read_hex(key + 32, len - 32, &v) || v > UINT32_MAX)
            return false;
        if (kind == SYM_ID_PORTABLE_PDB)
            out->signature = (uint32_t)v;
        else
            out->age = (uint32_t)v;
        return true;
    case SYM_ID_PDB20:
    case SYM_ID_IMAGE:
    case SYM_ID_DBG: {
        if (len < 9 || len > 16 || !read_hex(key, 8, &v))
            return false;
        uint32_t first = (uint32_t)v;
        if (!read_hex(key + 8, len - 8, &v) || v > UINT32_MAX)
            return false;
        if (kind == SYM_ID_PDB20) {
            out->signature = first;
            out->age = (uint32_t)v;
        } else {
            out->timestamp = first;
            out->size = (uint32_t)v;
        }
        return true;
    }
    case SYM_ID_NONE:
    default:
        return false;
    }
}

bool sym_identity_equal(const sym_identity *a, const sym_identity *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case SYM_ID_PDB70:
        return memcmp(&a->guid, &b->guid, sizeof a->guid) == 0 && a->age == b->age;
    case SYM_ID_PORTABLE_PDB:
        return memcmp(&a->guid, &b->guid, sizeof a->guid) == 0 && a->signature == b->signature;
    case SYM_ID_PDB20:
        return a->signature == b->signature && a->age == b->age;
    case SYM_ID_IMAGE:
    case SYM_ID_DBG:
        return a->timestamp == b->timestamp && a->size == b->size;
    case SYM_ID_NONE:
    default:
        return false;
    }
}

const char *sym_id_kind_name(sym_id_kind kind)
{
    switch (kind) {
    case SYM_ID_PDB70:
        return "pdb70";
    case SYM_ID_PDB20:
        return "pdb20";
    case SYM_ID_IMAGE:
        return "image";
    case SYM_ID_DBG:
        return "dbg";
    case SYM_ID_PORTABLE_PDB:
        return "portable-pdb";
    case SYM_ID_NONE:
    default:
        return "none";
    }
}

const char *sym_path_basename(const char *path)
{
    const char *base = path;
    for (const char *p = path; *p; p++)
        if (*p == '\\' || *p == '/' || (*p == ':' && p == path + 1))
            base = p + 1;
    return base;
}

size_t sym_store_relpath(const char *file, const sym_identity *id, char *out, size_t out_size)
{
    char key[SYM_KEY_MAX];
    if (!sym_identity_key(id, key))
        return 0;
    int w = snprintf(out, out_size, "%s/%s/%s", file, key, file);
    if (w < 0 || (size_t)w >= out_size)
        return 0;
    return (size_t)w;
}

size_t sym_ssqp_key(const char *file, const sym_identity *id, char *out, size_t out_size)
{
    char key[SYM_KEY_MAX];
    if (!sym_identity_key(id, key))
        return 0;
    /* SSQP lower-cases file names and GUID-based keys; the PE key keeps its upper-case
     * timestamp (see the SSQP key conventions' own example, foo.exe/542D574Ec2000/foo.exe). */
    if (id->kind == SYM_ID_PDB70 || id->kind == SYM_ID_PORTABLE_PDB || id->kind == SYM_ID_PDB20)
        for (char *k = key; *k; k++)
            *k = (char)tolower((unsigned char)*k);
    if (id->kind == SYM_ID_PORTABLE_PDB)
        memcpy(key + 32, "FFFFFFFF", 8);
    int w = snprintf(out, out_size, "%s/%s/%s", file, key, file);
    if (w < 0 || (size_t)w >= out_size)
        return 0;
    size_t flen = strlen(file);
    for (size_t i = 0; i < flen; i++) {
        out[i] = (char)tolower((unsigned char)out[i]);
        out[(size_t)w - flen + i] = (char)tolower((unsigned char)out[(size_t)w - flen + i]);
    }
    return (size_t)w;
}
