/* Symbol stores and caches on disk: their inventory, verification against the key directories,
 * moving bad entries aside, and pruning like AgeStore. */
#ifndef SYMSCOPE_CACHE_H
#define SYMSCOPE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "api.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sym_session;

/* X(enum, name, whether it is a fault) */
#define SYM_ENTRY_STATE_LIST(X)                                                                    \
    X(SYM_ENTRY_UNCHECKED, "unchecked", false)                                                     \
    X(SYM_ENTRY_VALID, "valid", false)                                                             \
    X(SYM_ENTRY_POINTER, "pointer", false)          /* file.ptr to a file that matches */          \
    X(SYM_ENTRY_TEMPORARY, "temporary", false)      /* an unfinished write, not at a final name */ \
    X(SYM_ENTRY_FOREIGN, "not-a-store-file", false) /* a name other than file, file_, file.ptr */  \
    X(SYM_ENTRY_MISMATCH, "mismatched", true)       /* identity differs from the key */            \
    X(SYM_ENTRY_EMPTY, "zero-bytes", true)                                                         \
    X(SYM_ENTRY_NOT_SYMBOL, "not-a-symbol-file", true) /* an HTML page, a Breakpad text, ... */    \
    X(SYM_ENTRY_TRUNCATED, "truncated", true)                                                      \
    X(SYM_ENTRY_BROKEN_POINTER, "broken-pointer", true)                                            \
    X(SYM_ENTRY_UNREADABLE, "unreadable", true)

typedef enum sym_entry_state {
#define SYM_X(e, name, fault) e,
    SYM_ENTRY_STATE_LIST(SYM_X)
#undef SYM_X
        SYM_ENTRY_STATE_COUNT
} sym_entry_state;

SYM_API const char *sym_entry_state_name(sym_entry_state s);
SYM_API bool sym_entry_state_is_fault(sym_entry_state s);

typedef struct sym_cache_entry {
    const char *file; /* the symbol file's name: the directory above the key ("ntdll.pdb") */
    const char *key;  /* the key directory's name */
    const char *name; /* the file in the key directory (ntdll.pdb, ntdll.pd_, file.ptr) */
    const char *path; /* its local path */
    uint64_t size;
    time_t mtime;
    time_t used;        /* last use: the later of access and modification times */
    const char *format; /* "pdb70", "cab", "pe", ... or "unknown" (after verification) */
    bool compressed;
    bool pointer;
    sym_entry_state state;
    const char *detail;       /* what is wrong, or the pointer's target; "" when nothing to say */
    struct timespec atime_ns; /* the access time as found, restored after looking */
    bool stale; /* a temporary file older than a minute that no writer holds: left by a kill */
} sym_cache_entry;

typedef struct sym_cache sym_cache;

/* Reads the store at dir (one- or two-tier); verify also checks every entry against its key
 * directory (reading identities; a CAB is decompressed to check its member). */
SYM_API sym_status sym_cache_scan(const char *dir, bool verify, sym_cache **out, sym_error *err);
SYM_API void sym_cache_free(sym_cache *c);
SYM_API const char *sym_cache_dir(const sym_cache *c);
SYM_API int sym_cache_tiers(const sym_cache *c);
SYM_API size_t sym_cache_count(const sym_cache *c);
SYM_API const sym_cache_entry *sym_cache_entry_at(const sym_cache *c, size_t i);
SYM_API uint64_t sym_cache_total_bytes(const sym_cache *c);

/* Moves entry i aside, into <store>/.symscope-bad/ keeping its relative path; *moved_to gets
 * the new path (malloc'd). Nothing is ever deleted. */
SYM_API sym_status sym_cache_quarantine(sym_cache *c, size_t i, char **moved_to, sym_error *err);

/* Removes entry i when it is a stale temporary file (checked again now). */
SYM_API sym_status sym_cache_remove_stale(sym_cache *c, size_t i, sym_error *err);

/* Prunes like AgeStore: entries unused for longer than older_than seconds (0: no age limit),
 * then least recently used first until the store holds at most max_bytes (0: no size limit).
 * Stale temporary files (older than a minute, not locked by a writer) are always removed. Calls
 * removed() for each entry, removed or (with dry_run) to be removed. */
typedef void (*sym_prune_fn)(const sym_cache_entry *e, void *ctx);
SYM_API sym_status sym_cache_prune(sym_cache *c, uint64_t older_than, uint64_t max_bytes,
                                   bool dry_run, sym_prune_fn removed, void *ctx, sym_error *err);

/* The downstream stores and caches the session's current path writes into: cache* elements,
 * every store but the rightmost of srv* chains, and the default downstream store when a chain
 * goes through it. Returns how many; dirs[i] are owned by the session until the path changes. */
SYM_API size_t sym_session_cache_dirs(struct sym_session *s, const char ***dirs);

#ifdef __cplusplus
}
#endif

#endif
