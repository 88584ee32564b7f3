/* Why a module ended as it did, and what would change it, in one line each: the words of
 * `symscope find`'s summary and of the terminal UI's module view. Both are built from a module
 * and the attempts of its last search, so any listener that kept copies can ask. */
#ifndef SYMSCOPE_EXPLAIN_H
#define SYMSCOPE_EXPLAIN_H

#include <stddef.h>

#include "api.h"
#include "event.h"
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SYM_FIX_KIND_LIST(X)                                                                       \
    X(SYM_FIX_NONE, "none")           /* matched symbols: nothing to do */                         \
    X(SYM_FIX_NO_RECORD, "no-record") /* the image names no symbol file: rebuild with /DEBUG */    \
    X(SYM_FIX_TAKE_MISMATCH, "take-mismatch") /* load_anything (or a force-load) takes it */       \
    X(SYM_FIX_MAP, "map")         /* an element was skipped; arg: the drive or share to map */     \
    X(SYM_FIX_PLACE, "place")     /* arg: where the wanted file would be found first */            \
    X(SYM_FIX_ACCESS, "access")   /* arg: the file that could not be read */                       \
    X(SYM_FIX_REPLACE, "replace") /* arg: the file with bad content */                             \
    X(SYM_FIX_QUIRK, "quirk")     /* DbgHelp's own failure: the fix its quirk attempt names */

typedef enum sym_fix_kind {
#define SYM_X(e, name) e,
    SYM_FIX_KIND_LIST(SYM_X)
#undef SYM_X
} sym_fix_kind;

#define SYM_EXPLAIN_MAX 2048

typedef struct sym_fix {
    sym_fix_kind kind;
    char arg[SYM_EXPLAIN_MAX];  /* see the kinds; "" when none */
    char text[SYM_EXPLAIN_MAX]; /* in the command line's words ("use --map C:=DIR") */
} sym_fix;

SYM_API const char *sym_fix_kind_name(sym_fix_kind k);

/* The one-line why: where the file came from ("c:\\x\\a.pdb (element 1)"), or why none was
 * taken ("mismatched a.pdb at ...: wants K1, found K2", "not found in 20 places; skipped
 * C:\\Symbols: drive C: is not mapped ..."). att: the n attempts of the last search, in order.
 * Returns the length written (cut to size). */
SYM_API size_t sym_explain_why(const sym_module_info *m, const sym_attempt *att, size_t n,
                               char *out, size_t size);

/* The suggestion that would change the result, chosen from the same attempts. */
SYM_API void sym_explain_fix(const sym_module_info *m, const sym_attempt *att, size_t n,
                             sym_fix *out);

#ifdef __cplusplus
}
#endif

#endif
