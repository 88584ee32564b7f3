/* The format readers on crafted, truncated and corrupted input: every bad file is a clear
 * error naming the input, never a crash (this suite also runs under ASan and UBSan). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/formats.h"
#include "symscope/symscope.h"
#include "test_util.h"

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static const uint8_t test_guid[16] = {0x9D, 0xD9, 0x49, 0x32, 0x40, 0x0C, 0x31, 0x49,
                                      0x86, 0x10, 0xF4, 0xE4, 0xFB, 0x0B, 0x69, 0x36};

/* Writes an RSDS record for test_guid, age 1, path "C:\build\test.pdb"; returns its size. */
static size_t put_rsds(uint8_t *p)
{
    static const char path[] = "C:\\build\\test.pdb";
    memcpy(p, "RSDS", 4);
    memcpy(p + 4, test_guid, 16);
    put32(p + 20, 1);
    memcpy(p + 24, path, sizeof path);
    return 24 + sizeof path;
}

/* A minimal PE32+ image: one section holding the debug directory and a CodeView record. */
enum {
    PE_SIZE = 0x400,
    PE_DEBUG_DIR = 0x200,
    PE_CV = 0x21C,
    PE_NSEC_OFF = 0x46,
    PE_DEBUG_SIZE_OFF = 0x58 + 160 + 4
};
static size_t pe_cv_size;

static uint8_t *make_pe(void)
{
    uint8_t *f = calloc(1, PE_SIZE);
    assert_non_null(f);
    f[0] = 'M';
    f[1] = 'Z';
    put32(f + 0x3C, 0x40);
    memcpy(f + 0x40, "PE\0\0", 4);
    uint8_t *coff = f + 0x44;
    put16(coff, 0x8664);
    put16(coff + 2, 1);
    put32(coff + 4, 0x11223344);
    put16(coff + 16, 240);
    put16(coff + 18, 0x22);
    uint8_t *opt = f + 0x58;
    put16(opt, 0x20B);
    put32(opt + 56, 0x3000);
    put32(opt + 60, 0x200);
    put32(opt + 108, 16);
    put32(opt + 112 + 6 * 8, 0x1000);
    put32(opt + 112 + 6 * 8 + 4, 28);
    uint8_t *sec = f + 0x58 + 240;
    memcpy(sec, ".rdata", 6);
    put32(sec + 8, 0x100);
    put32(sec + 12, 0x1000);
    put32(sec + 16, 0x200);
    put32(sec + 20, 0x200);
    pe_cv_size = put_rsds(f + PE_CV);
    uint8_t *d = f + PE_DEBUG_DIR;
    put32(d + 12, 2);
    put32(d + 16, (uint32_t)pe_cv_size);
    put32(d + 20, 0x1000 + (PE_CV - PE_DEBUG_DIR));
    put32(d + 24, PE_CV);
    return f;
}

static sym_status inspect_mem(const uint8_t *data, size_t size, sym_file_info **info,
                              sym_error *err)
{
    sym_status st = sym_file_inspect_memory(data, size, "mem.bin", info, err);
    if (st != SYM_OK) {
        assert_null(*info);
        /* Every message names the input. */
        assert_memory_equal(err->message, "mem.bin", 7);
    }
    return st;
}

static void test_pe_crafted(void **state)
{
    uint8_t *f = make_pe();
    sym_file_info *info;
    sym_error err;
    assert_int_equal(inspect_mem(f, PE_SIZE, &info, &err), SYM_OK);
    assert_int_equal(info->version, SYM_FILE_INFO_VERSION);
    assert_int_equal(info->format, SYM_FMT_PE);
    const sym_pe_info *pe = &info->u.pe;
    assert_true(pe->pe32plus);
    assert_int_equal(pe->machine, 0x8664);
    assert_int_equal(pe->timestamp, 0x11223344);
    assert_int_equal(pe->size_of_image, 0x3000);
    assert_true(pe->has_codeview);
    assert_string_equal(pe->codeview.format, "RSDS");
    assert_string_equal(pe->codeview.path, "C:\\build\\test.pdb");
    char key[SYM_KEY_MAX];
    sym_identity_key(&pe->codeview.id, key);
    assert_string_equal(key, "3249D99D0C4049318610F4E4FB0B69361");
    sym_identity_key(&pe->id, key);
    assert_string_equal(key, "112233443000");
    /* It read the headers and the debug data, not the whole file. */
    assert_true(info->bytes_read < PE_SIZE);
    sym_file_info_free(info);
    free(f);
}

