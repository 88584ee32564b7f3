/* The session API: SymInitialize / SymSetSearchPath / SymGetSearchPath / SymLoadModuleEx /
 * SymUnloadModule64 / SymCleanup semantics, listeners, re-search, and no leaks (this test also
 * runs under ASan and valgrind). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "symscope/symscope.h"
#include "test_util.h"

typedef struct counts {
    int by_kind[16];
    int lines;
} counts;

static void count_events(const sym_event *ev, void *ctx)
{
    counts *c = ctx;
    c->by_kind[ev->kind]++;
}

static void count_lines(const char *line, void *ctx)
{
    (void)line;
    ((counts *)ctx)->lines++;
}

static void noisy(const sym_event *ev, void *ctx)
{
    sym_noisy_format(ev, count_lines, ctx);
}

static char tmpdir[64];

/* A directory holding app.pdb under dir/<name>/app.pdb. */
static const char *put_pdb(const char *name, const char *fixture)
{
    static char dir[256];
    char cmd[1024];
    snprintf(dir, sizeof dir, "%s/%s", tmpdir, name);
    mkdir(dir, 0755);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s/app.pdb'", fixture_path(fixture), dir);
    assert_int_equal(system(cmd), 0);
    return dir;
}

static int setup(void **state)
{
    test_tmpdir(tmpdir, "session");
    return 0;
}

static int teardown(void **state)
{
    return test_rmtree(tmpdir);
}

static sym_session *new_session(const char *path)
{
    sym_session *s;
    sym_error err;
    assert_int_equal(sym_session_create(&s, &err), SYM_OK);
    assert_int_equal(sym_session_setenv(s, "_NT_SYMBOL_PATH", NULL, &err), SYM_OK);
    assert_int_equal(sym_session_setenv(s, "_NT_ALT_SYMBOL_PATH", NULL, &err), SYM_OK);
    assert_int_equal(sym_session_set_home(s, tmpdir, &err), SYM_OK);
    assert_int_equal(sym_session_set_cwd(s, tmpdir, &err), SYM_OK);
    /* The fixtures' CodeView paths point at the fixtures: search only the path. */
    assert_int_equal(sym_session_set_option(s, SYM_OPT_IGNORE_CVREC, true, &err), SYM_OK);
    assert_int_equal(sym_session_set_option(s, SYM_OPT_IGNORE_IMAGEDIR, true, &err), SYM_OK);
    assert_int_equal(sym_session_initialize(s, path, &err), SYM_OK);
    return s;
}

static void test_paths(void **state)
{
    sym_session *s;
    sym_error err;
    assert_int_equal(sym_session_create(&s, &err), SYM_OK);
    /* Not initialised: nothing but settings and initialisation. */
    assert_null(sym_session_get_path(s));
    assert_int_not_equal(sym_session_set_path(s, "x", &err), SYM_OK);
    assert_int_not_equal(sym_session_load_image(s, fixture_path("app.exe"), 0, NULL, &err), SYM_OK);
    assert_int_equal(sym_session_setenv(s, "_NT_SYMBOL_PATH", "A;B", &err), SYM_OK);
    assert_int_equal(sym_session_setenv(s, "_NT_ALT_SYMBOL_PATH", "C", &err), SYM_OK);
    assert_int_not_equal(sym_session_setenv(s, "PATH", "x", &err), SYM_OK);
    /* The default profile is native: DbgHelp's own default path starts with ".". */
    assert_int_equal(sym_session_profile(s), SYM_PROFILE_NATIVE);
    assert_int_equal(sym_session_initialize(s, NULL, &err), SYM_OK);
    assert_string_equal(sym_session_get_path(s), ".;A;B;C");
    assert_int_equal(sym_session_element(s, 3)->source, SYM_SRC_NT_ALT_SYMBOL_PATH);
    /* Initialising again changes nothing, as native SymInitialize. */
    assert_int_equal(sym_session_initialize(s, "other", &err), SYM_OK);
    assert_string_equal(sym_session_get_path(s), ".;A;B;C");
    /* SymGetSearchPath gives the path exactly as set, blanks and empty elements included. */
    const char *odd = " x ;;cache*c:\\Cache ; SRV*y*z;";
    assert_int_equal(sym_session_set_path(s, odd, &err), SYM_OK);
    assert_string_equal(sym_session_get_path(s), odd);
    assert_int_equal(sym_session_element_count(s), 3);
    assert_string_equal(sym_session_element(s, 0)->text, "x");
    assert_int_equal(sym_session_element(s, 1)->kind, SYM_ELEM_CACHE);
    assert_int_equal(sym_session_element(s, 1)->state, SYM_STATE_UNMAPPED);
    assert_int_equal(sym_session_element(s, 2)->n_stores, 2);
    /* NULL resets to the default; the documented profile has no ".". */
    assert_int_equal(sym_session_set_profile(s, SYM_PROFILE_DOCUMENTED, &err), SYM_OK);
    assert_int_equal(sym_session_set_path(s, NULL, &err), SYM_OK);
    assert_string_equal(sym_session_get_path(s), "A;B;C");
    assert_int_not_equal(sym_session_add_mapping(s, "nonsense", "/tmp", &err), SYM_OK);
    assert_non_null(strstr(err.message, "nonsense"));
    sym_session_free(s);
}

