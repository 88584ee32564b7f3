/* Shared helpers for the cmocka tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test_util.h"

static char path_buf[4][4096];
static int path_next;

static const char *join(const char *dir, const char *name)
{
    char *p = path_buf[path_next++ % 4];
    snprintf(p, sizeof path_buf[0], "%s/%s", dir, name);
    return p;
}

const char *fixture_path(const char *name)
{
    const char *dir = getenv("SYMSCOPE_FIXTURES");
    if (!dir)
        fail_msg("SYMSCOPE_FIXTURES is not set (run the tests through ctest)");
    return join(dir, name);
}

const char *corpus_path(const char *rel)
{
    const char *dir = getenv("SYMSCOPE_CORPUS");
    struct stat st;
    if (!dir || stat(dir, &st) != 0) {
        printf("SKIPPED: corpus not found at %s; corpus checks of this test skipped\n",
               dir ? dir : "(SYMSCOPE_CORPUS unset)");
        return NULL;
    }
    return join(dir, rel);
}

uint8_t *read_whole(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return buf;
}

void test_tmpdir(char buf[64], const char *what)
{
    snprintf(buf, 64, "/tmp/symscope-%s-XXXXXX", what);
    assert_non_null(mkdtemp(buf));
}

int test_rmtree(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}
