/* What a file on disk is: the readers' results (PE, PDB, DBG, minidump, CAB).
 *
 * sym_file_inspect() reads only what identity needs: headers, the debug directory, the MSF
 * stream directory and the PDB info and DBI streams. Results are plain read-only data owned by
 * the sym_file_info handle and freed with it. */
#ifndef SYMSCOPE_FILEINFO_H
#define SYMSCOPE_FILEINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "identity.h"

#include "api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sym_format {
    SYM_FMT_UNKNOWN = 0,
    SYM_FMT_PE,
    SYM_FMT_PDB70,
    SYM_FMT_PDB20,
    SYM_FMT_DBG,
    SYM_FMT_MINIDUMP,
    SYM_FMT_CAB,
    SYM_FMT_PORTABLE_PDB,
} sym_format;

/* "pe", "pdb70", "pdb20", "dbg", "minidump", "cab", "portable-pdb", "unknown" */
SYM_API const char *sym_format_name(sym_format fmt);
/* "x86", "x64", "arm64", "arm", "ia64", ... or NULL when unknown. */
SYM_API const char *sym_machine_name(uint16_t machine);

/* A CodeView record: RSDS (PDB 7.00), NB10 (PDB 2.00), NB09/NB11 (embedded, no PDB), or
 * Breakpad's BpEL (ELF build id, read as a GUID with age 0). */
typedef struct sym_codeview {
    char format[5];  /* "RSDS", "NB10", "NB09", "NB11", "BpEL" */
    sym_identity id; /* SYM_ID_PDB70 or SYM_ID_PDB20; SYM_ID_NONE for embedded CodeView */
    char *path;      /* PDB path as recorded (may be empty), never NULL */
} sym_codeview;

typedef struct sym_debug_entry {
    uint32_t type; /* IMAGE_DEBUG_TYPE_* */
    uint32_t timestamp;
    uint32_t size_of_data;
    uint32_t address_of_raw_data;
    uint32_t pointer_to_raw_data;
    uint16_t major_version;
    uint16_t minor_version;
} sym_debug_entry;

/* "codeview", "misc", "repro", ... for IMAGE_DEBUG_TYPE_* values, or NULL. */
SYM_API const char *sym_debug_type_name(uint32_t type);

typedef struct sym_pe_info {
    bool pe32plus;
    uint16_t machine;
    uint16_t characteristics;
    bool debug_stripped; /* IMAGE_FILE_DEBUG_STRIPPED */
    uint32_t timestamp;
    uint32_t size_of_image;
    uint32_t checksum;
    uint64_t image_base;
    sym_identity id; /* SYM_ID_IMAGE */

    size_t n_debug;
    sym_debug_entry *debug;
    bool has_codeview;
    sym_codeview codeview;
    bool portable_pdb; /* the CodeView record names a portable PDB (MinorVersion 0x504D) */
    char *misc_name;   /* IMAGE_DEBUG_MISC_EXENAME: the .dbg name; NULL when absent */
    bool has_repro;    /* the timestamp is a hash (IMAGE_DEBUG_TYPE_REPRO) */

    bool has_exports;
    char *export_name; /* the DLL name in the export directory, NULL when absent */
    uint32_t n_export_functions;
    size_t n_exports; /* named exports read (see exports_truncated) */
    char **exports;
    bool exports_truncated; /* more names than the reader keeps */
} sym_pe_info;

typedef struct sym_pdb_info {
    sym_identity id; /* PDB70 GUID + DBI age, or PDB20 signature + age */
    uint32_t block_size;
    uint32_t num_blocks;
    uint32_t num_streams;
    uint32_t info_version;   /* PDB info stream version (20000404 = VC70) */
    uint32_t info_signature; /* time stamp in the info stream */
    uint32_t info_age;
    bool has_dbi;
    uint32_t dbi_version;
    uint32_t dbi_age;
    uint16_t dbi_machine;
    uint16_t dbi_flags;
    bool stripped;        /* DBI flag: private symbols stripped */
    bool private_symbols; /* some module has its own symbol stream */
    bool lines;           /* some module has line information */
} sym_pdb_info;

typedef struct sym_dbg_info {
    uint16_t flags;
    uint16_t machine;
    uint16_t characteristics;
    uint32_t timestamp;
    uint32_t checksum;
    uint32_t image_base;
    uint32_t size_of_image;
    uint32_t n_sections;
    sym_identity id; /* SYM_ID_DBG */
    size_t n_debug;
    sym_debug_entry *debug;
    bool has_codeview;
    sym_codeview codeview; /* NB09 inside most .dbg files; NB10/RSDS when it names a PDB */
} sym_dbg_info;