/* Settings made for another layout of the struct are refused, with a message that says how
 * to make them. */
static void test_settings_versions(void **state)
{
    sym_session *s;
    sym_error err;
    assert_int_equal(sym_session_create(&s, &err), SYM_OK);
    sym_http_settings h;
    sym_http_settings_default(&h);
    assert_int_equal(h.version, SYM_HTTP_SETTINGS_VERSION);
    assert_int_equal(sym_session_set_http(s, &h, &err), SYM_OK);
    sym_http_settings old = h;
    old.version = 0;
    assert_int_equal(sym_session_set_http(s, &old, &err), SYM_E_ARG);
    assert_non_null(strstr(err.message, "sym_http_settings_default"));
    sym_http_store_settings st = SYM_HTTP_STORE_SETTINGS_INIT;
    st.url_prefix = "http://127.0.0.1:9/";
    h.stores = &st;
    h.n_stores = 1;
    assert_int_equal(sym_session_set_http(s, &h, &err), SYM_OK);
    st.version = 7;
    assert_int_equal(sym_session_set_http(s, &h, &err), SYM_E_ARG);
    assert_non_null(strstr(err.message, "SYM_HTTP_STORE_SETTINGS_INIT"));
    sym_session_free(s);
}

/* The profiles' orders, as the UI explains them (decisions.md 1). */
static void test_profile_orders(void **state)
{
    sym_step o[SYM_STEP_COUNT];
    sym_profile_order(SYM_PROFILE_NATIVE, o);
    assert_int_equal(o[0], SYM_STEP_ELEMENT);
    assert_int_equal(o[1], SYM_STEP_IMAGE_DIR);
    assert_int_equal(o[2], SYM_STEP_CV_PATH);
    sym_profile_order(SYM_PROFILE_DOCUMENTED, o);
    assert_int_equal(o[0], SYM_STEP_CV_PATH);
    assert_int_equal(o[1], SYM_STEP_ELEMENT);
    sym_profile_order(SYM_PROFILE_WINE8, o);
    assert_int_equal(o[1], SYM_STEP_IMAGE_DIR);
    assert_int_equal(o[2], SYM_STEP_ELEMENT);
}

static void test_two_sessions_do_not_interfere(void **state)
{
    const char *a_dir = put_pdb("a", "app.pdb");
    char a[256];
    snprintf(a, sizeof a, "%s", a_dir);
    const char *b = put_pdb("b", "variant/app.pdb");
    sym_session *sa = new_session(a), *sb = new_session(b);
    sym_error err;
    uint64_t base_a, base_b;
    assert_int_equal(sym_session_load_image(sa, fixture_path("app.exe"), 0, &base_a, &err), SYM_OK);
    assert_int_equal(sym_session_load_image(sb, fixture_path("app.exe"), 0, &base_b, &err), SYM_OK);
    const sym_module_info *ma = sym_session_find_module(sa, base_a);
    const sym_module_info *mb = sym_session_find_module(sb, base_b);
    assert_int_equal(ma->symbols, SYM_CLASS_PRIVATE_LINES);
    assert_false(ma->unmatched);
    assert_int_equal(mb->symbols, SYM_CLASS_NONE);
    /* Settings of one never reach the other. */
    assert_int_equal(sym_session_set_option(sb, SYM_OPT_LOAD_ANYTHING, true, &err), SYM_OK);
    assert_false(sym_session_option(sa, SYM_OPT_LOAD_ANYTHING));
    assert_int_equal(sym_session_load_symbols(sb, base_b, &err), SYM_OK);
    assert_true(sym_session_find_module(sb, base_b)->unmatched);
    assert_string_equal(sym_session_find_module(sb, base_b)->status_letters, "M");
    assert_int_equal(sym_session_module_count(sa), 1);
    assert_string_equal(sym_session_get_path(sa), a);
    sym_session_free(sa);
    sym_session_free(sb);
}

