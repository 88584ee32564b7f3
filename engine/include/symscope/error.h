/* Status codes and error messages shared by every engine call. */
#ifndef SYMSCOPE_ERROR_H
#define SYMSCOPE_ERROR_H

#include <stddef.h>

#include "api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(enum, short name used in JSON, human text) */
#define SYM_STATUS_LIST(X)                                                                         \
    X(SYM_OK, "ok", "success")                                                                     \
    X(SYM_E_ARG, "bad-argument", "invalid argument")                                               \
    X(SYM_E_NOMEM, "no-memory", "out of memory")                                                   \
    X(SYM_E_NOENT, "not-found", "no such file or directory")                                       \
    X(SYM_E_ACCESS, "denied", "permission denied")                                                 \
    X(SYM_E_ISDIR, "is-directory", "is a directory")                                               \
    X(SYM_E_IO, "io", "input/output error")                                                        \
    X(SYM_E_EMPTY, "empty", "file is empty")                                                       \
    X(SYM_E_TRUNCATED, "truncated", "file is truncated")                                           \
    X(SYM_E_FORMAT, "bad-format", "malformed file")                                                \
    X(SYM_E_UNKNOWN_FORMAT, "unknown-format", "not a PE, PDB, DBG, minidump or CAB file")          \
    X(SYM_E_UNSUPPORTED, "unsupported", "unsupported feature")                                     \
    X(SYM_E_TOO_LARGE, "too-large", "too large")                                                   \
    X(SYM_E_DRY_RUN, "dry-run", "not written: a dry run")

typedef enum sym_status {
#define SYM_X_ENUM(e, name, text) e,
    SYM_STATUS_LIST(SYM_X_ENUM)
#undef SYM_X_ENUM
        SYM_STATUS_COUNT
} sym_status;

/* Filled by every call that can fail: the code and a message that names the input and says
 * what is wrong with it. */
typedef struct sym_error {
    sym_status status;
    char message[512];
} sym_error;

SYM_API const char *sym_status_name(sym_status status);
SYM_API const char *sym_status_text(sym_status status);

/* Clears an error record (status SYM_OK, empty message). */
SYM_API void sym_error_clear(sym_error *err);

#ifdef __cplusplus
}
#endif

#endif