static void test_pe_truncated_everywhere(void **state)
{
    uint8_t *f = make_pe();
    size_t needed = PE_CV + pe_cv_size;
    for (size_t len = 1; len < PE_SIZE; len++) {
        sym_file_info *info;
        sym_error err;
        sym_status st = inspect_mem(f, len, &info, &err);
        if (len < needed) {
            assert_int_not_equal(st, SYM_OK);
            if (len >= 2) /* past the magic it is a PE, and a truncated one */
                assert_int_equal(st, SYM_E_TRUNCATED);
        } else {
            assert_int_equal(st, SYM_OK);
            sym_file_info_free(info);
        }
    }
    free(f);
}

static void test_pe_corrupt_fields(void **state)
{
    sym_file_info *info;
    sym_error err;
    uint8_t *f = make_pe();
    put32(f + 0x3C, 0xFFFFFFF0); /* e_lfanew past the end */
    assert_int_equal(inspect_mem(f, PE_SIZE, &info, &err), SYM_E_TRUNCATED);
    free(f);

    f = make_pe();
    memcpy(f + 0x40, "NE\0\0", 4);
    assert_int_equal(inspect_mem(f, PE_SIZE, &info, &err), SYM_E_FORMAT);
    assert_non_null(strstr(err.message, "PE signature"));
    free(f);

    f = make_pe();
    put16(f + PE_NSEC_OFF, 200); /* more sections than the format allows */
    assert_int_equal(inspect_mem(f, PE_SIZE, &info, &err), SYM_E_FORMAT);
    free(f);

    f = make_pe();
    put32(f + PE_DEBUG_SIZE_OFF, 28 * 100000); /* a debug directory of 100000 entries */
    assert_int_equal(inspect_mem(f, PE_SIZE, &info, &err), SYM_E_FORMAT);
    free(f);

    f = make_pe();
    put16(f + 0x58, 0x999); /* unknown optional header magic */
    assert_int_equal(inspect_mem(f, PE_SIZE, &info, &err), SYM_E_FORMAT);
    free(f);

    f = make_pe();
    put32(f + PE_DEBUG_DIR + 24, 0x7FFFFFF0); /* CodeView record beyond the file */
    assert_int_equal(inspect_mem(f, PE_SIZE, &info, &err), SYM_E_TRUNCATED);
    free(f);

    f = make_pe();
    memcpy(f + PE_CV, "XXXX", 4); /* unknown CodeView signature */
    assert_int_equal(inspect_mem(f, PE_SIZE, &info, &err), SYM_E_FORMAT);
    free(f);
}

/* Deterministic byte flips over a whole file: never a crash, and a result or a named error. */
static void flip_bytes(const uint8_t *orig, size_t size, unsigned rounds, size_t head)
{
    uint8_t *f = malloc(size);
    assert_non_null(f);
    uint32_t seed = 12345;
    for (unsigned i = 0; i < rounds; i++) {
        memcpy(f, orig, size);
        for (int k = 0; k < 4; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = (seed >> 8) % (head && head < size ? head : size);
            seed = seed * 1103515245u + 12345u;
            f[pos] ^= (uint8_t)(1u << ((seed >> 16) & 7));
        }
        sym_file_info *info;
        sym_error err;
        if (inspect_mem(f, size, &info, &err) == SYM_OK)
            sym_file_info_free(info);
    }
    free(f);
}

