/* Shared helpers for the cmocka tests: where fixtures and the corpus are, reading files. */
#ifndef SYMSCOPE_TEST_UTIL_H
#define SYMSCOPE_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* $SYMSCOPE_FIXTURES/<name>; fails the test when the fixtures directory is not set. */
const char *fixture_path(const char *name);
/* $SYMSCOPE_CORPUS/<rel>, or NULL (with a visible "skipped" line) when the corpus is absent. */
const char *corpus_path(const char *rel);
/* Whole file in a malloc'd buffer; fails the test on error. */
uint8_t *read_whole(const char *path, size_t *size);

/* A fresh directory /tmp/symscope-<what>-XXXXXX in buf (64 bytes); fails the test when it
 * cannot be made. */
void test_tmpdir(char buf[64], const char *what);
/* Removes it and everything below it; 0 on success. */
int test_rmtree(const char *dir);

#endif
