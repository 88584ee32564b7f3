/* A module's search as the JSON of interface.md ("find --json"). */
#ifndef SYMSCOPE_TUI_MODULE_JSON_H
#define SYMSCOPE_TUI_MODULE_JSON_H

#include <json-c/json.h>

#include "symscope/symscope.h"

/* "found", "unmatched" or "not-found" */
const char *module_status(const sym_module_info *m);
json_object *module_to_json(const sym_session *s, const sym_module_info *m);

#endif