static void test_pe_fixture_pair(void **state)
{
    sym_file_info *dll, *pdb;
    sym_error err;
    assert_int_equal(sym_file_inspect(fixture_path("hello.dll"), &dll, &err), SYM_OK);
    assert_int_equal(sym_file_inspect(fixture_path("hello.pdb"), &pdb, &err), SYM_OK);
    assert_true(dll->u.pe.has_codeview);
    sym_identity want = dll->u.pe.codeview.id;
    sym_identity have = sym_file_identity(pdb);
    assert_true(sym_identity_equal(&want, &have));
    assert_true(dll->u.pe.has_exports);
    assert_int_equal(dll->u.pe.n_exports, 3);
    assert_string_equal(dll->u.pe.exports[0], "hello_add");
    assert_true(pdb->u.pdb.private_symbols);
    assert_true(pdb->u.pdb.lines);
    assert_false(pdb->u.pdb.stripped);
    size_t size;
    uint8_t *bytes = read_whole(fixture_path("hello.dll"), &size);
    flip_bytes(bytes, size, 3000, 0x400);
    free(bytes);
    sym_file_info_free(dll);
    sym_file_info_free(pdb);
}

static void test_pdb_truncated_and_corrupt(void **state)
{
    size_t size;
    uint8_t *pdb = read_whole(fixture_path("app.pdb"), &size);
    sym_file_info *info;
    sym_error err;
    assert_int_equal(inspect_mem(pdb, size, &info, &err), SYM_OK);
    assert_int_equal(info->format, SYM_FMT_PDB70);
    assert_int_equal(info->u.pdb.block_size, 4096);
    sym_file_info_free(info);
    for (size_t len = 1; len < size; len += 509) {
        assert_int_not_equal(inspect_mem(pdb, len, &info, &err), SYM_OK);
        if (len >= 64) {
            assert_int_equal(err.status, SYM_E_TRUNCATED);
            assert_non_null(strstr(err.message, "truncated"));
        }
    }
    uint8_t *bad = malloc(size);
    assert_non_null(bad);

    memcpy(bad, pdb, size);
    put32(bad + 0x20, 3000); /* not a power of two */
    assert_int_equal(inspect_mem(bad, size, &info, &err), SYM_E_FORMAT);
    assert_non_null(strstr(err.message, "block size"));

    memcpy(bad, pdb, size);
    put32(bad + 0x34, 0x00FFFFFF); /* block map beyond the file */
    assert_int_equal(inspect_mem(bad, size, &info, &err), SYM_E_FORMAT);

    memcpy(bad, pdb, size);
    put32(bad + 0x2C, 0xFFFFFFF0); /* a directory larger than the file */
    assert_int_equal(inspect_mem(bad, size, &info, &err), SYM_E_FORMAT);

    memcpy(bad, pdb, size);
    put32(bad + 0x28, 0); /* no blocks at all */
    assert_int_equal(inspect_mem(bad, size, &info, &err), SYM_E_FORMAT);

    /* Flips in the superblock, the directory and everywhere else. */
    flip_bytes(pdb, size, 1500, 64);
    flip_bytes(pdb, size, 1500, 0);
    free(bad);
    free(pdb);
}

/* A minidump with one module (name, CodeView) and one unloaded module. */
enum { MD_SIZE = 1024, MD_MODLIST = 80, MD_UNLOADED = 200, MD_NAME = 300, MD_CV = 400 };

static uint8_t *make_dump(void)
{
    uint8_t *f = calloc(1, MD_SIZE);
    assert_non_null(f);
    memcpy(f, "MDMP", 4);
    put32(f + 4, 0xA793);
    put32(f + 8, 2);
    put32(f + 12, 32);
    put32(f + 32, 4);
    put32(f + 36, 4 + 108);
    put32(f + 40, MD_MODLIST);
    put32(f + 44, 14);
    put32(f + 48, 12 + 24);
    put32(f + 52, MD_UNLOADED);
    put32(f + MD_MODLIST, 1);
    uint8_t *m = f + MD_MODLIST + 4;
    put64(m, 0x2A0000);
    put32(m + 8, 0x9000);
    put32(m + 16, 0x5AB38077);
    put32(m + 20, MD_NAME);
    size_t cv = put_rsds(f + MD_CV);
    put32(m + 76, (uint32_t)cv);
    put32(m + 80, MD_CV);
    static const char name[] = "C:\\app\\crash.exe";
    put32(f + MD_NAME, (uint32_t)(2 * strlen(name)));
    for (size_t i = 0; i < strlen(name); i++)
        put16(f + MD_NAME + 4 + 2 * i, (uint8_t)name[i]);
    put32(f + MD_UNLOADED, 12);
    put32(f + MD_UNLOADED + 4, 24);
    put32(f + MD_UNLOADED + 8, 1);
    uint8_t *u = f + MD_UNLOADED + 12;
    put64(u, 0x10000000);
    put32(u + 8, 0x5000);
    put32(u + 16, 0x01020304);
    put32(u + 20, MD_NAME);
    return f;
}

