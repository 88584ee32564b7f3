/* Bounded reads from a file or a memory buffer. Every read is checked against the size and
 * counted, so readers can prove how little of a file they touched. */
#ifndef SYMSCOPE_READER_H
#define SYMSCOPE_READER_H

#include <stdint.h>

#include "symscope/error.h"

/* Small reads of a file go through a few cached blocks: a PE's headers, its debug directory
 * and a PDB's superblock and directory map are a handful of system calls, not dozens. */
#define READER_BLOCK 4096
#define READER_BLOCKS 8

typedef struct reader_cache {
    uint8_t data[READER_BLOCKS][READER_BLOCK];
    uint64_t off[READER_BLOCKS]; /* block-aligned offset; UINT64_MAX when empty */
    unsigned used[READER_BLOCKS];
    unsigned clock;
} reader_cache;

typedef struct reader {
    int fd;             /* -1 when reading memory */
    const uint8_t *mem; /* NULL when reading a file */
    uint64_t size;
    uint64_t bytes_read; /* what the readers asked for: how little of the file they touched */
    const char *name;    /* for messages */
    uint64_t max_member; /* the largest CAB member decompressed from it (0: the default) */
    reader_cache *cache;
} reader;

/* Opens path for reading. Directories, missing, unreadable and empty files are errors that
 * name the file. */
sym_status reader_open(reader *r, const char *path, sym_error *err);
void reader_init_mem(reader *r, const void *data, uint64_t size, const char *name);
void reader_close(reader *r);
/* Frees what the reader holds but leaves a descriptor it was given open. */
void reader_release(reader *r);

/* Reads exactly len bytes at off into buf; `what` names the structure for the message when
 * the range runs past the end. */
sym_status reader_read(reader *r, uint64_t off, void *buf, size_t len, const char *what,
                       sym_error *err);

/* True when [off, off+len) lies inside the file. */
static inline int reader_has(const reader *r, uint64_t off, uint64_t len)
{
    return off <= r->size && len <= r->size - off;
}

#endif
