/* What a session holds, shared by the files that implement it (session, path parsing, search,
 * stores). Not part of the public API. */
#ifndef SYMSCOPE_SESSION_INTERNAL_H
#define SYMSCOPE_SESSION_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "symscope/fileinfo.h"
#include "symscope/http.h"
#include "symscope/session.h"
#include "stores/lookup.h"
#include "stores/store_http.h"
#include "util/util.h"

struct http_client;

typedef struct listener {
    int id;
    sym_listener_fn fn;
    void *ctx;
} listener;

/* A module and the attempts of its last search. */
typedef struct module {
    sym_module_info info; /* strings owned */
    char *ext;            /* image extension without the dot ("dll"), NULL when unknown */
    char *image_dir_text; /* the image's directory as recorded (dump: a Windows path) */
    bool has_exports;
    bool no_handle;        /* loaded without the image's file handle */
    _Atomic int cancel;    /* sym_session_cancel() of this module, from any thread */
    sym_attempt *attempts; /* strings owned */
    size_t n_attempts, cap_attempts;
} module;

struct sym_session {
    bool initialized;
    sym_profile profile;
    bool options[SYM_OPTION_COUNT];
    path_mapping *maps;
    size_t n_maps, cap_maps;
    char *home;
    char *cwd;
    char *env_symbol_path;
    char *env_alt_symbol_path;

    char *path;     /* as set (or the default path built) */
    char *expanded; /* as .sympath shows it */
    path_element *elements;
    size_t n_elements;

    module **modules;
    size_t n_modules, cap_modules;
    module **unloaded;
    size_t n_unloaded, cap_unloaded;
    uint64_t next_key_base; /* bases given to FILE/KEY modules */

    listener *listeners;
    size_t n_listeners, cap_listeners;
    int next_listener_id;

    sym_winner_change *changes;
    size_t n_changes;

    char **cache_dirs; /* sym_session_cache_dirs() */
    size_t n_cache_dirs, cap_cache_dirs;

    /* HTTP: settings (strings owned), the multi loop, what each store said once. */
    sym_http_settings http;
    struct http_client *http_client;
    int jobs;
    http_store_state **http_stores;
    size_t n_http_stores, cap_http_stores;
    _Atomic int cancel_all;       /* set from any thread */
    unsigned symsrv_calls;        /* SymSrv's BYINDEX call number, per session */
    struct fsdir_cache *dirs;     /* directory listings, kept while unchanged (fsdir.c) */
    bool no_image_handle;         /* sym_session_set_image_handle(false) */
    char *real_dir_of, *real_dir; /* the last image directory and its real path */
    char *scratch;                /* a dry run's downloads (session_scratch) */
    bool plan;                    /* sym_session_set_plan: list places, look in none */
    struct base_range *ranges;    /* bases.c */
    size_t n_ranges, cap_ranges;
    uint64_t hint_want, hint_next;
    pthread_mutex_t lock;      /* the shared state above, while searches run in parallel */
    pthread_mutex_t emit_lock; /* listeners hear one event at a time (recursive) */
};

/* A private temporary directory for the session (a dry run's downloads), made on first use and
 * removed with the session; NULL when it cannot be made. */
const char *session_scratch(sym_session *s);
/* Removes it (at cleanup). */
void session_scratch_remove(sym_session *s);

/* ---- bases.c: the address ranges modules occupy ---- */

typedef struct base_range {
    uint64_t base, end;
    struct module *owner;
} base_range;

bool bases_overlap(const sym_session *s, uint64_t base, uint64_t size);
/* The lowest free base at or above want (64 KiB-aligned past what is in the way). */
uint64_t bases_free(sym_session *s, uint64_t want, uint64_t size);
bool bases_add(sym_session *s, uint64_t base, uint64_t size, struct module *owner);
/* The module loaded at exactly base, or NULL. */
struct module *bases_owner(const sym_session *s, uint64_t base);
void bases_remove(sym_session *s, uint64_t base);
void bases_clear(sym_session *s);

/* ---- path_parse.c ---- */

/* Parses the session's path text into elements (replacing the old ones) and builds the
 * expanded path. Sources come from how the default path was built, or "argument". */
sym_status path_parse_into(sym_session *s, const char *text, bool is_default, sym_error *err);
/* Builds the default path of the session's profile from its environment copy. */
char *path_default(const sym_session *s);
void elements_free(path_element *e, size_t n);
/* The default downstream store: <home>/sym. */
char *path_default_store(const sym_session *s);

/* ---- profile.c: the search order as data ---- */

/* How stores are searched and how the noisy log words it: the documentation's reading, or
 * what SymSrv 10.0.18362 was recorded doing (symsrv.c). */
typedef enum profile_rules { PROFILE_RULES_SEED, PROFILE_RULES_SYMSRV10 } profile_rules;

typedef struct profile_def {
    sym_profile id;
    sym_step order[SYM_STEP_COUNT]; /* the steps, in order */
    bool default_path_has_dot;      /* ".;%_NT_SYMBOL_PATH%;%_NT_ALT_SYMBOL_PATH%" */
    bool standard_subdirs;          /* D\<ext> and D\symbols\<ext> after D */
    bool stores;                    /* srv*, cache*, pingme.txt */
    bool cache_feeds_srv;           /* a srv* chain without a downstream store uses the cache */
    bool store_layout_in_plain;     /* D\x.pdb\<key>\x.pdb before D\x.pdb, without pingme.txt */
    bool cv_bare_once;              /* a bare CodeView name: once, from the current directory */
    bool dbg_then_pdb;              /* a stripped image: its .dbg, then <name>.pdb anyway */
    profile_rules rules;
} profile_def;

const profile_def *profile_get(sym_profile p);

/* ---- events ---- */

void session_emit(const sym_session *s, const sym_event *ev);
void session_emit_simple(const sym_session *s, sym_event_kind kind, const sym_module_info *m,
                         const char *text);

/* ---- http settings (http_settings.c) ---- */

void http_settings_free(sym_http_settings *h);
/* The session's HTTP client, created on first use. NULL when it cannot be. */
struct http_client *session_http_client(sym_session *s);
http_store_state *session_http_store(sym_session *s, const char *url);

/* ---- search.c ---- */

/* Searches for m's symbol file with the session's path and profile; fills m's result and
 * attempts, emitting events. force_mismatch: accept a mismatch this once (.reload /i). */
sym_status search_module(sym_session *s, module *m, bool force_mismatch, sym_error *err);
/* A new pass of searches (a load, a reload, a research): directories are checked again. */
void search_pass_begin(sym_session *s);
void attempts_clear(module *m);

#endif
