/* What the search asks of the stores: one element's query, the copies into caches, and the
 * helpers both rule sets share. Two rule sets: the documentation's reading (documented.c) and
 * what SymSrv 10.0.18362 was recorded doing (symsrv.c). */
#ifndef SYMSCOPE_STORES_STORES_H
#define SYMSCOPE_STORES_STORES_H

#include "stores/chain.h"
#include "stores/layout.h"
#include "stores/lookup.h"
#include "stores/store_http.h"

/* ---- local.c: the local store backend ---- */

/* The key directory of file in a local store, found case-insensitively; NULL when absent. */
char *store_find_key_dir(lookup *sr, const chain_store *cs, const char *file, const char *key);

/* Probes one local store as the documentation reads it: the key directory's names in order,
 * each checked. True with *hit filled when a usable file was found (download_dir unused). */
bool local_probe(lookup *sr, int element, const chain_store *cs, const char *download_dir,
                 store_hit *hit);

/* Follows file.ptr (and pointers it points to) to a file; relative targets are relative to
 * dir. On failure fills *outcome and *detail. */
char *store_follow_pointer(lookup *sr, const char *ptr_path, const char *dir, sym_outcome *outcome,
                           char **detail, char **target_text);

/* False (with a skipped attempt) when the module's file name cannot be used in a store. */
bool store_guard_name(lookup *sr, int element);

/* ---- documented.c: the documentation's reading ---- */

/* Looks the module's file up in element e (srv*, cache* or a pingme.txt store). */
void store_search_element(lookup *sr, int element_index);
/* Copies the winner into every cache element met so far ("cached to" / "already cached"),
 * and opens it from the first cache that holds it. */
void store_cache_winner(lookup *sr);

/* ---- symsrv.c: SymSrv 10's rules ---- */

/* One SymSrv query for element e (srv*, cache* or a pingme.txt store). */
void symsrv_search_element(lookup *sr, int element_index);
/* Copies the winner into the caches met, as DbgHelp does ("cached to"). */
void symsrv_cache_winner(lookup *sr);
/* A module loaded without its image's file handle: DbgHelp opens the image by its name, then
 * copies it into the caches of the path; the first copy's directory is the image directory. */
void symsrv_image_without_handle(lookup *sr);

#endif
