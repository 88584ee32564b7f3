/* The parsed path as JSON. */
#include "path_json.h"
#include "json_text.h"

static json_object *store_json(const sym_store_desc *st)
{
    json_object *o = json_object_new_object();
    json_add_text(o, "location", st->location);
    json_add_text(o, "local", st->local);
    json_add_text(o, "type", st->type == SYM_STORE_HTTP ? "http" : "local");
    json_object_object_add(o, "tiers", json_object_new_int(st->tiers));
    json_add_text(o, "state", sym_elem_state_name(st->state));
    json_object_object_add(o, "default", json_object_new_boolean(st->is_default));
    json_add_text(o, "reason", st->reason);
    return o;
}

json_object *path_to_json(const sym_session *s)
{
    json_object *o = json_object_new_object();
    json_add_text(o, "path", sym_session_get_path(s));
    json_add_text(o, "expanded", sym_session_expanded_path(s));
    json_object_object_add(o, "profile", json_text(sym_profile_name(sym_session_profile(s))));
    json_object_object_add(o, "profile_source",
                           json_text(sym_profile_source(sym_session_profile(s))));
    json_object *elems = json_object_new_array();
    for (size_t i = 0; i < sym_session_element_count(s); i++) {
        const sym_element_desc *e = sym_session_element(s, i);
        json_object *j = json_object_new_object();
        json_object_object_add(j, "index", json_object_new_int((int)e->index));
        json_add_text(j, "text", e->text);
        json_add_text(j, "kind", sym_elem_kind_name(e->kind));
        json_add_text(j, "source", sym_elem_source_name(e->source));
        json_add_text(j, "state", sym_elem_state_name(e->state));
        json_add_text(j, "local", e->local);
        json_add_text(j, "reason", e->reason);
        json_object_object_add(j, "enabled", json_object_new_boolean(e->enabled));
        json_object *stores = json_object_new_array();
        for (size_t k = 0; k < e->n_stores; k++)
            json_object_array_add(stores, store_json(&e->stores[k]));
        json_object_object_add(j, "stores", stores);
        json_object_array_add(elems, j);
    }
    json_object_object_add(o, "elements", elems);
    return o;
}

void path_print_json(const sym_session *s, FILE *f)
{
    json_object *o = path_to_json(s);
    fprintf(
        f, "%s\n",
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
}
