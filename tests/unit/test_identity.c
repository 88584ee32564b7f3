/* Store keys, GUID text, SSQP keys and file-name handling (decisions.md section 2). */
#include <string.h>

#include "symscope/symscope.h"
#include "test_util.h"

static sym_identity pdb70(const char *guid, uint32_t age)
{
    sym_identity id = {.kind = SYM_ID_PDB70, .age = age};
    assert_true(sym_guid_parse(guid, &id.guid));
    return id;
}

static void test_guid_text(void **state)
{
    sym_guid g;
    char out[SYM_GUID_TEXT_MAX];
    assert_true(sym_guid_parse("3249D99D-0C40-4931-8610-F4E4FB0B6936", &g));
    assert_int_equal(g.data1, 0x3249D99D);
    assert_int_equal(g.data2, 0x0C40);
    assert_int_equal(g.data3, 0x4931);
    assert_int_equal(g.data4[0], 0x86);
    assert_int_equal(g.data4[7], 0x36);
    sym_guid_format(&g, out);
    assert_string_equal(out, "3249D99D-0C40-4931-8610-F4E4FB0B6936");
    assert_true(sym_guid_parse("{3249d99d-0c40-4931-8610-f4e4fb0b6936}", &g));
    sym_guid_format(&g, out);
    assert_string_equal(out, "3249D99D-0C40-4931-8610-F4E4FB0B6936");
    assert_false(sym_guid_parse("3249D99D0C4049318610F4E4FB0B6936", &g));
    assert_false(sym_guid_parse("3249D99D-0C40-4931-8610-F4E4FB0B693", &g));
    assert_false(sym_guid_parse("3249D99D-0C40-4931-8610-F4E4FB0B693G", &g));
    assert_false(sym_guid_parse("", &g));
}

static void test_pdb70_key(void **state)
{
    char key[SYM_KEY_MAX];
    sym_identity id = pdb70("3249D99D-0C40-4931-8610-F4E4FB0B6936", 1);
    assert_int_equal(sym_identity_key(&id, key), 33);
    assert_string_equal(key, "3249D99D0C4049318610F4E4FB0B69361");
    /* Ages are lower-case hex without padding: SymSrv-made caches show age 10 as "a". */
    id.age = 10;
    sym_identity_key(&id, key);
    assert_string_equal(key, "3249D99D0C4049318610F4E4FB0B6936a");
    id.age = 0x1A;
    sym_identity_key(&id, key);
    assert_string_equal(key, "3249D99D0C4049318610F4E4FB0B69361a");
    /* Small GUID fields keep their leading zeros. */
    id = pdb70("0001020A-000B-000C-0D0E-0F1011121314", 0);
    sym_identity_key(&id, key);
    assert_string_equal(key, "0001020A000B000C0D0E0F10111213140");
}

static void test_pdb20_and_image_keys(void **state)
{
    char key[SYM_KEY_MAX];
    sym_identity nb10 = {.kind = SYM_ID_PDB20, .signature = 0x5AD474B7, .age = 1};
    sym_identity_key(&nb10, key);
    assert_string_equal(key, "5AD474B71");
    sym_identity img = {.kind = SYM_ID_IMAGE, .timestamp = 0x5AB38077, .size = 0x9000};
    sym_identity_key(&img, key);
    assert_string_equal(key, "5AB380779000");
    img.timestamp = 0;
    img.size = 0x17000;
    sym_identity_key(&img, key);
    assert_string_equal(key, "0000000017000");
    sym_identity dbg = {.kind = SYM_ID_DBG, .timestamp = 0x4963260C, .size = 0xA8000};
    sym_identity_key(&dbg, key);
    assert_string_equal(key, "4963260Ca8000");
    sym_identity none = {.kind = SYM_ID_NONE};
    assert_int_equal(sym_identity_key(&none, key), 0);
    assert_string_equal(key, "");
}

static void test_key_roundtrip(void **state)
{
    char key[SYM_KEY_MAX];
    sym_identity in[] = {
        pdb70("F535C5FB-2AE8-4BB8-AA20-6C30BE566C5A", 0xFFFFFFFF),
        {.kind = SYM_ID_PDB20, .signature = 0x37A8F40E, .age = 2},
        {.kind = SYM_ID_IMAGE, .timestamp = 0xAFBF9EF6, .size = 0x354000},
        {.kind = SYM_ID_DBG, .timestamp = 1, .size = 1},
    };
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        sym_identity out;
        assert_true(sym_identity_key(&in[i], key) > 0);
        assert_true(sym_identity_parse_key(in[i].kind, key, &out));
        assert_true(sym_identity_equal(&in[i], &out));
    }
    sym_identity out;
    /* Keys from stores copied off Windows come in any case. */
    assert_true(sym_identity_parse_key(SYM_ID_PDB70, "3249d99d0c4049318610f4e4fb0b69361", &out));
    sym_identity want = pdb70("3249D99D-0C40-4931-8610-F4E4FB0B6936", 1);
    assert_true(sym_identity_equal(&want, &out));
    assert_false(sym_identity_parse_key(SYM_ID_PDB70, "3249D99D0C40", &out));
    assert_false(sym_identity_parse_key(SYM_ID_PDB70, "3249D99D0C4049318610F4E4FB0B6936Z", &out));
    assert_false(sym_identity_parse_key(SYM_ID_IMAGE, "5AB38077", &out));
    assert_false(sym_identity_parse_key(SYM_ID_IMAGE, "5AB38077123456789", &out));
    assert_false(sym_identity_parse_key(SYM_ID_NONE, "5AB380779000", &out));
}

