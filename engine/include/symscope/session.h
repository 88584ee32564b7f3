/* A symbol session: DbgHelp's SymInitialize / SymSetSearchPath / SymGetSearchPath /
 * SymLoadModuleEx / SymUnloadModule64 / SymCleanup, on an opaque handle.
 *
 * Sessions share nothing: two sessions in one process never interfere. A session is used from
 * one thread at a time; listeners are called on the thread that runs the search. */
#ifndef SYMSCOPE_SESSION_H
#define SYMSCOPE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api.h"
#include "error.h"
#include "event.h"
#include "identity.h"
#include "vocab.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sym_session sym_session;

/* ---- path elements, as parsed (interface.md "path --json") ---- */

#define SYM_ELEM_KIND_LIST(X)                                                                      \
    X(SYM_ELEM_STANDARD, "standard")                                                               \
    X(SYM_ELEM_STORE, "store") /* a plain directory with pingme.txt */                             \
    X(SYM_ELEM_SRV, "srv")                                                                         \
    X(SYM_ELEM_CACHE, "cache")

typedef enum sym_elem_kind {
#define SYM_X(e, name) e,
    SYM_ELEM_KIND_LIST(SYM_X)
#undef SYM_X
} sym_elem_kind;

#define SYM_ELEM_SOURCE_LIST(X)                                                                    \
    X(SYM_SRC_ARGUMENT, "argument")                                                                \
    X(SYM_SRC_NT_SYMBOL_PATH, "_NT_SYMBOL_PATH")                                                   \
    X(SYM_SRC_NT_ALT_SYMBOL_PATH, "_NT_ALT_SYMBOL_PATH")                                           \
    X(SYM_SRC_DEFAULT, "default")

typedef enum sym_elem_source {
#define SYM_X(e, name) e,
    SYM_ELEM_SOURCE_LIST(SYM_X)
#undef SYM_X
} sym_elem_source;

#define SYM_ELEM_STATE_LIST(X)                                                                     \
    X(SYM_STATE_OK, "ok")                                                                          \
    X(SYM_STATE_MISSING, "missing")                                                                \
    X(SYM_STATE_UNMAPPED, "unmapped")                                                              \
    X(SYM_STATE_UNSUPPORTED, "unsupported")                                                        \
    X(SYM_STATE_UNREACHABLE, "unreachable")                                                        \
    X(SYM_STATE_DISABLED, "disabled")                                                              \
    X(SYM_STATE_INVALID, "invalid")

typedef enum sym_elem_state {
#define SYM_X(e, name) e,
    SYM_ELEM_STATE_LIST(SYM_X)
#undef SYM_X
} sym_elem_state;

typedef enum sym_store_type { SYM_STORE_LOCAL, SYM_STORE_HTTP } sym_store_type;

typedef struct sym_store_desc {
    const char *location; /* as written ("" for the default downstream store) */
    const char *local;    /* the local directory it maps to; NULL for HTTP or unmapped */
    sym_store_type type;
    int tiers;            /* 1 or 2 (index2.txt) */
    sym_elem_state state; /* ok, missing, unmapped, unreachable */
    bool is_default;      /* the default downstream store (<home>/sym) */
    const char *reason;   /* why the state is not ok; NULL when ok */
} sym_store_desc;

typedef struct sym_element_desc {
    size_t index;
    const char *text; /* as written, trimmed */
    sym_elem_kind kind;
    sym_elem_source source;
    sym_elem_state state;
    const char *local;  /* standard elements and auto-detected stores: the local directory */
    const char *reason; /* why the state is not ok; NULL when ok */
    size_t n_stores;
    const sym_store_desc *stores; /* srv chains, cache and pingme stores */
    bool enabled;
} sym_element_desc;

SYM_API const char *sym_elem_kind_name(sym_elem_kind k);
SYM_API const char *sym_elem_source_name(sym_elem_source s);
SYM_API const char *sym_elem_state_name(sym_elem_state s);

/* ---- modules ---- */

#define SYM_MODSTATE_LIST(X)                                                                       \
    X(SYM_MOD_DEFERRED, "deferred")                                                                \
    X(SYM_MOD_LOADED, "loaded")                                                                    \
    X(SYM_MOD_UNLOADED, "unloaded")