static void test_load_unload_cleanup_many(void **state)
{
    const char *dir = put_pdb("many", "app.pdb");
    sym_session *s = new_session(dir);
    counts c = {0};
    int id = sym_session_add_listener(s, count_events, &c);
    assert_true(id > 0);
    sym_error err;
    enum { N = 1000 };
    uint64_t bases[N];
    for (int i = 0; i < N; i++) {
        assert_int_equal(sym_session_load_image(s, fixture_path("app.exe"), 0, &bases[i], &err),
                         SYM_OK);
        /* Each copy is moved to a free base, like the loader does. */
        if (i)
            assert_true(bases[i] > bases[i - 1]);
    }
    assert_int_equal(sym_session_module_count(s), N);
    assert_int_equal(c.by_kind[SYM_EV_SEARCH_END], N);
    for (int i = 0; i < N; i += 2)
        assert_int_equal(sym_session_unload(s, bases[i], &err), SYM_OK);
    assert_int_equal(sym_session_module_count(s), N / 2);
    assert_int_equal(sym_session_unloaded_count(s), N / 2);
    assert_int_equal(sym_session_unloaded(s, 0)->state, SYM_MOD_UNLOADED);
    /* An unloaded module is gone: it must be loaded again to be used. */
    assert_null(sym_session_find_module(s, bases[0]));
    assert_int_not_equal(sym_session_load_symbols(s, bases[0], &err), SYM_OK);
    assert_int_not_equal(sym_session_unload(s, bases[0], &err), SYM_OK);
    assert_int_equal(c.by_kind[SYM_EV_MODULE_UNLOADED], N / 2);
    assert_int_equal(sym_session_cleanup(s, &err), SYM_OK);
    assert_int_equal(c.by_kind[SYM_EV_CLEANUP], 1);
    assert_int_equal(sym_session_module_count(s), 0);
    assert_int_equal(sym_session_unloaded_count(s), 0);
    assert_false(sym_session_initialized(s));
    assert_null(sym_session_get_path(s));
    /* After cleanup, only initialisation. */
    assert_int_not_equal(sym_session_load_image(s, fixture_path("app.exe"), 0, NULL, &err), SYM_OK);
    assert_int_not_equal(sym_session_cleanup(s, &err), SYM_OK);
    assert_int_equal(sym_session_initialize(s, dir, &err), SYM_OK);
    assert_int_equal(sym_session_load_image(s, fixture_path("app.exe"), 0, NULL, &err), SYM_OK);
    assert_int_equal(sym_session_module(s, 0)->symbols, SYM_CLASS_PRIVATE_LINES);
    sym_session_remove_listener(s, id);
    sym_session_free(s);
}

