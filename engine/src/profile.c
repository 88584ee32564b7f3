/* The three search profiles of decisions.md section 1, as a table: the planner reads the order
 * of steps and the rules from here; nothing else in the search differs by profile. */
#include "session_internal.h"

static const profile_def profiles[SYM_PROFILE_COUNT] = {
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
        },
    [SYM_PROFILE_NATIVE] =
        {
            .id = SYM_PROFILE_NATIVE,
            .order = {SYM_STEP_ELEMENT, SYM_STEP_CV_PATH, SYM_STEP_IMAGE_DIR},
            .default_path_has_dot = true,
            .standard_subdirs = true,
            .stores = true,
            .cache_feeds_srv = true,
        },
    [SYM_PROFILE_WINE8] =
        {
            .id = SYM_PROFILE_WINE8,
            .order = {SYM_STEP_CV_PATH, SYM_STEP_IMAGE_DIR, SYM_STEP_ELEMENT},
            .default_path_has_dot = true,
            .standard_subdirs = false,
            .stores = false,
            .cache_feeds_srv = false,
        },
};

const profile_def *profile_get(sym_profile p)
{
    if ((unsigned)p >= SYM_PROFILE_COUNT)
        p = SYM_PROFILE_DOCUMENTED;
    return &profiles[p];
}
