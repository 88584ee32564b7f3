/* Identities of symbol files and images, and the store keys they are filed under. */
#ifndef SYMSCOPE_IDENTITY_H
#define SYMSCOPE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sym_guid {
    uint32_t data1;
    uint16_t data2;
    uint16_t data3;
    uint8_t data4[8];
} sym_guid;

typedef enum sym_id_kind {
    SYM_ID_NONE = 0,
    SYM_ID_PDB70,        /* GUID + age (the DBI stream's age) */
    SYM_ID_PDB20,        /* NB10 / JG signature + age */
    SYM_ID_IMAGE,        /* PE image: TimeDateStamp + SizeOfImage */
    SYM_ID_DBG,          /* .dbg: its own header's TimeDateStamp + SizeOfImage */
    SYM_ID_PORTABLE_PDB, /* portable PDB: GUID + stamp */
} sym_id_kind;

typedef struct sym_identity {
    sym_id_kind kind;
    sym_guid guid;      /* PDB70, portable PDB */
    uint32_t signature; /* PDB20 signature; portable PDB stamp */
    uint32_t age;       /* PDB70, PDB20 */
    uint32_t timestamp; /* image, dbg */
    uint32_t size;      /* image, dbg: SizeOfImage */
} sym_identity;

/* Longest key is a GUID (32) + a 32-bit age (8) + NUL. */
#define SYM_KEY_MAX 48
/* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" without braces, plus NUL. */
#define SYM_GUID_TEXT_MAX 37

/* "3249D99D-0C40-4931-8610-F4E4FB0B6936" */
SYM_API void sym_guid_format(const sym_guid *guid, char out[SYM_GUID_TEXT_MAX]);
/* Parses the dashed form, with or without braces; returns false if it is not one. */
SYM_API bool sym_guid_parse(const char *text, sym_guid *out);
SYM_API bool sym_guid_is_zero(const sym_guid *guid);

/* The SymSrv store key: "3249D99D0C4049318610F4E4FB0B69361", "5AD474B71", "5AB380779000".
 * Returns the length, or 0 for SYM_ID_NONE. */
SYM_API size_t sym_identity_key(const sym_identity *id, char out[SYM_KEY_MAX]);

/* Parses a key back into an identity of the given kind (the kind says how to read it). */
SYM_API bool sym_identity_parse_key(sym_id_kind kind, const char *key, sym_identity *out);

/* Same file identity (GUID+age, signature+age, or timestamp+size). */
SYM_API bool sym_identity_equal(const sym_identity *a, const sym_identity *b);

SYM_API const char *sym_id_kind_name(sym_id_kind kind);

/* The bare file name of a path written with either '\' or '/' separators (and drive letters):
 * "C:\\a\\b\\crash.pdb" -> "crash.pdb". Returns a pointer into path. */
SYM_API const char *sym_path_basename(const char *path);

/* The SSQP client key (lower-case file names; see semantics.md 2.6), e.g.
 * "crash.pdb/3249d99d0c4049318610f4e4fb0b69361/crash.pdb". Returns bytes written (excluding
 * NUL) or 0 if it did not fit. */
SYM_API size_t sym_ssqp_key(const char *file, const sym_identity *id, char *out, size_t out_size);

/* The one-tier store path "<file>/<key>/<file>". Returns bytes written or 0 if it did not fit. */
SYM_API size_t sym_store_relpath(const char *file, const sym_identity *id, char *out,
                                 size_t out_size);

#ifdef __cplusplus
}
#endif

#endif
