/* Case-insensitive file lookup on Linux (stores and symbol trees copied from Windows mix
 * letter case freely). Each directory is listed once per session while it is unchanged. */
#ifndef SYMSCOPE_FSDIR_H
#define SYMSCOPE_FSDIR_H

#include <stdbool.h>
#include <stddef.h>

typedef enum fsdir_result {
    FSDIR_FOUND,
    FSDIR_NOT_FOUND, /* the directory was listed; no entry of that name */
    FSDIR_NO_DIR,    /* the directory does not exist (or is not a directory) */
    FSDIR_DENIED,    /* the directory cannot be listed */
    FSDIR_LOOP,      /* a symbolic link loop */
    FSDIR_ERROR,     /* anything else (too long, out of memory, I/O) */
} fsdir_result;

typedef struct fsdir_cache fsdir_cache;

fsdir_cache *fsdir_cache_new(void);
void fsdir_cache_free(fsdir_cache *c);
/* How many directories were listed (for benchmarks and tests). */
size_t fsdir_cache_listings(const fsdir_cache *c);
/* A new search pass: each directory's modification time is compared again (once) before its
 * listing is used. */
void fsdir_cache_begin(fsdir_cache *c);
/* Watches listed directories with inotify from now on (where it is available): a change is
 * seen as it happens, and unchanged directories need no look at all. False when unavailable
 * (modification times are compared, as without it). */
bool fsdir_cache_watch(fsdir_cache *c);
/* The session wrote under root: its directories are listed again when next looked in. */
void fsdir_cache_forget(fsdir_cache *c, const char *root);

/* Looks up name in dir, ignoring case. On FSDIR_FOUND *path is the real path (malloc'd) and
 * *is_dir says whether it is a directory. */
fsdir_result fsdir_find(fsdir_cache *c, const char *dir, const char *name, char **path,
                        bool *is_dir);

const char *fsdir_result_text(fsdir_result r);

#endif
