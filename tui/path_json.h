/* The parsed path as the JSON of interface.md ("path --json"). */
#ifndef SYMSCOPE_TUI_PATH_JSON_H
#define SYMSCOPE_TUI_PATH_JSON_H

#include <json-c/json.h>
#include <stdio.h>

#include "symscope/symscope.h"

json_object *path_to_json(const sym_session *s);
void path_print_json(const sym_session *s, FILE *f);

#endif
