/* The words of the search: profiles, options, steps, outcomes and symbol classes. Each list
 * is one X-macro table, so enums, names (JSON, command line) and help text stay in step. */
#ifndef SYMSCOPE_VOCAB_H
#define SYMSCOPE_VOCAB_H

#include <stdbool.h>
#include <stdint.h>

#include "api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(enum, name, what it follows) -- decisions.md section 1 */
#define SYM_PROFILE_LIST(X)                                                                        \
    X(SYM_PROFILE_NATIVE, "native", "Microsoft DbgHelp/SymSrv 10.0.18362, as recorded")            \
    X(SYM_PROFILE_DOCUMENTED, "documented", "the DbgHelp \"Symbol Paths\" page")                   \
    X(SYM_PROFILE_WINE8, "wine8", "Wine 8.0's dbghelp.dll")

typedef enum sym_profile {
#define SYM_X(e, name, text) e,
    SYM_PROFILE_LIST(SYM_X)
#undef SYM_X
        SYM_PROFILE_COUNT
} sym_profile;

/* X(enum, name, SYMOPT value, help) -- the SYMOPT flags symscope honours, by name. */
#define SYM_OPTION_LIST(X)                                                                         \
    X(SYM_OPT_LOAD_ANYTHING, "load_anything", 0x40,                                                \
      "accept the first mismatched candidate in search order (flagged unmatched)")                 \
    X(SYM_OPT_EXACT_SYMBOLS, "exact_symbols", 0x400,                                               \
      "never accept a mismatch, and no export symbols as a last resort")                           \
    X(SYM_OPT_IGNORE_CVREC, "ignore_cvrec", 0x80, "do not try the PDB path in the image")          \
    X(SYM_OPT_IGNORE_IMAGEDIR, "ignore_imagedir", 0x200000, "do not search the image's directory") \
    X(SYM_OPT_IGNORE_NT_SYMPATH, "ignore_nt_sympath", 0x1000,                                      \
      "the default path ignores _NT_SYMBOL_PATH and _NT_ALT_SYMBOL_PATH")                          \
    X(SYM_OPT_DISABLE_SYMSRV_AUTODETECT, "disable_symsrv_autodetect", 0x2000000,                   \
      "a directory with pingme.txt stays a plain directory")                                       \
    X(SYM_OPT_FAVOR_COMPRESSED, "favor_compressed", 0x800000,                                      \
      "in a store, try file.pd_ before file.pdb")                                                  \
    X(SYM_OPT_OVERWRITE, "overwrite", 0x100000, "copy into downstream stores even when present")   \
    X(SYM_OPT_DEFERRED_LOADS, "deferred_loads", 0x4,                                               \
      "register modules; search for symbols on first use")                                         \
    X(SYM_OPT_DEBUG, "debug", 0x80000000, "noisy log: one line per attempt")                       \
    X(SYM_OPT_DRY_RUN, "dry_run", 0,                                                               \
      "symscope's own: copies into stores and caches are reported, not made; nothing is written")

typedef enum sym_option {
#define SYM_X(e, name, value, text) e,
    SYM_OPTION_LIST(SYM_X)
#undef SYM_X
        SYM_OPTION_COUNT
} sym_option;

/* X(enum, name, description) -- where in the search an attempt happens. */
#define SYM_STEP_LIST(X)                                                                           \
    X(SYM_STEP_CV_PATH, "cv-path", "the PDB path recorded in the image's CodeView record")         \
    X(SYM_STEP_ELEMENT, "element", "an element of the symbol path")                                \
    X(SYM_STEP_IMAGE_DIR, "image-dir", "the directory the image was loaded from")

typedef enum sym_step {
#define SYM_X(e, name, text) e,
    SYM_STEP_LIST(SYM_X)
#undef SYM_X
        SYM_STEP_COUNT
} sym_step;

/* X(enum, name, noisy word) -- decisions.md section 5. */
#define SYM_OUTCOME_LIST(X)                                                                        \
    X(SYM_OUT_FOUND, "found", "found")                                                             \
    X(SYM_OUT_MISMATCH, "mismatch", "mismatched")                                                  \
    X(SYM_OUT_NOT_FOUND, "not-found", "file not found")                                            \
    X(SYM_OUT_DENIED, "denied", "access denied")                                                   \
    X(SYM_OUT_NETWORK, "network", "network error")                                                 \
    X(SYM_OUT_SERVER_ERROR, "server-error", "server error")                                        \
    X(SYM_OUT_BAD_CONTENT, "bad-content", "bad content")                                           \
    X(SYM_OUT_SKIPPED, "skipped", "skipped")                                                       \
    X(SYM_OUT_COPIED, "copied", "copied")                                                          \
    X(SYM_OUT_CACHED, "cached", "cached to")                                                       \
    X(SYM_OUT_ALREADY_CACHED, "already-cached", "already cached")

typedef enum sym_outcome {
#define SYM_X(e, name, word) e,
    SYM_OUTCOME_LIST(SYM_X)
#undef SYM_X
        SYM_OUTCOME_COUNT
} sym_outcome;

/* X(enum, name, lm type) -- what a loaded module has. */
#define SYM_SYMCLASS_LIST(X)                                                                       \
    X(SYM_CLASS_NONE, "no symbols", "no symbols")                                                  \
    X(SYM_CLASS_EXPORT, "export symbols", "export symbols")                                        \
    X(SYM_CLASS_PUBLIC, "public symbols", "pdb symbols")                                           \
    X(SYM_CLASS_PRIVATE, "private symbols", "private pdb symbols")                                 \
    X(SYM_CLASS_PRIVATE_LINES, "private symbols & lines", "private pdb symbols")                   \
    X(SYM_CLASS_DEFERRED, "deferred", "deferred")

typedef enum sym_symclass {
#define SYM_X(e, name, lm) e,
    SYM_SYMCLASS_LIST(SYM_X)
#undef SYM_X
        SYM_SYMCLASS_COUNT
} sym_symclass;

SYM_API const char *sym_profile_name(sym_profile p);
SYM_API const char *sym_profile_source(sym_profile p);
/* false when the name is not a profile */
SYM_API bool sym_profile_parse(const char *name, sym_profile *out);

SYM_API const char *sym_option_name(sym_option o);
SYM_API const char *sym_option_help(sym_option o);
SYM_API uint32_t sym_option_symopt(sym_option o);
SYM_API bool sym_option_parse(const char *name, sym_option *out);

SYM_API const char *sym_step_name(sym_step s);
SYM_API const char *sym_outcome_name(sym_outcome o);
SYM_API const char *sym_symclass_name(sym_symclass c);
/* The parenthesised type of WinDbg's lm: "private pdb symbols", "export symbols", ... */
SYM_API const char *sym_symclass_lm(sym_symclass c);

#ifdef __cplusplus
}
#endif

#endif
