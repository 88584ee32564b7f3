/* Scenario files: a small world of symbol files described in YAML (the schema is at the top of
 * scenario.c and in the README), built in a sandbox (sandbox.c), then opened in the terminal
 * UI or run without it (`symscope scenario --check`). The built-in lessons are scenarios. */
#ifndef SYMSCOPE_TUI_SCENARIO_H
#define SYMSCOPE_TUI_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#include "sandbox.h"
#include "symscope/symscope.h"

#define SCN_PROFILES 3 /* native, documented, wine8: indexed by sym_profile */

typedef struct scn_pos {
    size_t line, col; /* 1-based */
} scn_pos;

enum scn_place_kind { SCN_AT_PATH, SCN_AT_STORE, SCN_AT_COMPRESSED, SCN_AT_POINTER };

typedef struct scn_place {
    enum scn_place_kind kind;
    char *path;  /* SCN_AT_PATH: where; SCN_AT_POINTER: the pointer's target */
    char *store; /* the store's directory */
    bool mismatch;
    scn_pos pos;
} scn_place;

typedef struct scn_module {
    char *name; /* as the session names it: the image's (or PDB's) name without extension */
    char *image, *from, *file;       /* where the image goes; embedded image or real file */
    char *pdb, *pdb_from, *pdb_file; /* the PDB's name; embedded PDB or real file */
    unsigned age;
    char *cv;
    bool load, as_key;
    scn_place *places;
    size_t n_places;
    scn_pos pos;
    /* built */
    char key[41];
    char *arg; /* what is loaded: the image's absolute path, or <pdb>/<KEY> */
} scn_module;

/* What a question expects, per profile: only the fields whose bit is set are checked. */
enum {
    SCN_X_ELEMENT = 1 << 0,
    SCN_X_PATH = 1 << 1,
    SCN_X_RESULT = 1 << 2,
    SCN_X_SYMBOLS = 1 << 3,
    SCN_X_ATTEMPTS = 1 << 4,
    SCN_X_STEP = 1 << 5,
    SCN_X_EXISTS = 1 << 6,
    SCN_X_COUNT = 1 << 7,
    SCN_X_SAW = 1 << 8,
};

typedef struct scn_expect {
    unsigned fields;
    int element; /* -1: none */
    char *path, *result, *symbols, *step;
    char *saw; /* an outcome some attempt of the last search had */
    long attempts, count;
    bool exists;
} scn_expect;

enum scn_step_kind {
    SCN_ASK,
    SCN_LOAD,
    SCN_UNLOAD,
    SCN_RELOAD,
    SCN_FORCE,
    SCN_CLEANUP,
    SCN_INITIALIZE,
};

enum scn_subject { SCN_ABOUT_MODULE, SCN_ABOUT_FILE, SCN_ABOUT_SESSION };

typedef struct scn_step {
    enum scn_step_kind kind;
    char *module; /* LOAD, UNLOAD, RELOAD, FORCE; ASK about a module */
    /* ASK */
    char *ask;
    enum scn_subject about;
    char *file; /* ASK about a file: sandbox-relative, ${key:NAME} expanded when built */
    scn_expect expect[SCN_PROFILES];
    scn_pos pos;
} scn_step;

typedef struct scn_kv {
    char *a, *b;
    scn_pos pos;
} scn_kv;

typedef struct scenario {
    char *file; /* as named, for messages */
    char *title, *summary, *text;
    bool have_profile;
    sym_profile profile;
    bool options[SYM_OPTION_COUNT];
    char *sympath;
    scn_pos sympath_pos;
    char *nt_path, *alt_path; /* _NT_SYMBOL_PATH, _NT_ALT_SYMBOL_PATH; NULL: unset */
    scn_pos nt_pos, alt_pos;
    scn_kv *maps; /* drive or share -> sandbox directory */
    size_t n_maps;
    char *home;  /* sandbox directory; default "home" */
    char *serve; /* sandbox directory served over HTTP, NULL: none */
    char **dirs;
    size_t n_dirs;
    scn_kv *stores; /* dir, "1" or "2" tiers; pingme in store_pingme */
    bool *store_pingme;
    size_t n_stores;
    scn_kv *files; /* path, then one of from/file/text in kinds */
    char *file_kinds;
    size_t n_files;
    scn_module *modules;
    size_t n_modules;
    scn_step *steps; /* the top-level questions first, then the steps */
    size_t n_steps;
    /* built: expanded against the sandbox */
    char *x_sympath, *x_nt, *x_alt;
} scenario;

/* Parses a scenario. text is the YAML, name the file for messages (FILE:LINE:COL), base_dir
 * the directory real files are named from (NULL: the current one). NULL with the message in
 * err. */
scenario *scenario_parse(const char *text, size_t len, const char *name, const char *base_dir,
                         char *err, size_t err_size);
/* Reads and parses a file. */
scenario *scenario_load(const char *path, char *err, size_t err_size);
void scenario_free(scenario *sc);

/* Builds the world into an empty sandbox (serving its HTTP directory), and expands the path,
 * the environment and the questions' names against it. reuse: the sandbox was built before
 * and kept (sandbox_reuse); only the server is started and the names are expanded. */
bool scenario_build(scenario *sc, sandbox *sb, bool reuse, char *err, size_t err_size);

/* The built-in lessons (lessons/ *.yaml, embedded at build time), in order. */
size_t scenario_lesson_count(void);
/* Lesson n (1-based): its name (file name without .yaml) and text; NULL when none. */
const char *scenario_lesson_text(size_t n, const char **name);

#endif
