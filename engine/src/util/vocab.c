/* Names of the search's words, generated from the X-macro tables of vocab.h and session.h. */
#include <string.h>
#include <strings.h>

#include "symscope/session.h"

#define NAME_TABLE(list, fn, type, count, ...)                                                     \
    const char *fn(type v)                                                                         \
    {                                                                                              \
        static const char *const names[] = {list(__VA_ARGS__)};                                    \
        return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";                      \
    }

#define X_NAME2(e, name) name,
#define X_NAME3(e, name, x) name,
#define X_NAME4(e, name, x, y) name,
#define X_THIRD3(e, name, x) x,
#define X_THIRD4(e, name, x, y) x,
#define X_FOURTH4(e, name, x, y) y,

NAME_TABLE(SYM_PROFILE_LIST, sym_profile_name, sym_profile, 0, X_NAME3)
NAME_TABLE(SYM_PROFILE_LIST, sym_profile_source, sym_profile, 0, X_THIRD3)
NAME_TABLE(SYM_OPTION_LIST, sym_option_name, sym_option, 0, X_NAME4)
NAME_TABLE(SYM_OPTION_LIST, sym_option_help, sym_option, 0, X_FOURTH4)
NAME_TABLE(SYM_STEP_LIST, sym_step_name, sym_step, 0, X_NAME3)
NAME_TABLE(SYM_OUTCOME_LIST, sym_outcome_name, sym_outcome, 0, X_NAME3)
NAME_TABLE(SYM_SYMCLASS_LIST, sym_symclass_name, sym_symclass, 0, X_NAME3)
NAME_TABLE(SYM_SYMCLASS_LIST, sym_symclass_lm, sym_symclass, 0, X_THIRD3)
NAME_TABLE(SYM_ELEM_KIND_LIST, sym_elem_kind_name, sym_elem_kind, 0, X_NAME2)
NAME_TABLE(SYM_ELEM_SOURCE_LIST, sym_elem_source_name, sym_elem_source, 0, X_NAME2)
NAME_TABLE(SYM_ELEM_STATE_LIST, sym_elem_state_name, sym_elem_state, 0, X_NAME2)
NAME_TABLE(SYM_MODSTATE_LIST, sym_module_state_name, sym_module_state, 0, X_NAME2)
NAME_TABLE(SYM_EVENT_LIST, sym_event_kind_name, sym_event_kind, 0, X_NAME2)

uint32_t sym_option_symopt(sym_option o)
{
#define X_VALUE(e, name, value, text) value,
    static const uint32_t values[] = {SYM_OPTION_LIST(X_VALUE)};
#undef X_VALUE
    return (unsigned)o < SYM_OPTION_COUNT ? values[o] : 0;
}

bool sym_profile_parse(const char *name, sym_profile *out)
{
    for (int p = 0; p < SYM_PROFILE_COUNT; p++)
        if (strcmp(name, sym_profile_name((sym_profile)p)) == 0) {
            *out = (sym_profile)p;
            return true;
        }
    return false;
}

bool sym_option_parse(const char *name, sym_option *out)
{
    /* "load_anything", "LOAD_ANYTHING" and "SYMOPT_LOAD_ANYTHING" all name the same flag. */
    if (strncasecmp(name, "SYMOPT_", 7) == 0)
        name += 7;
    for (int o = 0; o < SYM_OPTION_COUNT; o++)
        if (strcasecmp(name, sym_option_name((sym_option)o)) == 0) {
            *out = (sym_option)o;
            return true;
        }
    return false;
}
