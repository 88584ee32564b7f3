/* Path lint: what in a symbol path will not work as its author meant, and the fix. */
#ifndef SYMSCOPE_LINT_H
#define SYMSCOPE_LINT_H

#include <stddef.h>

#include "api.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sym_session;

/* X(enum, name) -- the kinds of finding. */
#define SYM_LINT_LIST(X)                                                                           \
    X(SYM_LINT_UNMAPPED, "unmapped")                     /* a drive or share with no mapping */    \
    X(SYM_LINT_MISSING, "missing")                       /* a directory that does not exist */     \
    X(SYM_LINT_DUPLICATE, "duplicate")                   /* the same place twice */                \
    X(SYM_LINT_CACHE_AFTER_STORES, "cache-after-stores") /* cache* after what it caches */         \
    X(SYM_LINT_NO_DOWNSTREAM, "no-downstream")           /* a server with no store of one's own */ \
    X(SYM_LINT_INVALID, "invalid")                       /* an element that cannot be used */      \
    X(SYM_LINT_UNREACHABLE, "unreachable")               /* never searched by this profile */      \
    X(SYM_LINT_ALT_REPEATS, "alt-repeats")               /* _NT_ALT_SYMBOL_PATH repeats */         \
    X(SYM_LINT_QUERY_STRING, "query-string")             /* a store URL with '?' */

typedef enum sym_lint_kind {
#define SYM_X(e, name) e,
    SYM_LINT_LIST(SYM_X)
#undef SYM_X
        SYM_LINT_COUNT
} sym_lint_kind;

typedef struct sym_lint {
    sym_lint_kind kind;
    int element;         /* index into the parsed path; -1 for the path as a whole */
    const char *message; /* what is wrong, naming the element */
    const char *fix;     /* what to do about it */
} sym_lint;

/* The findings for the session's current path and profile (*out: an array of *count, freed
 * with sym_lint_free). */
SYM_API int sym_session_lint(const struct sym_session *s, sym_lint **out, size_t *count);
SYM_API void sym_lint_free(sym_lint *l, size_t count);
SYM_API const char *sym_lint_kind_name(sym_lint_kind k);

#ifdef __cplusplus
}
#endif

#endif
