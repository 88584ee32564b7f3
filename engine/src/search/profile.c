/* The three search profiles of decisions.md section 1, as a table: the planner reads the order
 * of steps and the rules from here; nothing else in the search differs by profile. */
#include "search/session_internal.h"

static const profile_def profiles[SYM_PROFILE_COUNT] = {
    [SYM_PROFILE_NATIVE] =
        {
            .id = SYM_PROFILE_NATIVE,
            /* Recorded: path elements, then the image's directory, then the CodeView path. */
            .order = {SYM_STEP_ELEMENT, SYM_STEP_IMAGE_DIR, SYM_STEP_CV_PATH},
            .default_path_has_dot = true,
            .standard_subdirs = true,
            .stores = true,
            .cache_feeds_srv = true,
            .store_layout_in_plain = true,
            .cv_bare_once = true,
            .dbg_then_pdb = true,
            .rules = PROFILE_RULES_SYMSRV10,
        },
    [SYM_PROFILE_DOCUMENTED] =
        {
            .id = SYM_PROFILE_DOCUMENTED,
            .order = {SYM_STEP_CV_PATH, SYM_STEP_ELEMENT, SYM_STEP_IMAGE_DIR},
            .default_path_has_dot = false,
            .standard_subdirs = true,
            .stores = true,
            /* The seed's own example: the srv* chain copies into the cache ("copied"), and
             * the cache then finds it ("already cached"). */
            .cache_feeds_srv = true,
            .rules = PROFILE_RULES_SEED,
        },
    [SYM_PROFILE_WINE8] =
        {
            .id = SYM_PROFILE_WINE8,
            .order = {SYM_STEP_CV_PATH, SYM_STEP_IMAGE_DIR, SYM_STEP_ELEMENT},
            .default_path_has_dot = true,
            .standard_subdirs = false,
            .stores = false,
            .cache_feeds_srv = false,
            .rules = PROFILE_RULES_SEED,
        },
};

const profile_def *profile_get(sym_profile p)
{
    if ((unsigned)p >= SYM_PROFILE_COUNT)
        p = SYM_PROFILE_NATIVE;
    return &profiles[p];
}

void sym_profile_order(sym_profile p, sym_step order[SYM_STEP_COUNT])
{
    const profile_def *pd = profile_get(p);
    for (int i = 0; i < SYM_STEP_COUNT; i++)
        order[i] = pd->order[i];
}