typedef struct sym_dump_module {
    char *name; /* the image path as recorded (UTF-8) */
    uint64_t base;
    uint32_t size;
    uint32_t checksum;
    uint32_t timestamp;
    sym_identity image_id; /* SYM_ID_IMAGE */
    bool has_codeview;
    sym_codeview codeview;
    char *misc_name; /* .dbg name from the MiscRecord; NULL when absent */
} sym_dump_module;

typedef struct sym_dump_unloaded {
    char *name;
    uint64_t base;
    uint32_t size;
    uint32_t checksum;
    uint32_t timestamp;
    sym_identity image_id;
} sym_dump_unloaded;

typedef struct sym_minidump_info {
    uint32_t version;
    uint32_t timestamp;
    uint64_t flags;
    bool has_system_info;
    uint16_t processor_architecture; /* PROCESSOR_ARCHITECTURE_* */
    uint32_t os_major, os_minor, os_build;
    uint32_t platform_id;
    size_t n_modules;
    sym_dump_module *modules;
    size_t n_unloaded;
    sym_dump_unloaded *unloaded;
} sym_minidump_info;

/* "x86", "x64", "arm", "arm64", ... for PROCESSOR_ARCHITECTURE_* values, or NULL. */
SYM_API const char *sym_processor_name(uint16_t arch);

typedef struct sym_cab_member {
    char *name;
    uint32_t size;
    uint32_t offset; /* uncompressed offset in its folder */
    int compression; /* 0 none, 1 MSZIP, 2 Quantum, 3 LZX */
} sym_cab_member;

struct sym_file_info;

typedef struct sym_cab_info {
    size_t n_members;
    sym_cab_member *members;
    /* The first member, read like any file (a .pd_ holds one PDB); NULL when the CAB is
     * empty. member_error says why it could not be read. */
    struct sym_file_info *member;
    sym_error member_error;
    /* The member could not even be decompressed (a truncated or corrupt CAB, or a member
     * larger than allowed), as opposed to decompressed and found not to be a symbol file. */
    bool member_unextracted;
} sym_cab_info;

/* "none", "MSZIP", "Quantum", "LZX" */
SYM_API const char *sym_cab_compression_name(int compression);

typedef struct sym_portable_pdb_info {
    sym_identity id; /* SYM_ID_PORTABLE_PDB: GUID + stamp from the #Pdb stream */
    char *version;   /* metadata version string, e.g. "PDB v1.0" */
} sym_portable_pdb_info;

/* Filled by the library: version says which layout of this struct it filled (fields are only
 * ever added at the end of a version's). */
#define SYM_FILE_INFO_VERSION 1

typedef struct sym_file_info {
    unsigned int version; /* SYM_FILE_INFO_VERSION of the library that filled it */
    char *path;           /* as given */
    sym_format format;
    uint64_t file_size;
    uint64_t bytes_read; /* how much of the file the readers read */
    union {
        sym_pe_info pe;
        sym_pdb_info pdb;
        sym_dbg_info dbg;
        sym_minidump_info dump;
        sym_cab_info cab;
        sym_portable_pdb_info portable;
    } u;
} sym_file_info;

/* Reads the identity of the file at path. On failure returns the status, fills err with a
 * message naming the file, and sets *out to NULL. */
SYM_API sym_status sym_file_inspect(const char *path, sym_file_info **out, sym_error *err);

/* A CAB's member is decompressed only when it declares at most this many bytes (the default
 * of the HTTP max_size), and only up to it. */
#define SYM_MEMBER_MAX_DEFAULT (4ull << 30)

/* sym_file_inspect, with the largest CAB member it will decompress (0: the default). The
 * member streams into an unnamed file on disk, after its declared size was checked against
 * max_member and the free space there. */
SYM_API sym_status sym_file_inspect_bounded(const char *path, uint64_t max_member,
                                            sym_file_info **out, sym_error *err);

/* The same for bytes in memory; name is used in messages. The data must outlive the call only. */
SYM_API sym_status sym_file_inspect_memory(const void *data, size_t size, const char *name,
                                           sym_file_info **out, sym_error *err);

SYM_API void sym_file_info_free(sym_file_info *info);

/* The identity the file itself is filed under in a store (PE: image, PDB: pdb, .dbg: dbg,
 * CAB: its member's). SYM_ID_NONE when it has none. */
SYM_API sym_identity sym_file_identity(const sym_file_info *info);

/* Extracts CAB member `index` of the file at cab_path to the open file descriptor fd
 * (written from its current position). */
SYM_API sym_status sym_cab_extract(const char *cab_path, size_t index, int fd, sym_error *err);
/* The same, refusing a member that declares more than max_bytes (checked before anything is
 * written) or more than the free space behind fd. */
SYM_API sym_status sym_cab_extract_bounded(const char *cab_path, size_t index, int fd,
                                           uint64_t max_bytes, sym_error *err);

#ifdef __cplusplus
}
#endif

#endif
