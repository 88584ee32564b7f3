/* The format readers behind sym_file_inspect(); each fills one member of sym_file_info. */
#ifndef SYMSCOPE_FORMATS_H
#define SYMSCOPE_FORMATS_H

#include "formats/reader.h"
#include "symscope/fileinfo.h"

/* Limits on what the readers keep, so hostile counts cannot make them allocate or loop
 * without bound. */
#define FMT_MAX_DEBUG_ENTRIES 256
#define FMT_MAX_CV_RECORD 4096
#define FMT_MAX_EXPORT_NAMES 65536
#define FMT_MAX_NAME 1024
#define FMT_MAX_DUMP_MODULES 65536

/* CodeView record in buf[0..len): RSDS, NB10, NB09/NB11 or BpEL. */
sym_status codeview_parse(const uint8_t *buf, size_t len, sym_codeview *cv, const char *name,
                          sym_error *err);
void codeview_clear(sym_codeview *cv);

/* n IMAGE_DEBUG_DIRECTORY entries (28 bytes each) at file offset off, as PE images and .dbg
 * files both have them. */
sym_status pe_debug_dir_read(reader *r, uint64_t off, uint32_t n, sym_debug_entry **out,
                             sym_error *err);

/* Each reader assumes its magic was checked by the caller, and checks everything else. */
sym_status pe_read(reader *r, sym_pe_info *pe, sym_error *err);
void pe_clear(sym_pe_info *pe);

sym_status pdb_read(reader *r, sym_format fmt, sym_pdb_info *pdb, sym_error *err);

sym_status dbg_read(reader *r, sym_dbg_info *dbg, sym_error *err);
void dbg_clear(sym_dbg_info *dbg);

sym_status minidump_read(reader *r, sym_minidump_info *dump, sym_error *err);
void minidump_clear(sym_minidump_info *dump);

/* Reads a CAB member like any file (the caller's reader, so that cab.c does not call back up
 * into fileinfo.c). */
typedef sym_status (*cab_inspect_fn)(reader *r, const char *name, sym_file_info **out,
                                     sym_error *err);
/* Lists the CAB and, when inspect is given, reads the first member's identity with it. */
sym_status cab_read(reader *r, sym_cab_info *cab, cab_inspect_fn inspect, sym_error *err);
void cab_clear(sym_cab_info *cab);
/* Extracts member `index` of the CAB behind r to fd (at most r->max_member bytes). */
sym_status cab_extract_reader(reader *r, size_t index, int fd, sym_error *err);

sym_status portable_pdb_read(reader *r, sym_portable_pdb_info *pp, sym_error *err);

/* Sniffs the format from the first bytes. */
sym_format fileinfo_sniff(const uint8_t *head, size_t len);

/* Reads the file behind r; used by sym_file_inspect and, for CAB members, recursively. */
sym_status fileinfo_inspect_reader(reader *r, const char *path, int depth, sym_file_info **out,
                                   sym_error *err);

#endif
