/* Cancelling HTTP work: one module, then everything, while the server takes 30 s to answer.
 * Talks to tests/tools/symserver.py on 127.0.0.1. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "symscope/symscope.h"
#include "test_util.h"

static char tmpdir[64];
static FILE *server;
static int port;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int setup(void **state)
{
    strcpy(tmpdir, "/tmp/symscope-cancel-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/served && echo '{\"/syms/*\": {\"first_byte_delay\": 30}}' "
             "> %s/faults.json",
             tmpdir, tmpdir);
    assert_int_equal(system(cmd), 0);
    const char *src = getenv("SYMSCOPE_SOURCE");
    assert_non_null(src);
    snprintf(cmd, sizeof cmd,
             "exec python3 %s/tests/tools/symserver.py --root %s/served --faults %s/faults.json"
             " --die-with-parent",
             src, tmpdir, tmpdir);
    server = popen(cmd, "r");
    assert_non_null(server);
    assert_int_equal(fscanf(server, "port %d", &port), 1);
    return 0;
}

static int teardown(void **state)
{
    /* The server is killed with its process group by the shell below. */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "pkill -f 'symserver.py --root %s' ; rm -rf '%s'", tmpdir, tmpdir);
    int rc = system(cmd);
    pclose(server);
    return rc < 0;
}

typedef struct run {
    sym_session *s;
    double seconds;
} run;

/* Which modules' searches have ended, heard from the engine's threads. */
typedef struct ended {
    pthread_mutex_t lock;
    uint64_t bases[8];
    size_t n;
} ended;

static void on_event(const sym_event *ev, void *ctx)
{
    ended *e = ctx;
    if (ev->kind != SYM_EV_SEARCH_END || !ev->module)
        return;
    pthread_mutex_lock(&e->lock);
    if (e->n < 8)
        e->bases[e->n++] = ev->module->base;
    pthread_mutex_unlock(&e->lock);
}

static bool has_ended(ended *e, uint64_t base)
{
    pthread_mutex_lock(&e->lock);
    bool found = false;
    for (size_t i = 0; i < e->n; i++)
        found = found || e->bases[i] == base;
    pthread_mutex_unlock(&e->lock);
    return found;
}

static void *resolve(void *arg)
{
    run *r = arg;
    sym_error err;
    double t0 = now();
    assert_int_equal(sym_session_resolve(r->s, 3, &err), SYM_OK);
    r->seconds = now() - t0;
    return NULL;
}

static void test_cancel_one_then_all(void **state)
{
    sym_session *s;
    sym_error err;
    char path[512], home[128];
    snprintf(path, sizeof path, "srv*%s/down*http://127.0.0.1:%d/syms", tmpdir, port);
    snprintf(home, sizeof home, "%s/home", tmpdir);
    assert_int_equal(sym_session_create(&s, &err), SYM_OK);
    ended done = {.n = 0};
    pthread_mutex_init(&done.lock, NULL);
    sym_session_add_listener(s, on_event, &done);
    assert_int_equal(sym_session_set_home(s, home, &err), SYM_OK);
    sym_http_settings h;
    sym_http_settings_default(&h);
    h.first_byte_timeout_ms = 120000;
    h.low_speed_bytes = 0;
    h.retries = 0;
    assert_int_equal(sym_session_set_http(s, &h, &err), SYM_OK);
    assert_int_equal(sym_session_set_option(s, SYM_OPT_DEFERRED_LOADS, true, &err), SYM_OK);
    assert_int_equal(sym_session_initialize(s, path, &err), SYM_OK);
    uint64_t bases[3];
    const char *keys[3] = {"a.pdb/0000000A000B000C0D0E0F10111213141",
                           "b.pdb/0000000A000B000C0D0E0F10111213142",
                           "c.pdb/0000000A000B000C0D0E0F10111213143"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(sym_session_load_key(s, keys[i], &bases[i], &err), SYM_OK);
    run r = {.s = s};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, resolve, &r), 0);
    usleep(500 * 1000);
    sym_session_cancel(s, bases[0]);
    /* The first module's search ends (cancelled) within a second or two; the others still
     * wait for the server, which answers after 30 s. */
    for (int i = 0; i < 40 && !has_ended(&done, bases[0]); i++)
        usleep(100 * 1000);
    assert_true(has_ended(&done, bases[0]));
    assert_false(has_ended(&done, bases[1]));
    assert_false(has_ended(&done, bases[2]));
    sym_session_cancel(s, 0);
    pthread_join(t, NULL);
    assert_true(r.seconds < 10.0);
    for (int i = 0; i < 3; i++) {
        size_t n = sym_session_attempt_count(s, bases[i]);
        assert_true(n > 0);
        bool cancelled = false;
        for (size_t k = 0; k < n; k++) {
            const sym_attempt *a = sym_session_attempt(s, bases[i], k);
            cancelled =
                cancelled || (a->outcome == SYM_OUT_SKIPPED && strcmp(a->detail, "cancelled") == 0);
        }
        assert_true(cancelled);
        assert_int_equal(sym_session_find_module(s, bases[i])->symbols, SYM_CLASS_NONE);
    }
    sym_session_free(s);
    pthread_mutex_destroy(&done.lock);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_cancel_one_then_all)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
