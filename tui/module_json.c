/* A module's search as JSON: what it wants, what it got, every attempt. */
#include <inttypes.h>
#include <stdio.h>

#include "fileinfo_json.h"
#include "json_text.h"
#include "module_json.h"

const char *module_status(const sym_module_info *m)
{
    if (m->unmatched)
        return "unmatched";
    bool has_file = m->file && m->symbols != SYM_CLASS_EXPORT && m->symbols != SYM_CLASS_NONE;
    return has_file ? "found" : "not-found";
}

static json_object *identity_json(const sym_identity *id, const char *file, const char *cv)
{
    json_object *o = json_object_new_object();
    char key[SYM_KEY_MAX];
    json_add_text(o, "file", file);
    json_add_text(o, "kind", sym_id_kind_name(id->kind));
    json_object_object_add(o, "key", sym_identity_key(id, key) ? json_text(key) : NULL);
    identity_add_json(o, id);
    bool ts = id->kind == SYM_ID_IMAGE || id->kind == SYM_ID_DBG;
    json_object_object_add(o, "timestamp", ts ? json_object_new_int64(id->timestamp) : NULL);
    json_object_object_add(o, "size", ts ? json_object_new_int64(id->size) : NULL);
    if (cv || file)
        json_add_text(o, "cv_path", cv);
    return o;
}

static json_object *attempt_json(const sym_attempt *a)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "n", json_object_new_int((int)a->n));
    json_add_text(o, "step", sym_step_name(a->step));
    json_object_object_add(o, "element", a->element >= 0 ? json_object_new_int(a->element) : NULL);
    json_object_object_add(o, "store", a->store >= 0 ? json_object_new_int(a->store) : NULL);
    json_add_text(o, "rule", a->rule ? a->rule : "");
    json_add_text(o, "location", a->location ? a->location : "");
    json_add_text(o, "local", a->local);
    json_add_text(o, "outcome", sym_outcome_name(a->outcome));
    json_object_object_add(
        o, "found", a->found.kind != SYM_ID_NONE ? identity_json(&a->found, NULL, NULL) : NULL);
    json_object_object_add(o, "http_status",
                           a->http_status ? json_object_new_int(a->http_status) : NULL);
    json_object_object_add(o, "bytes", json_object_new_int64((int64_t)a->bytes));
    json_object_object_add(o, "ms", json_object_new_double(a->ms));
    json_add_text(o, "detail", a->detail ? a->detail : "");
    json_add_text(o, "source", a->source);
    return o;
}

json_object *module_to_json(const sym_session *s, const sym_module_info *m)
{
    json_object *o = json_object_new_object();
    char base[24];
    snprintf(base, sizeof base, "0x%" PRIx64, m->base);
    json_add_text(o, "module", m->name);
    json_add_text(o, "image", m->image);
    json_add_text(o, "base", base);
    json_object_object_add(o, "wanted", identity_json(&m->wanted, m->wanted_file, m->cv_path));
    json_object *r = json_object_new_object();
    json_add_text(r, "status", module_status(m));
    json_add_text(r, "symbols", sym_symclass_name(m->symbols));
    json_add_text(r, "file", m->file);
    json_add_text(r, "location", m->location);
    json_object_object_add(r, "element", m->element >= 0 ? json_object_new_int(m->element) : NULL);
    json_object_object_add(o, "result", r);
    json_object *list = json_object_new_array();
    size_t n = sym_session_attempt_count(s, m->base);
    for (size_t i = 0; i < n; i++)
        json_object_array_add(list, attempt_json(sym_session_attempt(s, m->base, i)));
    json_object_object_add(o, "attempts", list);
    return o;
}
