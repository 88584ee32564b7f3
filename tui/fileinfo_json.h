/* sym_file_info as the JSON of interface.md ("inspect --json"). */
#ifndef SYMSCOPE_TUI_FILEINFO_JSON_H
#define SYMSCOPE_TUI_FILEINFO_JSON_H

#include <json-c/json.h>

#include "symscope/symscope.h"

json_object *fileinfo_to_json(const sym_file_info *info);
/* {"guid":..., "signature":..., "age":...} style fields of an identity, added to obj. */
void identity_add_json(json_object *obj, const sym_identity *id);

#endif