static void test_research_reports_changed_winners(void **state)
{
    char good[256], other[256];
    snprintf(good, sizeof good, "%s", put_pdb("good", "app.pdb"));
    snprintf(other, sizeof other, "%s", put_pdb("other", "app.pdb"));
    char path[600];
    snprintf(path, sizeof path, "%s;%s", good, other);
    sym_session *s = new_session(path);
    sym_error err;
    uint64_t base;
    assert_int_equal(sym_session_load_image(s, fixture_path("app.exe"), 0, &base, &err), SYM_OK);
    assert_int_equal(sym_session_find_module(s, base)->element, 0);
    const sym_winner_change *ch;
    size_t n;
    /* Same path: nothing changes. */
    assert_int_equal(sym_session_research(s, &ch, &n, &err), SYM_OK);
    assert_int_equal(n, 0);
    /* Reordered: element 0 is now the other directory, and it supplies the file. */
    snprintf(path, sizeof path, "%s;%s", other, good);
    assert_int_equal(sym_session_set_path(s, path, &err), SYM_OK);
    assert_int_equal(sym_session_research(s, &ch, &n, &err), SYM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ch[0].base, base);
    assert_non_null(strstr(ch[0].old_file, "/good/"));
    assert_non_null(strstr(ch[0].new_file, "/other/"));
    /* Element 0 disabled: the winner moves to element 1. */
    assert_int_equal(sym_session_set_element_enabled(s, 0, false, &err), SYM_OK);
    assert_int_equal(sym_session_research(s, &ch, &n, &err), SYM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ch[0].old_element, 0);
    assert_int_equal(ch[0].new_element, 1);
    /* Deferred modules are not searched until asked. */
    assert_int_equal(sym_session_set_option(s, SYM_OPT_DEFERRED_LOADS, true, &err), SYM_OK);
    uint64_t b2;
    assert_int_equal(sym_session_load_image(s, fixture_path("app.exe"), 0, &b2, &err), SYM_OK);
    assert_int_equal(sym_session_find_module(s, b2)->state, SYM_MOD_DEFERRED);
    assert_int_equal(sym_session_find_module(s, b2)->symbols, SYM_CLASS_DEFERRED);
    assert_int_equal(sym_session_attempt_count(s, b2), 0);
    assert_int_equal(sym_session_load_symbols(s, b2, &err), SYM_OK);
    assert_int_equal(sym_session_find_module(s, b2)->state, SYM_MOD_LOADED);
    assert_true(sym_session_attempt_count(s, b2) > 0);
    sym_session_free(s);
}

static void test_force_load_and_noisy_log(void **state)
{
    const char *dir = put_pdb("mism", "variant/app.pdb");
    sym_session *s = new_session(dir);
    counts c = {0};
    sym_session_add_listener(s, noisy, &c);
    sym_error err;
    uint64_t base;
    assert_int_equal(sym_session_load_image(s, fixture_path("app.exe"), 0, &base, &err), SYM_OK);
    assert_int_equal(sym_session_find_module(s, base)->symbols, SYM_CLASS_NONE);
    const sym_attempt *a = sym_session_attempt(s, base, 0);
    assert_int_equal(a->outcome, SYM_OUT_MISMATCH);
    assert_false(sym_identity_equal(&a->expected, &a->found));
    assert_true(c.lines > 0);
    /* .reload /i: this once, the mismatch is taken. */
    assert_int_equal(sym_session_force_load(s, base, &err), SYM_OK);
    assert_true(sym_session_find_module(s, base)->unmatched);
    assert_false(sym_session_option(s, SYM_OPT_LOAD_ANYTHING));
    /* FILE/KEY and bad modules. */
    assert_int_not_equal(sym_session_load(s, "no/such/thing", NULL, &err), SYM_OK);
    assert_non_null(strstr(err.message, "no/such/thing"));
    assert_int_not_equal(sym_session_load_image(s, fixture_path("app.pdb"), 0, NULL, &err), SYM_OK);
    assert_non_null(strstr(err.message, "not an image"));
    size_t n;
    assert_int_equal(sym_session_load(s, "app.pdb/9000B6762EAB03804C4C44205044422E1", &n, &err),
                     SYM_OK);
    assert_int_equal(n, 1);
    sym_session_free(s);
}

/* Directory listings are kept for the session while a directory is unchanged: a file added
 * between two searches is found by the second, as is one in a new sub-directory. */