typedef enum sym_module_state {
#define SYM_X(e, name) e,
    SYM_MODSTATE_LIST(SYM_X)
#undef SYM_X
} sym_module_state;

SYM_API const char *sym_module_state_name(sym_module_state s);

typedef struct sym_module_info {
    const char *name;       /* module name: the image name without its extension ("ntdll") */
    const char *image;      /* the image file read (absolute), NULL for FILE/KEY and dump modules */
    const char *image_name; /* the image's file name as the module records it ("ntdll.dll") */
    uint64_t base;
    uint32_t size;
    sym_module_state state;
    sym_identity image_id;   /* timestamp + size; SYM_ID_NONE when unknown */
    sym_identity wanted;     /* the symbol file it needs (PDB, .dbg or image) */
    const char *wanted_file; /* its file name ("ntdll.pdb") */
    const char *cv_path;     /* PDB path in the CodeView record, NULL when none */
    sym_symclass symbols;
    bool unmatched;         /* a mismatched file was accepted */
    const char *file;       /* the local file loaded, NULL when none */
    const char *location;   /* the same in the user's notation */
    int element;            /* path element that supplied it, -1 when none/not an element */
    sym_step step;          /* which step supplied it */
    size_t n_attempts;      /* attempts of the last search */
    char status_letters[8]; /* WinDbg lm letters: M mismatch accepted, # ..., "" */
} sym_module_info;

/* One module's winner before and after a re-search (after the path changed). */
typedef struct sym_winner_change {
    uint64_t base;
    const char *name;
    int old_element, new_element; /* -1: none */
    const char *old_file, *new_file;
    sym_symclass old_symbols, new_symbols;
} sym_winner_change;

/* ---- the session ---- */

/* A new session, not yet initialised (like a fresh process handle). */
SYM_API sym_status sym_session_create(sym_session **out, sym_error *err);
/* Frees everything, initialised or not. NULL is fine. */
SYM_API void sym_session_free(sym_session *s);

/* Settings that apply before initialisation (and may change after). */
SYM_API sym_status sym_session_set_profile(sym_session *s, sym_profile p, sym_error *err);
SYM_API sym_profile sym_session_profile(const sym_session *s);
/* The order in which profile p takes the steps of a search (its table, decisions.md 1). */
SYM_API void sym_profile_order(sym_profile p, sym_step order[SYM_STEP_COUNT]);
SYM_API sym_status sym_session_set_option(sym_session *s, sym_option o, bool on, sym_error *err);
SYM_API bool sym_session_option(const sym_session *s, sym_option o);
/* Maps a drive ("C:") or a UNC share ("\\server\share") to a local directory. */
SYM_API sym_status sym_session_add_mapping(sym_session *s, const char *from, const char *dir,
                                           sym_error *err);
/* The home directory; the default downstream store is <home>/sym. Default: decisions.md 3. */
/* Removes the mapping of a drive or share (the path is parsed again). */
SYM_API sym_status sym_session_remove_mapping(sym_session *s, const char *from, sym_error *err);
SYM_API sym_status sym_session_set_home(sym_session *s, const char *dir, sym_error *err);
SYM_API const char *sym_session_home(const sym_session *s);
/* The session's own copy of an environment variable (_NT_SYMBOL_PATH, _NT_ALT_SYMBOL_PATH).
 * Sessions start with the process environment's values; value NULL unsets. */
SYM_API sym_status sym_session_setenv(sym_session *s, const char *name, const char *value,
                                      sym_error *err);
/* The directory relative path elements are resolved against; default: the current one. */
SYM_API sym_status sym_session_set_cwd(sym_session *s, const char *dir, sym_error *err);

/* Listeners receive every event (see event.h). Returns an id for removal. */
SYM_API int sym_session_add_listener(sym_session *s, sym_listener_fn fn, void *ctx);
SYM_API void sym_session_remove_listener(sym_session *s, int id);

/* SymInitialize: path NULL = the profile's default path from the environment. A second call
 * on an initialised session succeeds and changes nothing, as native DbgHelp does. */
