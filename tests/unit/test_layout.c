/* The store layout (stores/layout.c) and the chain planner (stores/chain.c): key directories in
 * one and two tiers, compressed names, file.ptr, index2.txt in any case, locations in the user's
 * notation; chains of 1 to 10 stores under both rule sets, the cache in front, the default
 * downstream store, the limit, and which local stores receive copies. */
#define _GNU_SOURCE /* asprintf */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "search/session_internal.h"
#include "stores/chain.h"
#include "stores/layout.h"
#include "stores/store.h"
#include "symscope/symscope.h"
#include "test_util.h"

static char tmp[64];

static int setup(void **state)
{
    test_tmpdir(tmp, "layout");
    return 0;
}

static int teardown(void **state)
{
    return test_rmtree(tmp);
}

static sym_identity pdb_id(void)
{
    sym_identity id = {.kind = SYM_ID_PDB70,
                       .guid = {0x10111213, 0x1415, 0x1617, {1, 2, 3, 4, 5, 6, 7, 8}},
                       .age = 1};
    return id;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* ---- layout ---- */

static void test_key_directories(void **state)
{
    sym_identity id = pdb_id();
    char key[SYM_KEY_MAX];
    sym_identity_key(&id, key);
    char want[256];
    char *rel = layout_key_rel(1, "NtDll.pdb", &id);
    snprintf(want, sizeof want, "NtDll.pdb/%s", key);
    assert_string_equal(rel, want);
    free(rel);
    /* Two tiers: the first two characters, lower-cased, in front. */
    rel = layout_key_rel(2, "NtDll.pdb", &id);
    snprintf(want, sizeof want, "nt/NtDll.pdb/%s", key);
    assert_string_equal(rel, want);
    free(rel);
    char *dir = layout_key_dir("/s", 2, "ab.pdb", &id);
    snprintf(want, sizeof want, "/s/ab/ab.pdb/%s", key);
    assert_string_equal(dir, want);
    free(dir);
    char prefix[3];
    layout_tier_prefix("X", prefix);
    assert_string_equal(prefix, "x");
}

static void test_names_safe_in_every_layout(void **state)
{
    sym_identity id = pdb_id();
    assert_true(layout_name_ok("ntdll.pdb"));
    const char *bad[] = {"", ".", "..", "..pdb", "a/b.pdb", "a\\b.pdb", ". ", " .x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(layout_name_ok(bad[i]));
        assert_null(layout_key_rel(1, bad[i], &id));
        assert_null(layout_key_rel(2, bad[i], &id));
    }
    assert_false(layout_name_ok(NULL));
}

static void test_compressed_names(void **state)
{
    char c[16];
    assert_true(layout_compressed_name("ntdll.pdb", c, sizeof c));
    assert_string_equal(c, "ntdll.pd_");
    assert_false(layout_compressed_name("", c, sizeof c));
    assert_false(layout_compressed_name("a-name-too-long.pdb", c, sizeof c));
    assert_true(layout_is_compressed_of("NTDLL.PD_", "ntdll.pdb"));
    assert_false(layout_is_compressed_of("ntdll.pdb", "ntdll.pdb"));
    assert_false(layout_is_compressed_of("x.pd_", "x.pd_")); /* a name that ends in '_' */
    assert_false(layout_is_compressed_of("ntdll.pd_x", "ntdll.pdb"));
}

static void test_names_of_a_key_directory(void **state)
{
    layout_names n;
    layout_key_names(&n, "a.pdb", false, "store");
    assert_string_equal(n.name[0], "a.pdb");
    assert_string_equal(n.name[1], "a.pd_");
    assert_string_equal(n.name[2], "file.ptr");
    assert_string_equal(n.rule[0], "store");
    assert_string_equal(n.rule[1], "store-compressed");
    assert_string_equal(n.rule[2], "store-pointer");
    /* favor_compressed: the compressed name first, its rule with it. */
    layout_key_names(&n, "a.pdb", true, "http");
    assert_string_equal(n.name[0], "a.pd_");
    assert_string_equal(n.rule[0], "http-compressed");
    assert_string_equal(n.name[1], "a.pdb");
    assert_string_equal(n.rule[1], "http");
}

static void test_index2_in_any_case(void **state)
{
    char root[128], file[192];
    snprintf(root, sizeof root, "%s/store", tmp);
    mkdir(root, 0755);
    assert_int_equal(layout_tiers(root), 1);
    snprintf(file, sizeof file, "%s/INDEX2.TXT", root);
    write_file(file, "");
    assert_int_equal(layout_tiers(root), 2);
    assert_true(layout_dir_has(root, LAYOUT_INDEX2));
    assert_false(layout_dir_has(root, LAYOUT_PINGME));
    assert_int_equal(layout_tiers("/nonexistent/symscope"), 1);
}

static void test_pointers(void **state)
{
    char p[128];
    snprintf(p, sizeof p, "%s/file.ptr", tmp);
    bool msg;
    write_file(p, "  PATH:\\\\server\\share\\x.pdb\r\nrest");
    char *t = layout_read_pointer(p, &msg);
    assert_string_equal(t, "\\\\server\\share\\x.pdb");
    assert_false(msg);
    free(t);
    write_file(p, "MSG:no such build");
    t = layout_read_pointer(p, &msg);
    assert_string_equal(t, "no such build");
    assert_true(msg);
    free(t);
    t = layout_pointer_text(p);
    assert_string_equal(t, "MSG:no such build");
    free(t);
    /* Only a bounded part is read. */
    FILE *f = fopen(p, "w");
    for (int i = 0; i < 3 * LAYOUT_PTR_MAX; i++)
        fputc('a', f);
    fclose(f);
    t = layout_read_pointer(p, &msg);
    assert_int_equal(strlen(t), LAYOUT_PTR_MAX);
    free(t);
    /* A FIFO is not a pointer file: no hang, no text. */
    unlink(p);
    assert_int_equal(mkfifo(p, 0600), 0);
    assert_null(layout_pointer_text(p));
    unlink(p);
    assert_null(layout_pointer_text(p));
}

static void test_locations_in_the_users_notation(void **state)
{
    sym_identity id = pdb_id();
    char key[SYM_KEY_MAX], want[256];
    sym_identity_key(&id, key);
    sym_store_desc win = {.location = "c:\\Cache", .local = "/m/c/Cache", .tiers = 2};
    char *loc = layout_location(&win, "NtDll.pdb", &id, "NtDll.pd_");
    snprintf(want, sizeof want, "c:\\Cache\\nt\\NtDll.pdb\\%s\\NtDll.pd_", key);
    assert_string_equal(loc, want);
    free(loc);
    sym_store_desc http = {.location = "https://s/sym", .type = SYM_STORE_HTTP, .tiers = 1};
    loc = layout_location(&http, "a.pdb", &id, "file.ptr");
    snprintf(want, sizeof want, "https://s/sym/a.pdb/%s/file.ptr", key);
    assert_string_equal(loc, want);
    free(loc);
}

/* ---- the chain planner ---- */

static sym_session *session(const char *path)
{
    sym_session *s;
    sym_error err;
    assert_int_equal(sym_session_create(&s, &err), SYM_OK);
    assert_int_equal(sym_session_set_home(s, tmp, &err), SYM_OK);
    assert_int_equal(sym_session_set_cwd(s, tmp, &err), SYM_OK);
    assert_int_equal(sym_session_initialize(s, path, &err), SYM_OK);
    return s;
}

/* srv*<tmp>/d1*...*<tmp>/d(n-1)*http://h/s: n stores. */
static char *srv_path(int n)
{
    char *p = strdup("srv");
    for (int i = 1; i < n; i++) {
        char *q;
        assert_true(asprintf(&q, "%s*%s/d%d", p, tmp, i) > 0);
        free(p);
        p = q;
    }
    char *q;
    assert_true(asprintf(&q, "%s*http://127.0.0.1:9/s", p) > 0);
    free(p);
    return q;
}

static void test_chains_of_1_to_10_stores(void **state)
{
    char def[128];
    snprintf(def, sizeof def, "%s/sym", tmp);
    chain_home home = {.home = tmp, .tiers = 1};
    for (int n = 1; n <= CHAIN_MAX_STORES; n++) {
        char *p = srv_path(n);
        sym_session *s = session(p);
        const path_element *e = &s->elements[0];
        assert_int_equal(e->d.n_stores, (size_t)n);
        chain_store chain[CHAIN_MAX];
        /* The documentation: the element's stores, left to right. */
        size_t k = chain_plan(chain, e, NULL, CHAIN_DOCUMENTED, &home);
        assert_int_equal(k, (size_t)n);
        for (int i = 0; i < n; i++)
            assert_int_equal(chain[i].index, i);
        assert_int_equal(chain[n - 1].d.type, SYM_STORE_HTTP);
        chain_clear(chain, &k);
        /* SymSrv 10: a chain that starts with a server goes through the default store. */
        k = chain_plan(chain, e, NULL, CHAIN_SYMSRV10, &home);
        assert_int_equal(k, n == 1 ? 2u : (size_t)n);
        if (n == 1) {
            assert_true(chain[0].d.is_default);
            assert_string_equal(chain[0].d.local, def);
            assert_int_equal(chain[0].index, -1);
        } else {
            assert_int_equal(chain[0].index, 0);
        }
        chain_clear(chain, &k);
        assert_int_equal(k, 0);
        sym_session_free(s);
        free(p);
    }
    /* Eleven: more than SymSrv takes; the element says so and is not used. */
    char *p = srv_path(CHAIN_MAX_STORES + 1);
    sym_session *s = session(p);
    assert_int_equal(s->elements[0].d.state, SYM_STATE_INVALID);
    assert_non_null(strstr(s->elements[0].d.reason, "11 stores"));
    sym_session_free(s);
    free(p);
}

static void test_cache_in_front_and_empty_tokens(void **state)
{
    char path[512];
    snprintf(path, sizeof path,
             "cache*%s/c;srv*http://127.0.0.1:9/s;srv*%s/d*http://127.0.0.1:9/t;"
             "srv**http://127.0.0.1:9/u",
             tmp, tmp);
    sym_session *s = session(path);
    chain_home home = {.home = tmp, .tiers = 2};
    const path_element *cache = &s->elements[0];
    chain_store chain[CHAIN_MAX];
    /* A lone server: the cache in front, in both rule sets. */
    size_t k = chain_plan(chain, &s->elements[1], cache, CHAIN_DOCUMENTED, &home);
    assert_int_equal(k, 2);
    assert_int_equal(chain[0].index, -1);
    assert_string_equal(chain[0].d.location, cache->d.stores[0].location);
    chain_clear(chain, &k);
    k = chain_plan(chain, &s->elements[1], cache, CHAIN_SYMSRV10, &home);
    assert_int_equal(k, 2);
    assert_string_equal(chain[0].d.location, cache->d.stores[0].location);
    chain_clear(chain, &k);
    /* A chain with its own downstream store: the documentation leaves it as written; SymSrv 10
     * puts the cache in front all the same. */
    k = chain_plan(chain, &s->elements[2], cache, CHAIN_DOCUMENTED, &home);
    assert_int_equal(k, 2);
    assert_int_equal(chain[0].index, 0);
    chain_clear(chain, &k);
    k = chain_plan(chain, &s->elements[2], cache, CHAIN_SYMSRV10, &home);
    assert_int_equal(k, 3);
    assert_int_equal(chain[0].index, -1);
    chain_clear(chain, &k);
    /* srv**up: SymSrv 10 drops the empty token, then the default store goes in front. */
    k = chain_plan(chain, &s->elements[3], NULL, CHAIN_SYMSRV10, &home);
    assert_int_equal(k, 2);
    assert_true(chain[0].d.is_default);
    assert_int_equal(chain[0].d.tiers, 2); /* as the caller found it */
    assert_int_equal(chain[1].d.type, SYM_STORE_HTTP);
    chain_clear(chain, &k);
    /* A cache* element's own chain is its store. */
    k = chain_plan(chain, cache, NULL, CHAIN_SYMSRV10, &home);
    assert_int_equal(k, 1);
    assert_int_equal(chain[0].index, 0);
    chain_clear(chain, &k);
    sym_session_free(s);
}

static void test_leftmost_writable(void **state)
{
    chain_store chain[3] = {
        {.d = {.type = SYM_STORE_LOCAL, .local = NULL, .state = SYM_STATE_UNMAPPED}},
        {.d = {.type = SYM_STORE_LOCAL, .local = "/x", .state = SYM_STATE_MISSING}},
        {.d = {.type = SYM_STORE_HTTP, .location = "http://h/s", .state = SYM_STATE_OK}},
    };
    assert_false(chain_writable(&chain[0]));
    assert_true(chain_writable(&chain[1]));
    assert_false(chain_writable(&chain[2]));
    assert_int_equal(chain_leftmost_writable(chain, 2), 1);
    assert_int_equal(chain_leftmost_writable(chain, 1), 1); /* none left of 1 */
}

typedef struct dirs {
    char got[8][256];
    int n;
} dirs;

static void keep(const char *dir, void *ctx)
{
    dirs *d = ctx;
    if (d->n < 8)
        snprintf(d->got[d->n++], sizeof d->got[0], "%s", dir + strlen(tmp));
}

static void test_which_stores_receive_copies(void **state)
{
    char path[512];
    snprintf(path, sizeof path,
             "srv*http://127.0.0.1:9/a;cache*%s/c;srv*%s/d1*%s/d2*http://127.0.0.1:9/b;"
             "srv*http://127.0.0.1:9/e;cache*%s/c;%s/plain",
             tmp, tmp, tmp, tmp, tmp);
    sym_session *s = session(path);
    dirs d = {.n = 0};
    /* A lone server before any cache: the default store; after a cache that feeds srv*
     * chains: the cache only. Each once, in path order. */
    chain_downstream_stores(s->elements, s->n_elements, true, tmp, keep, &d);
    assert_int_equal(d.n, 4);
    assert_string_equal(d.got[0], "/sym");
    assert_string_equal(d.got[1], "/c");
    assert_string_equal(d.got[2], "/d1");
    assert_string_equal(d.got[3], "/d2");
    /* Without cache_feeds_srv the later lone server uses the default store too (seen once). */
    dirs e = {.n = 0};
    chain_downstream_stores(s->elements, s->n_elements, false, tmp, keep, &e);
    assert_int_equal(e.n, 4);
    sym_session_free(s);
}

static void test_cache_limit_names_the_element(void **state)
{
    char path[4096] = "";
    for (int i = 1; i <= CHAIN_MAX_CACHES + 1; i++) {
        char el[128];
        snprintf(el, sizeof el, "cache*%s/c%d;", tmp, i);
        strcat(path, el);
    }
    sym_session *s = session(path);
    assert_int_equal(s->n_elements, CHAIN_MAX_CACHES + 1);
    for (int i = 0; i < CHAIN_MAX_CACHES; i++)
        assert_int_not_equal(s->elements[i].d.state, SYM_STATE_INVALID);
    const path_element *last = &s->elements[CHAIN_MAX_CACHES];
    assert_int_equal(last->d.state, SYM_STATE_INVALID);
    assert_non_null(strstr(last->d.reason, "cache* element 17"));
    sym_session_free(s);
}

static void test_store_kinds_and_operations(void **state)
{
    sym_store_desc one = {.type = SYM_STORE_LOCAL, .tiers = 1};
    sym_store_desc two = {.type = SYM_STORE_LOCAL, .tiers = 2};
    sym_store_desc http = {.type = SYM_STORE_HTTP, .tiers = 2};
    assert_int_equal(store_kind_of(&one), STORE_LOCAL_ONE_TIER);
    assert_int_equal(store_kind_of(&two), STORE_LOCAL_TWO_TIER);
    assert_int_equal(store_kind_of(&http), STORE_HTTP);
    for (int k = 0; k < STORE_KIND_COUNT; k++) {
        const store_ops *ops = store_ops_kind((store_kind)k);
        assert_int_equal(ops->kind, k);
        assert_non_null(ops->probe);
        /* A file found in an HTTP store arrives in a download directory first. */
        assert_int_equal(ops->downloads, k == STORE_HTTP);
    }
    assert_int_equal(store_ops_of(&two)->kind, STORE_LOCAL_TWO_TIER);
    /* Listing what cannot be listed says so, naming the store (without its password). */
    sym_cache *c;
    sym_error err;
    assert_int_equal(sym_cache_scan("https://u:secret@s/sym", false, &c, &err), SYM_E_UNSUPPORTED);
    assert_null(c);
    assert_null(strstr(err.message, "secret"));
    assert_non_null(strstr(err.message, "cannot be listed"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_directories),
        cmocka_unit_test(test_names_safe_in_every_layout),
        cmocka_unit_test(test_compressed_names),
        cmocka_unit_test(test_names_of_a_key_directory),
        cmocka_unit_test(test_index2_in_any_case),
        cmocka_unit_test(test_pointers),
        cmocka_unit_test(test_locations_in_the_users_notation),
        cmocka_unit_test(test_chains_of_1_to_10_stores),
        cmocka_unit_test(test_cache_in_front_and_empty_tokens),
        cmocka_unit_test(test_leftmost_writable),
        cmocka_unit_test(test_which_stores_receive_copies),
        cmocka_unit_test(test_cache_limit_names_the_element),
        cmocka_unit_test(test_store_kinds_and_operations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
