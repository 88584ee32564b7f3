/* Bounded reads from a file or a memory buffer. Every read is checked against the size and
 * counted, so readers can prove how little of a file they touched. */
#ifndef SYMSCOPE_READER_H
#define SYMSCOPE_READER_H

#include <stdint.h>

#include "symscope/error.h"

/* Small reads of a file go through a few cached blocks: a PE's headers, its debug directory
 * and a PDB's superblock and directory map are a handful of system calls, not dozens. */
#define SYM_READER_BLOCK 4096
#define SYM_READER_BLOCKS 8

typedef struct sym_reader_cache {
    uint8_t data[SYM_READER_BLOCKS][SYM_READER_BLOCK];
    uint64_t off[SYM_READER_BLOCKS]; /* block-aligned offset; UINT64_MAX when empty */
    unsigned used[SYM_READER_BLOCKS];
    unsigned clock;
} sym_reader_cache;

typedef struct sym_reader {
    int fd;             /* -1 when reading memory */
    const uint8_t *mem; /* NULL when reading a file */
    uint64_t size;
    uint64_t bytes_read; /* what the readers asked for: how little of the file they touched */
    const char *name;    /* for messages */
    uint64_t max_member; /* the largest CAB member decompressed from it (0: the default) */
    sym_reader_cache *cache;
} sym_reader;

/* Opens path for reading. Directories, missing, unreadable and empty files are errors that
 * name the file. */
sym_status sym_reader_open(sym_reader *r, const char *path, sym_error *err);
void sym_reader_init_mem(sym_reader *r, const void *data, uint64_t size, const char *name);
void sym_reader_close(sym_reader *r);
/* Frees what the reader holds but leaves a descriptor it was given open. */
void sym_reader_release(sym_reader *r);

/* Reads exactly len bytes at off into buf; `what` names the structure for the message when
 * the range runs past the end. */
sym_status sym_reader_read(sym_reader *r, uint64_t off, void *buf, size_t len, const char *what,
                           sym_error *err);

/* True when [off, off+len) lies inside the file. */
static inline int sym_reader_has(const sym_reader *r, uint64_t off, uint64_t len)
{
    return off <= r->size && len <= r->size - off;
}

#endif