SYM_API sym_status sym_session_initialize(sym_session *s, const char *path, sym_error *err);
SYM_API bool sym_session_initialized(const sym_session *s);
/* SymSetSearchPath: NULL = the default path. Nothing is searched again by itself. */
SYM_API sym_status sym_session_set_path(sym_session *s, const char *path, sym_error *err);
/* SymGetSearchPath: the path exactly as set (the default path, built, when set with NULL). */
SYM_API const char *sym_session_get_path(const sym_session *s);
/* The expanded path as WinDbg's .sympath shows it. */
SYM_API const char *sym_session_expanded_path(const sym_session *s);

SYM_API size_t sym_session_element_count(const sym_session *s);
SYM_API const sym_element_desc *sym_session_element(const sym_session *s, size_t index);
SYM_API sym_status sym_session_set_element_enabled(sym_session *s, size_t index, bool enabled,
                                                   sym_error *err);

/* SymLoadModuleEx on an image file. base 0: the image's preferred base, moved up to the next
 * free address when another module sits there. *out_base gets the base used. */
/* Whether images are loaded with their file handle (the default), or as SymLoadModuleEx with
 * hFile NULL: then DbgHelp opens the image by its name itself, and copies it into every
 * cache* element of the path, whose copy's directory becomes the image's directory. */
SYM_API void sym_session_set_image_handle(sym_session *s, bool given);
/* Directory listings are kept while a directory is unchanged, which is checked by its
 * modification time at each search pass; for a long session (a UI) this watches them with
 * inotify instead, where available (false when not). */
SYM_API bool sym_session_watch_dirs(sym_session *s);
/* Searches list every place where the symbol file would be found, in order, as if each were
 * empty: nothing is read, asked or written (symscope where). */
SYM_API void sym_session_set_plan(sym_session *s, bool on);
SYM_API sym_status sym_session_load_image(sym_session *s, const char *path, uint64_t base,
                                          uint64_t *out_base, sym_error *err);
/* Every module of a minidump (at the bases the dump records). */
SYM_API sym_status sym_session_load_dump(sym_session *s, const char *path, size_t *n_loaded,
                                         sym_error *err);
/* Store notation: "crash.pdb/<key>", "crash.exe/<key>", "foo.dbg/<key>". */
SYM_API sym_status sym_session_load_key(sym_session *s, const char *file_key, uint64_t *out_base,
                                        sym_error *err);
/* Any of the three, told apart as `symscope find` does: FILE/KEY, minidump, or image. */
SYM_API sym_status sym_session_load(sym_session *s, const char *module, size_t *n_loaded,
                                    sym_error *err);

/* Searches for a deferred module's symbols now (or again, for a loaded one). */
SYM_API sym_status sym_session_load_symbols(sym_session *s, uint64_t base, sym_error *err);
/* With load_anything set for this one search: accept a mismatched file (WinDbg's .reload /i). */
SYM_API sym_status sym_session_force_load(sym_session *s, uint64_t base, sym_error *err);
/* SymUnloadModule64: drops the module; to use it again it must be loaded again. */
SYM_API sym_status sym_session_unload(sym_session *s, uint64_t base, sym_error *err);
/* SymCleanup: frees every module and the path; the session can only be initialised again.
 * Settings (profile, options, mappings, home, listeners) are kept. */
SYM_API sym_status sym_session_cleanup(sym_session *s, sym_error *err);

SYM_API size_t sym_session_module_count(const sym_session *s);
/* The module at position i (load order); valid until the next call that changes modules. */
SYM_API const sym_module_info *sym_session_module(const sym_session *s, size_t i);
SYM_API const sym_module_info *sym_session_find_module(const sym_session *s, uint64_t base);
/* The attempts of a module's last search. A pointer stays valid until the module is searched
 * again, unloaded or cleaned up. */
SYM_API size_t sym_session_attempt_count(const sym_session *s, uint64_t base);
SYM_API const sym_attempt *sym_session_attempt(const sym_session *s, uint64_t base, size_t i);
/* Modules unloaded this session, like lm's "Unloaded modules" list. */
SYM_API size_t sym_session_unloaded_count(const sym_session *s);
SYM_API const sym_module_info *sym_session_unloaded(const sym_session *s, size_t i);

/* Searches every loaded (not deferred) module again with the current path, and reports each
 * module whose winner changed. *changes is owned by the session until the next re-search. */
SYM_API sym_status sym_session_research(sym_session *s, const sym_winner_change **changes,
                                        size_t *n_changes, sym_error *err);

#ifdef __cplusplus
}
#endif

#endif