static void test_minidump_crafted(void **state)
{
    uint8_t *f = make_dump();
    sym_file_info *info;
    sym_error err;
    assert_int_equal(inspect_mem(f, MD_SIZE, &info, &err), SYM_OK);
    const sym_minidump_info *d = &info->u.dump;
    assert_int_equal(d->n_modules, 1);
    assert_string_equal(d->modules[0].name, "C:\\app\\crash.exe");
    assert_int_equal(d->modules[0].base, 0x2A0000);
    char key[SYM_KEY_MAX];
    sym_identity_key(&d->modules[0].image_id, key);
    assert_string_equal(key, "5AB380779000");
    assert_true(d->modules[0].has_codeview);
    sym_identity_key(&d->modules[0].codeview.id, key);
    assert_string_equal(key, "3249D99D0C4049318610F4E4FB0B69361");
    assert_int_equal(d->n_unloaded, 1);
    sym_identity_key(&d->unloaded[0].image_id, key);
    assert_string_equal(key, "010203045000");
    sym_file_info_free(info);

    for (size_t len = 1; len < MD_CV + 40; len++)
        assert_int_not_equal(inspect_mem(f, len, &info, &err), SYM_OK);

    put32(f + MD_MODLIST, 0xFFFFFFFF); /* more modules than the stream holds */
    assert_int_equal(inspect_mem(f, MD_SIZE, &info, &err), SYM_E_FORMAT);
    free(f);

    f = make_dump();
    put32(f + MD_NAME, 0x7FFFFFFF); /* a name of 2 GB */
    assert_int_equal(inspect_mem(f, MD_SIZE, &info, &err), SYM_E_FORMAT);
    free(f);

    f = make_dump();
    put32(f + 4, 0x1234); /* not a minidump version */
    assert_int_equal(inspect_mem(f, MD_SIZE, &info, &err), SYM_E_FORMAT);
    free(f);

    f = make_dump();
    put32(f + MD_UNLOADED + 8, 0x10000000); /* unloaded list larger than its stream */
    assert_int_equal(inspect_mem(f, MD_SIZE, &info, &err), SYM_E_FORMAT);
    free(f);

    f = make_dump();
    memcpy(f + MD_CV, "ZZZZ", 4); /* an unknown CodeView record keeps the module */
    assert_int_equal(inspect_mem(f, MD_SIZE, &info, &err), SYM_OK);
    assert_false(info->u.dump.modules[0].has_codeview);
    sym_file_info_free(info);
    flip_bytes(f, MD_SIZE, 3000, 0);
    free(f);
}

