/* Safe writes into symbol stores (decisions.md 4). */
#ifndef SYMSCOPE_STORE_WRITE_H
#define SYMSCOPE_STORE_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "symscope/error.h"
#include "stores/layout.h"
#include "symscope/identity.h"

typedef struct store_put_args {
    const char *root; /* the store's local directory */
    int tiers;
    const char *file;     /* the symbol file's name ("ntdll.pdb"), bare */
    sym_identity id;      /* the key; also what a decompressed or plain file must match */
    const char *src;      /* the file to copy */
    bool extract;         /* src is a CAB: write its first member */
    bool keep_compressed; /* write src as it is under the compressed name (file.pd_) */
    bool move;            /* src is a temporary file of ours: rename it instead of copying */
    uint64_t max_size;    /* the largest file decompressed into the store (0: the default) */
} store_put_args;

/* Creates a store directory (and its parents) if it does not exist. */
sym_status store_mkdir(const char *dir);

/* Writes src into the store at its key directory. On success *final_path is the file's final
 * local path (malloc'd) and *bytes its size. */
sym_status store_put(const store_put_args *a, char **final_path, uint64_t *bytes, sym_error *err);

#endif
