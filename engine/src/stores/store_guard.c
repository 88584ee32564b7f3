/* Checks made before a store is asked for a file: a name that cannot be a path component in
 * every store layout is refused up front, so no path or URL is ever built from it. */
#include <stdlib.h>
#include <string.h>

#include "stores/stores.h"
#include "util/util.h"
#include "stores/store_write.h"

bool store_guard_name(lookup *sr, int element)
{
    const char *file = sr->info->wanted_file;
    if (layout_name_ok(file))
        return true;
    char *why = util_asprintf("'%s' cannot be a file name in a symbol store: it is empty, too "
                              "long, or it or its two-tier prefix names '.' or '..'",
                              file ? file : "");
    sym_attempt a = {.step = SYM_STEP_ELEMENT,
                     .element = element,
                     .store = -1,
                     .rule = "store",
                     .location = sr->elements[element].d.text,
                     .outcome = SYM_OUT_SKIPPED,
                     .detail = why ? why : "not a usable file name",
                     .symsrv = true};
    lookup_emit(sr, &a);
    free(why);
    return false;
}
