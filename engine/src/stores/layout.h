/* The layout of a symbol store (layout.c): key directories, the two-tier prefix, compressed
 * names, file.ptr, index2.txt and pingme.txt. */
#ifndef SYMSCOPE_STORES_LAYOUT_H
#define SYMSCOPE_STORES_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "symscope/identity.h"
#include "symscope/session.h"

#define LAYOUT_INDEX2 "index2.txt" /* in a store's root: the store is two-tier */
#define LAYOUT_PINGME "pingme.txt" /* in a plain directory: the directory is a store */
#define LAYOUT_POINTER "file.ptr"  /* in a key directory: where the file really is */
#define LAYOUT_PTR_MAX 4096        /* the most of a file.ptr that is read */

/* A bare file name that is safe as a path component in a store, in every layout. */
bool layout_name_ok(const char *name);

/* The two-tier prefix of file: its first two characters, lower-cased. */
void layout_tier_prefix(const char *file, char prefix[3]);

/* <file>/<key> (one tier) or <xx>/<file>/<key> (two tiers), relative to a store's root; NULL
 * when the file name is not a bare name. */
char *layout_key_rel(int tiers, const char *file, const sym_identity *id);
/* <root>/<file>/<key> (one tier) or <root>/<xx>/<file>/<key> (two tiers); NULL when the file
 * name is not a bare name. */
char *layout_key_dir(const char *root, int tiers, const char *file, const sym_identity *id);
/* "c:\\myCache\\ntdll.pdb\\<key>\\ntdll.pdb": the file `name` of the key directory, in the
 * notation the store was written in. */
char *layout_location(const sym_store_desc *d, const char *file, const sym_identity *id,
                      const char *name);

/* "ntdll.pd_": the name a compressed file is stored under. False when it does not fit. */
bool layout_compressed_name(const char *file, char *out, size_t n);
/* Whether name is the compressed name of file (any letter case). */
bool layout_is_compressed_of(const char *name, const char *file);

/* The names a key directory is asked for, in order, and the rule of each: the file, its
 * compressed name, file.ptr; favor_compressed puts the compressed name first. prefix names
 * the rules ("store": store, store-compressed, store-pointer; "http": http, ...). */
typedef struct layout_names {
    char compressed[256];
    const char *name[3];
    char rule[3][32];
} layout_names;
void layout_key_names(layout_names *n, const char *file, bool favor_compressed, const char *prefix);

/* Whether dir holds an entry called name, in any letter case (stores copied from Windows spell
 * pingme.txt and index2.txt as they like). */
bool layout_dir_has(const char *dir, const char *name);
/* 2 when the store at root is two-tier (index2.txt, any case), else 1. */
int layout_tiers(const char *root);

/* A file.ptr's first line: a small regular file only (never a FIFO or a device); NULL when it
 * cannot be read. */
char *layout_pointer_text(const char *path);
/* A file.ptr read: "PATH:<target>" or "<target>" gives the target, "MSG:<text>" the message
 * (*is_msg). NULL when it cannot be read. */
char *layout_read_pointer(const char *path, bool *is_msg);

#endif
