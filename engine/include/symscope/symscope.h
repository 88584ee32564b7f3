/* libsymscope: how DbgHelp and SymSrv find symbol files, as a library.
 * This is the only header a program needs to include.
 *
 * Threads. A session is used from one thread at a time, except for sym_session_cancel(),
 * which any thread may call at any moment. sym_session_resolve() runs searches on threads of
 * its own; listeners are then called from those threads, but never two at once (a session's
 * listeners hear one event at a time, in order per module). Two sessions share nothing: they
 * can be used from two threads freely. The readers (sym_file_inspect) keep no state. */
#ifndef SYMSCOPE_SYMSCOPE_H
#define SYMSCOPE_SYMSCOPE_H

#include "error.h"
#include "identity.h"
#include "fileinfo.h"
#include "event.h"
#include "session.h"
#include "vocab.h"
#include "cache.h"
#include "http.h"
#include "lint.h"
#include "display.h"

#define SYMSCOPE_VERSION_MAJOR 0
#define SYMSCOPE_VERSION_MINOR 1
#define SYMSCOPE_VERSION_PATCH 0

#include "api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "0.1.0" */
SYM_API const char *sym_version(void);

#ifdef __cplusplus
}
#endif

#endif