static void test_identity_equal(void **state)
{
    sym_identity a = pdb70("3249D99D-0C40-4931-8610-F4E4FB0B6936", 1);
    sym_identity b = a;
    assert_true(sym_identity_equal(&a, &b));
    b.age = 2;
    assert_false(sym_identity_equal(&a, &b));
    b = a;
    b.guid.data4[7] ^= 1;
    assert_false(sym_identity_equal(&a, &b));
    sym_identity img = {.kind = SYM_ID_IMAGE, .timestamp = 1, .size = 2};
    sym_identity dbg = {.kind = SYM_ID_DBG, .timestamp = 1, .size = 2};
    assert_false(sym_identity_equal(&img, &dbg));
    sym_identity none = {.kind = SYM_ID_NONE};
    assert_false(sym_identity_equal(&none, &none));
}

static void test_basename(void **state)
{
    assert_string_equal(sym_path_basename("C:\\projects\\Release\\crash.pdb"), "crash.pdb");
    assert_string_equal(sym_path_basename("/tmp/fx/hello.pdb"), "hello.pdb");
    assert_string_equal(sym_path_basename("c:foo.pdb"), "foo.pdb");
    assert_string_equal(sym_path_basename("plain.pdb"), "plain.pdb");
    assert_string_equal(sym_path_basename("..\\..\\x.pdb"), "x.pdb");
    assert_string_equal(sym_path_basename("dir\\"), "");
    assert_string_equal(sym_path_basename(""), "");
}

static void test_store_and_ssqp_paths(void **state)
{
    char out[256];
    sym_identity id = pdb70("497B72F6-390A-44FC-878E-5A2D63B6CC4B", 1);
    assert_true(sym_store_relpath("Foo.pdb", &id, out, sizeof out) > 0);
    assert_string_equal(out, "Foo.pdb/497B72F6390A44FC878E5A2D63B6CC4B1/Foo.pdb");
    /* SSQP: lower-case file names and GUID keys (the SSQP key conventions' own example). */
    assert_true(sym_ssqp_key("Foo.PDB", &id, out, sizeof out) > 0);
    assert_string_equal(out, "foo.pdb/497b72f6390a44fc878e5a2d63b6cc4b1/foo.pdb");
    sym_identity img = {.kind = SYM_ID_IMAGE, .timestamp = 0x542D574E, .size = 0xC2000};
    assert_true(sym_ssqp_key("FOO.exe", &img, out, sizeof out) > 0);
    assert_string_equal(out, "foo.exe/542D574Ec2000/foo.exe");
    sym_identity pp = {.kind = SYM_ID_PORTABLE_PDB, .signature = 0x12345678};
    assert_true(sym_guid_parse("497B72F6-390A-44FC-878E-5A2D63B6CC4B", &pp.guid));
    assert_true(sym_ssqp_key("foo.pdb", &pp, out, sizeof out) > 0);
    assert_string_equal(out, "foo.pdb/497b72f6390a44fc878e5a2d63b6cc4bFFFFFFFF/foo.pdb");
    /* Too small a buffer is a refusal, not a cut path. */
    assert_int_equal(sym_store_relpath("Foo.pdb", &id, out, 20), 0);
    assert_int_equal(sym_ssqp_key("Foo.pdb", &id, out, 20), 0);
}

static void test_status_names(void **state)
{
    assert_string_equal(sym_status_name(SYM_OK), "ok");
    assert_string_equal(sym_status_name(SYM_E_TRUNCATED), "truncated");
    assert_string_equal(sym_status_name((sym_status)999), "unknown");
    assert_string_equal(sym_status_text(SYM_E_ISDIR), "is a directory");
    sym_error err = {.status = SYM_E_IO, .message = "x"};
    sym_error_clear(&err);
    assert_int_equal(err.status, SYM_OK);
    assert_string_equal(err.message, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guid_text),
        cmocka_unit_test(test_pdb70_key),
        cmocka_unit_test(test_pdb20_and_image_keys),
        cmocka_unit_test(test_key_roundtrip),
        cmocka_unit_test(test_identity_equal),
        cmocka_unit_test(test_basename),
        cmocka_unit_test(test_store_and_ssqp_paths),
        cmocka_unit_test(test_status_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
