/* The parsed path as JSON. */
#include "path_json.h"

static json_object *str_or_null(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

static json_object *store_json(const sym_store_desc *st)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "location", json_object_new_string(st->location));
    json_object_object_add(o, "local", str_or_null(st->local));
    json_object_object_add(o, "type",
                           json_object_new_string(st->type == SYM_STORE_HTTP ? "http" : "local"));
    json_object_object_add(o, "tiers", json_object_new_int(st->tiers));
    json_object_object_add(o, "state", json_object_new_string(sym_elem_state_name(st->state)));
    json_object_object_add(o, "default", json_object_new_boolean(st->is_default));
    json_object_object_add(o, "reason", str_or_null(st->reason));
    return o;
}

json_object *path_to_json(const sym_session *s)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "path", json_object_new_string(sym_session_get_path(s)));
    json_object_object_add(o, "expanded", json_object_new_string(sym_session_expanded_path(s)));
    json_object_object_add(o, "profile",
                           json_object_new_string(sym_profile_name(sym_session_profile(s))));
    json_object_object_add(o, "profile_source",
                           json_object_new_string(sym_profile_source(sym_session_profile(s))));
    json_object *elems = json_object_new_array();
    for (size_t i = 0; i < sym_session_element_count(s); i++) {
        const sym_element_desc *e = sym_session_element(s, i);
        json_object *j = json_object_new_object();
        json_object_object_add(j, "index", json_object_new_int((int)e->index));
        json_object_object_add(j, "text", json_object_new_string(e->text));
        json_object_object_add(j, "kind", json_object_new_string(sym_elem_kind_name(e->kind)));
        json_object_object_add(j, "source",
                               json_object_new_string(sym_elem_source_name(e->source)));
        json_object_object_add(j, "state", json_object_new_string(sym_elem_state_name(e->state)));
        json_object_object_add(j, "local", str_or_null(e->local));
        json_object_object_add(j, "reason", str_or_null(e->reason));
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