static void test_dbg_crafted(void **state)
{
    uint8_t f[256] = {0};
    f[0] = 'D';
    f[1] = 'I';
    put16(f + 4, 0x14C);
    put32(f + 8, 0x4963260C);
    put32(f + 20, 0xA8000);
    put32(f + 32, 28); /* one debug directory entry right after the header */
    put32(f + 48 + 12, 2);
    put32(f + 48 + 16, 16 + 9);
    put32(f + 48 + 24, 100);
    memcpy(f + 100, "NB10", 4);
    put32(f + 108, 0x5AD474B7);
    put32(f + 112, 1);
    memcpy(f + 116, "app.pdb", 8);
    sym_file_info *info;
    sym_error err;
    assert_int_equal(inspect_mem(f, sizeof f, &info, &err), SYM_OK);
    char key[SYM_KEY_MAX];
    sym_identity_key(&info->u.dbg.id, key);
    assert_string_equal(key, "4963260Ca8000");
    assert_true(info->u.dbg.has_codeview);
    sym_identity_key(&info->u.dbg.codeview.id, key);
    assert_string_equal(key, "5AD474B71");
    assert_string_equal(info->u.dbg.codeview.path, "app.pdb");
    sym_file_info_free(info);
    assert_int_equal(inspect_mem(f, 40, &info, &err), SYM_E_TRUNCATED);
    put32(f + 24, 0x01000000); /* sections push the debug directory past the end */
    assert_int_equal(inspect_mem(f, sizeof f, &info, &err), SYM_E_TRUNCATED);
}

static void test_cab_corpus(void **state)
{
    const char *path = corpus_path("cab/basic32.pd_");
    if (!path)
        return;
    size_t size;
    uint8_t *cab = read_whole(path, &size);
    sym_file_info *info;
    sym_error err;
    assert_int_equal(inspect_mem(cab, size, &info, &err), SYM_OK);
    assert_int_equal(info->u.cab.n_members, 1);
    assert_string_equal(info->u.cab.members[0].name, "basic32.pdb");
    assert_non_null(info->u.cab.member);
    char key[SYM_KEY_MAX];
    sym_identity id = sym_file_identity(info);
    sym_identity_key(&id, key);
    assert_string_equal(key, "34060D222DBB44E5AA72243CE8326C2F2");
    sym_file_info_free(info);

    /* Cut short: the listing may survive, the member cannot. */
    assert_int_equal(inspect_mem(cab, size / 2, &info, &err), SYM_OK);
    assert_null(info->u.cab.member);
    assert_int_not_equal(info->u.cab.member_error.status, SYM_OK);
    sym_file_info_free(info);
    assert_int_not_equal(inspect_mem(cab, 20, &info, &err), SYM_OK);
    free(cab);
}

static void test_unknown_and_file_errors(void **state)
{
    sym_file_info *info;
    sym_error err;
    static const char html[] = "<!DOCTYPE html><html><body>404</body></html>";
    assert_int_equal(inspect_mem((const uint8_t *)html, sizeof html - 1, &info, &err),
                     SYM_E_UNKNOWN_FORMAT);
    assert_non_null(strstr(err.message, "HTML"));
    static const char breakpad[] = "MODULE windows x86 3249D99D0C4049318610F4E4FB0B69361 crash";
    assert_int_equal(inspect_mem((const uint8_t *)breakpad, sizeof breakpad - 1, &info, &err),
                     SYM_E_UNKNOWN_FORMAT);
    assert_non_null(strstr(err.message, "Breakpad"));
    assert_int_equal(sym_file_inspect_memory("", 0, "mem.bin", &info, &err), SYM_E_EMPTY);

    assert_int_equal(sym_file_inspect("/nonexistent/symscope/x.pdb", &info, &err), SYM_E_NOENT);
    assert_non_null(strstr(err.message, "/nonexistent/symscope/x.pdb"));
    assert_int_equal(sym_file_inspect("/", &info, &err), SYM_E_ISDIR);
    char tmp[] = "/tmp/symscope-empty-XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(sym_file_inspect(tmp, &info, &err), SYM_E_EMPTY);
    assert_non_null(strstr(err.message, tmp));
    unlink(tmp);
    assert_int_equal(sym_file_inspect(NULL, &info, &err), SYM_E_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pe_crafted),
        cmocka_unit_test(test_pe_truncated_everywhere),
        cmocka_unit_test(test_pe_corrupt_fields),
        cmocka_unit_test(test_pe_fixture_pair),
        cmocka_unit_test(test_pdb_truncated_and_corrupt),
        cmocka_unit_test(test_minidump_crafted),
        cmocka_unit_test(test_dbg_crafted),
        cmocka_unit_test(test_cab_corpus),
        cmocka_unit_test(test_unknown_and_file_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
