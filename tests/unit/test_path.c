/* Symbol path text -> elements (path_parse.c) and Windows paths -> local paths (pathmap.c):
 * separators, blanks and empty elements, the srv, symsrv and cache tokens, mappings, relative
 * paths, and limits. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "search/session_internal.h"
#include "symscope/symscope.h"
#include "test_util.h"

static char tmp[64];

static int setup(void **state)
{
    test_tmpdir(tmp, "path");
    return 0;
}

static int teardown(void **state)
{
    return test_rmtree(tmp);
}

static sym_session *session(const char *path)
{
    sym_session *s;
    sym_error err;
    assert_int_equal(sym_session_create(&s, &err), SYM_OK);
    assert_int_equal(sym_session_setenv(s, "_NT_SYMBOL_PATH", NULL, &err), SYM_OK);
    assert_int_equal(sym_session_setenv(s, "_NT_ALT_SYMBOL_PATH", NULL, &err), SYM_OK);
    assert_int_equal(sym_session_set_home(s, tmp, &err), SYM_OK);
    assert_int_equal(sym_session_set_cwd(s, tmp, &err), SYM_OK);
    assert_int_equal(sym_session_add_mapping(s, "C:", tmp, &err), SYM_OK);
    assert_int_equal(sym_session_initialize(s, path, &err), SYM_OK);
    return s;
}

static void test_elements_and_blanks(void **state)
{
    sym_session *s = session(" a ;;\tb\t; ;c;");
    assert_int_equal(sym_session_element_count(s), 3);
    assert_string_equal(sym_session_element(s, 0)->text, "a");
    assert_string_equal(sym_session_element(s, 1)->text, "b");
    assert_string_equal(sym_session_element(s, 2)->text, "c");
    /* Relative elements resolve against the session's directory. */
    char want[PATH_MAX];
    snprintf(want, sizeof want, "%s/a", tmp);
    assert_string_equal(sym_session_element(s, 0)->local, want);
    assert_int_equal(sym_session_element(s, 0)->state, SYM_STATE_MISSING);
    sym_session_free(s);
}

static void test_store_tokens(void **state)
{
    sym_session *s = session("SRV*C:\\down*http://h/s;srv*;srv**up;symsrv*symsrv.dll*x*y;"
                             "symsrv*other.dll*x;cache*;CACHE*C:\\c");
    assert_int_equal(sym_session_element_count(s), 7);
    const sym_element_desc *e = sym_session_element(s, 0);
    assert_int_equal(e->kind, SYM_ELEM_SRV);
    assert_int_equal(e->n_stores, 2);
    assert_int_equal(e->stores[1].type, SYM_STORE_HTTP);
    char want[PATH_MAX];
    snprintf(want, sizeof want, "%s/down", tmp);
    assert_string_equal(e->stores[0].local, want);
    /* Bare srv*: the default downstream store and Microsoft's server. */
    e = sym_session_element(s, 1);
    assert_int_equal(e->n_stores, 2);
    assert_true(e->stores[0].is_default);
    assert_non_null(strstr(e->stores[1].location, "msdl.microsoft.com"));
    /* An empty token is the default store. */
    e = sym_session_element(s, 2);
    assert_int_equal(e->n_stores, 2);
    assert_true(e->stores[0].is_default);
    e = sym_session_element(s, 3);
    assert_int_equal(e->kind, SYM_ELEM_SRV);
    assert_int_equal(e->n_stores, 2);
    e = sym_session_element(s, 4);
    assert_int_equal(e->state, SYM_STATE_UNSUPPORTED);
    assert_non_null(strstr(e->reason, "other.dll"));
    e = sym_session_element(s, 5);
    assert_int_equal(e->kind, SYM_ELEM_CACHE);
    assert_true(e->stores[0].is_default);
    e = sym_session_element(s, 6);
    assert_int_equal(e->kind, SYM_ELEM_CACHE);
    snprintf(want, sizeof want, "%s/c", tmp);
    assert_string_equal(e->stores[0].local, want);
    sym_session_free(s);
}

