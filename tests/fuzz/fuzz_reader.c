/* libFuzzer target for one format reader, chosen at build time (FUZZ_PE, FUZZ_PDB, FUZZ_DBG,
 * FUZZ_MINIDUMP, FUZZ_CAB). The reader gets the bytes directly, past the format sniffing, so
 * every input exercises its bounds checks. */
#include <stddef.h>
#include <stdint.h>

#include "formats/formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#if defined(FUZZ_CAB)
/* The first member read like any file, as sym_file_inspect does it. */
static sym_status inspect_member(reader *r, const char *name, sym_file_info **out, sym_error *err)
{
    return fileinfo_inspect_reader(r, name, 1, out, err);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r;
    sym_error err;
    reader_init_mem(&r, data, size, "fuzz-input");
#if defined(FUZZ_PE)
    sym_pe_info pe;
    pe_read(&r, &pe, &err);
    pe_clear(&pe);
#elif defined(FUZZ_PDB)
    sym_pdb_info pdb;
    pdb_read(&r, size > 0 && (data[0] & 1) ? SYM_FMT_PDB20 : SYM_FMT_PDB70, &pdb, &err);
#elif defined(FUZZ_DBG)
    sym_dbg_info dbg;
    dbg_read(&r, &dbg, &err);
    dbg_clear(&dbg);
#elif defined(FUZZ_MINIDUMP)
    sym_minidump_info dump;
    minidump_read(&r, &dump, &err);
    minidump_clear(&dump);
#elif defined(FUZZ_CAB)
    sym_cab_info cab;
    cab_read(&r, &cab, inspect_member, &err);
    sym_file_info_free(cab.member);
    cab_clear(&cab);
#else
#error "choose a reader"
#endif
    /* The whole pipeline too, as sym_file_inspect_memory sees it. */
    sym_file_info *info = NULL;
    if (sym_file_inspect_memory(data, size, "fuzz-input", &info, &err) == SYM_OK)
        sym_file_info_free(info);
    return 0;
}
