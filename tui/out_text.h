/* Printing text that came from files, servers or the user: every line goes through
 * sym_display_text(), so a name cannot move the cursor, ring the bell, forge a line of its own
 * or show a password. */
#ifndef SYMSCOPE_OUT_TEXT_H
#define SYMSCOPE_OUT_TEXT_H

#include <stdio.h>

#if defined(__GNUC__)
#define OUT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define OUT_PRINTF(a, b)
#endif

/* Formats, makes the result safe (a newline in it becomes "\n") and writes it, then a
 * newline. */
void out_line(FILE *f, const char *fmt, ...) OUT_PRINTF(2, 3);

/* The same without the final newline (a line printed in parts). */
void out_text(FILE *f, const char *fmt, ...) OUT_PRINTF(2, 3);

#endif
