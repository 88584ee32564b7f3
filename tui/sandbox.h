/* A sandbox: a fresh directory under TMPDIR holding a small world of symbol files, built from
 * the PE/PDB pairs embedded in the program (demo_data.c) or from real files, and an optional
 * loopback HTTP symbol server (libmicrohttpd) serving one of its directories. Used by
 * `symscope demo` (demo.c) and by scenarios and lessons (scenario.c).
 *
 * Names given to the sandbox are relative to it; sandbox_rel_ok() says whether one is
 * acceptable (no absolute name, no `..`, no backslash, no empty part). */
#ifndef SYMSCOPE_TUI_SANDBOX_H
#define SYMSCOPE_TUI_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sandbox sandbox;

/* An embedded file (demo_data.c, written by demo_data.cmake). */
struct demo_blob {
    const char *name;
    const unsigned char *data;
    size_t size;
};
typedef struct demo_blob sandbox_blob;

/* The embedded file of that name ("app.exe", "variant/app.pdb", "hello.pd_"), or NULL. */
const sandbox_blob *sandbox_blob_find(const char *name);
/* The embedded files' names, for messages ("app.exe, app.pdb, ..."). */
void sandbox_blob_names(char *out, size_t n);

/* A new sandbox: a directory made with mkdtemp as TMPDIR/<prefix>-XXXXXX (prefix
 * "symscope-demo"), or, when at is given, the directory at (created; it must not exist).
 * NULL with a message in err. */
sandbox *sandbox_create(const char *prefix, const char *at, char *err, size_t err_size);
/* A directory made before by sandbox_create(at) and kept (it holds the marker file
 * SANDBOX_MARKER): used as it is, nothing is built. */
sandbox *sandbox_reuse(const char *at, char *err, size_t err_size);
#define SANDBOX_MARKER ".symscope-sandbox"
/* Stops the server and removes the directory, unless keep. */
void sandbox_free(sandbox *sb, bool keep);

/* The directory, resolved (no link, no trailing slash). */
const char *sandbox_dir(const sandbox *sb);
/* Whether rel is an acceptable sandbox-relative name; why not in err. */
bool sandbox_rel_ok(const char *rel, char *err, size_t err_size);
/* <sandbox>/<rel>, malloc'd. */
char *sandbox_path(const sandbox *sb, const char *rel);
/* Creates the directory <sandbox>/<rel> and its parents. */
bool sandbox_mkdir(const sandbox *sb, const char *rel, char *err, size_t err_size);
/* Writes the new file <sandbox>/<rel>, creating its directories. */
bool sandbox_put(const sandbox *sb, const char *rel, const void *data, size_t size, char *err,
                 size_t err_size);

/* Serves <sandbox>/<rel> (which must exist) under http://127.0.0.1:PORT/symbols. */
bool sandbox_serve(sandbox *sb, const char *rel, char *err, size_t err_size);
/* "http://127.0.0.1:PORT/symbols", or NULL when nothing is served. */
const char *sandbox_url(const sandbox *sb);

/* ---- identities ---- */

typedef struct sandbox_identity {
    unsigned char guid[16]; /* on-disk order: little-endian fields */
    uint32_t age;
} sandbox_identity;

/* A GUID of its own for a name, the same every run (keys stay stable between runs). */
void sandbox_guid_for(const char *name, unsigned char guid[16]);
/* The store key: GUID in upper-case hex, then the age in hex. */
void sandbox_identity_key(const sandbox_identity *id, char key[41]);
/* Reads a PDB's identity (MSF 7.00 with a DBI stream); with set, writes *id into it first
 * (the info stream's GUID and age and the DBI stream's age). */
bool sandbox_pdb_identity(unsigned char *pdb, size_t n, bool set, sandbox_identity *id);
/* Writes the identity and the PDB path cv into an image's RSDS record (cv must fit where the
 * old path was). */
bool sandbox_image_set_cv(unsigned char *image, size_t n, const sandbox_identity *id,
                          const char *cv, char *err, size_t err_size);

#endif
