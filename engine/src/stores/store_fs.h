/* File operations below a store's root that never follow a symbolic link: every directory
 * under the root is opened with O_NOFOLLOW from its parent's descriptor, and files are
 * created, renamed and removed relative to those descriptors. The root itself is the user's
 * choice and may be a link. */
#ifndef SYMSCOPE_STORE_FS_H
#define SYMSCOPE_STORE_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "symscope/error.h"

/* Opens the directory rel ("a/b/c", "" for the root) below root. With create, missing
 * directories (and the root) are made. A link, or anything that is not a directory, on the
 * way is an error naming it. Returns the descriptor, or -1 with err set. */
int storefs_open_dir(const char *root, const char *rel, bool create, sym_error *err);

/* The length of a temporary name made by storefs_create_temp, and its prefix: short, so that
 * a name of 255 bytes can still be written through one. */
#define STOREFS_TEMP_PREFIX ".symscope-"
#define STOREFS_TEMP_LEN 16

/* Creates a new file (never an existing one, never through a link) with a temporary name in
 * dirfd; name receives it. Returns the descriptor, or -1 with err set. */
int storefs_create_temp(int dirfd, char name[STOREFS_TEMP_LEN + 1], const char *where,
                        sym_error *err);

/* Whether this process may create files in dir, or (when dir does not exist yet) create it
 * in its nearest existing parent: a read-only store is known before a download starts. */
bool storefs_writable(const char *dir);

/* Splits path into the directory below root and the last name, when path lies below root
 * (textually). *rel and *name are malloc'd. */
bool storefs_split(const char *root, const char *path, char **rel, char **name);

/* mkdir -p for a directory the user named (a store's root: links in it are the user's own). */
sym_status storefs_make_dirs(const char *dir, sym_error *err);

/* The status for an errno from the file system (permission, absence, anything else). */
sym_status storefs_errno_status(int e);

#endif