static void test_chain_limits(void **state)
{
    /* SymSrv takes ten stores; an HTTP store only at the right end. */
    sym_session *s = session("srv*a*b*c*d*e*f*g*h*i*j*k;srv*http://h/x*down");
    assert_int_equal(sym_session_element(s, 0)->state, SYM_STATE_INVALID);
    assert_non_null(strstr(sym_session_element(s, 0)->reason, "11 stores"));
    assert_int_equal(sym_session_element(s, 1)->state, SYM_STATE_INVALID);
    sym_session_free(s);
}

static void test_pingme_and_two_tiers(void **state)
{
    char d[PATH_MAX], f[PATH_MAX + 16];
    snprintf(d, sizeof d, "%s/pm", tmp);
    mkdir(d, 0755);
    snprintf(f, sizeof f, "%s/PingMe.TXT", d);
    fclose(fopen(f, "w"));
    snprintf(f, sizeof f, "%s/Index2.Txt", d);
    fclose(fopen(f, "w"));
    sym_session *s = session(d);
    const sym_element_desc *e = sym_session_element(s, 0);
    assert_int_equal(e->kind, SYM_ELEM_STORE); /* any letter case */
    assert_int_equal(e->stores[0].tiers, 2);
    sym_error err;
    assert_int_equal(sym_session_set_option(s, SYM_OPT_DISABLE_SYMSRV_AUTODETECT, true, &err),
                     SYM_OK);
    assert_int_equal(sym_session_set_path(s, d, &err), SYM_OK);
    assert_int_equal(sym_session_element(s, 0)->kind, SYM_ELEM_STANDARD);
    sym_session_free(s);
}

static void test_pathmap(void **state)
{
    path_mapping maps[2] = {{"C:", "/mnt/c"}, {"\\\\srv\\share", "/mnt/share"}};
    pathmap_ctx pm = {maps, 2, "/work"};
    char *local = NULL, *reason = NULL;
    assert_int_equal(pathmap_resolve(&pm, "C:\\Sym\\x\\", &local, &reason), PATHMAP_OK);
    assert_string_equal(local, "/mnt/c/Sym/x"); /* no trailing separator */
    free(local);
    assert_int_equal(pathmap_resolve(&pm, "\\\\SRV\\Share\\a", &local, &reason), PATHMAP_OK);
    assert_string_equal(local, "/mnt/share/a");
    free(local);
    assert_int_equal(pathmap_resolve(&pm, "D:\\x", &local, &reason), PATHMAP_UNMAPPED);
    assert_non_null(strstr(reason, "--map D:=DIR"));
    free(reason);
    assert_int_equal(pathmap_resolve(&pm, "\\\\other\\s\\x", &local, &reason), PATHMAP_UNMAPPED);
    free(reason);
    assert_int_equal(pathmap_resolve(&pm, "\\rooted", &local, &reason), PATHMAP_UNMAPPED);
    free(reason);
    assert_int_equal(pathmap_resolve(&pm, ".", &local, &reason), PATHMAP_OK);
    assert_string_equal(local, "/work");
    free(local);
    assert_int_equal(pathmap_resolve(&pm, ".\\sub", &local, &reason), PATHMAP_OK);
    assert_string_equal(local, "/work/sub");
    free(local);
    char *huge = malloc(PATH_MAX + 8);
    memset(huge, 'a', PATH_MAX + 7);
    huge[PATH_MAX + 7] = '\0';
    assert_int_equal(pathmap_resolve(&pm, huge, &local, &reason), PATHMAP_INVALID);
    free(reason);
    free(huge);
    assert_true(pathmap_is_absolute("C:x"));
    assert_false(pathmap_is_absolute("x\\y"));
    assert_int_equal(pathmap_notation_sep("/a/b"), '/');
    assert_int_equal(pathmap_notation_sep("a\\b/c"), '\\');
    char *j = pathmap_join_notation("C:\\s\\", '\\', "x.pdb");
    assert_string_equal(j, "C:\\s\\x.pdb");
    free(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elements_and_blanks),
        cmocka_unit_test(test_store_tokens),
        cmocka_unit_test(test_chain_limits),
        cmocka_unit_test(test_pingme_and_two_tiers),
        cmocka_unit_test(test_pathmap),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