static void files_added_between_searches(bool watch)
{
    char dir[256], cmd[1024];
    snprintf(dir, sizeof dir, "%s/later%d", tmpdir, watch);
    mkdir(dir, 0755);
    sym_session *s = new_session(dir);
    if (watch)
        assert_true(sym_session_watch_dirs(s));
    sym_error err;
    uint64_t base = 0;
    assert_int_equal(sym_session_load_image(s, fixture_path("app.exe"), 0, &base, &err), SYM_OK);
    assert_null(sym_session_find_module(s, base)->file);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s/app.pdb'", fixture_path("app.pdb"), dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(sym_session_load_symbols(s, base, &err), SYM_OK);
    const sym_module_info *m = sym_session_find_module(s, base);
    assert_non_null(m->file);
    assert_int_equal(m->symbols, SYM_CLASS_PRIVATE_LINES);
    /* Moved into D\exe\ (a directory that did not exist at the first search). */
    snprintf(cmd, sizeof cmd, "mkdir '%s/exe' && mv '%s/app.pdb' '%s/exe/'", dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(sym_session_load_symbols(s, base, &err), SYM_OK);
    m = sym_session_find_module(s, base);
    assert_non_null(m->file);
    assert_non_null(strstr(m->file, "/exe/app.pdb"));
    sym_session_free(s);
}

static void test_files_added_between_searches(void **state)
{
    files_added_between_searches(false);
    /* The same with inotify watching the directories (as the UI does). */
    files_added_between_searches(true);
}

/* Step-through: a listener that blocks on attempt-begin holds the search there. */
typedef struct stepper {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int begun, done, allowed; /* begins seen, attempts ended, begins let through */
    bool run_free;
    bool paired; /* every attempt followed the begin of the same place */
    char last[512];
} stepper;

static void step_listener(const sym_event *ev, void *ctx)
{
    stepper *st = ctx;
    pthread_mutex_lock(&st->lock);
    if (ev->kind == SYM_EV_ATTEMPT_BEGIN) {
        st->begun++;
        snprintf(st->last, sizeof st->last, "%s", ev->attempt->location);
        pthread_cond_broadcast(&st->cond);
        while (!st->run_free && st->allowed < st->begun)
            pthread_cond_wait(&st->cond, &st->lock);
    } else if (ev->kind == SYM_EV_ATTEMPT) {
        st->done++;
        if (strcmp(st->last, ev->attempt->location) != 0)
            st->paired = false;
        pthread_cond_broadcast(&st->cond);
    }
    pthread_mutex_unlock(&st->lock);
}

typedef struct search_job {
    sym_session *s;
    uint64_t base;
} search_job;

static void *search_thread(void *p)
{
    search_job *j = p;
    sym_error err;
    sym_session_load_symbols(j->s, j->base, &err);
    return NULL;
}

static void wait_begun(stepper *st, int n)
{
    pthread_mutex_lock(&st->lock);
    while (st->begun < n)
        pthread_cond_wait(&st->cond, &st->lock);
    pthread_mutex_unlock(&st->lock);
}

static void test_step_through(void **state)
{
    const char *dir = put_pdb("step", "app.pdb");
    char path[512];
    snprintf(path, sizeof path, "%s/none;%s", tmpdir, dir);
    sym_session *s = new_session(path);
    sym_error err;
    assert_int_equal(sym_session_set_option(s, SYM_OPT_DEFERRED_LOADS, true, &err), SYM_OK);
    uint64_t base = 0;
    assert_int_equal(sym_session_load_image(s, fixture_path("app.exe"), 0, &base, &err), SYM_OK);
    stepper st = {
        .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER, .paired = true};
    int id = sym_session_add_listener(s, step_listener, &st);
    search_job job = {s, base};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, search_thread, &job), 0);
    wait_begun(&st, 1);
    usleep(20000);
    pthread_mutex_lock(&st.lock);
    assert_int_equal(st.done, 0); /* held before its first attempt */
    assert_non_null(strstr(st.last, "none"));
    st.allowed = 1;
    pthread_cond_broadcast(&st.cond);
    pthread_mutex_unlock(&st.lock);
    wait_begun(&st, 2);
    usleep(20000);
    pthread_mutex_lock(&st.lock);
    assert_int_equal(st.done, 1); /* one step: one attempt */
    st.run_free = true;           /* run to the end */
    pthread_cond_broadcast(&st.cond);
    pthread_mutex_unlock(&st.lock);
    pthread_join(t, NULL);
    assert_true(st.paired);
    assert_int_equal(st.begun, st.done);
    assert_non_null(sym_session_find_module(s, base)->file);
    sym_session_remove_listener(s, id);
    sym_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_settings_versions),
        cmocka_unit_test(test_profile_orders),
        cmocka_unit_test(test_two_sessions_do_not_interfere),
        cmocka_unit_test(test_load_unload_cleanup_many),
        cmocka_unit_test(test_research_reports_changed_winners),
        cmocka_unit_test(test_force_load_and_noisy_log),
        cmocka_unit_test(test_files_added_between_searches),
        cmocka_unit_test(test_step_through),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
