/* The JSON form of what `symscope inspect --json` reports (interface.md). */
#include <inttypes.h>
#include <stdio.h>

#include "fileinfo_json.h"
#include "json_text.h"

static json_object *hex64(uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "0x%" PRIx64, v);
    return json_text(buf);
}

static json_object *machine_json(uint16_t machine)
{
    const char *name = sym_machine_name(machine);
    if (name)
        return json_text(name);
    char buf[16];
    snprintf(buf, sizeof buf, "0x%04X", machine);
    return json_text(buf);
}

static json_object *key_json(const sym_identity *id)
{
    char key[SYM_KEY_MAX];
    return sym_identity_key(id, key) ? json_text(key) : NULL;
}

void identity_add_json(json_object *o, const sym_identity *id)
{
    char guid[SYM_GUID_TEXT_MAX];
    bool has_guid = id->kind == SYM_ID_PDB70 || id->kind == SYM_ID_PORTABLE_PDB;
    if (has_guid)
        sym_guid_format(&id->guid, guid);
    json_object_object_add(o, "guid", has_guid ? json_text(guid) : NULL);
    json_object_object_add(o, "signature",
                           id->kind == SYM_ID_PDB20 ? json_object_new_int64(id->signature) : NULL);
    json_object_object_add(o, "age", json_object_new_int64(id->age));
}

/* One entry of "keys": where a file with this name and identity is filed in a store. */
static void add_key(json_object *keys, const char *role, const char *file, const sym_identity *id)
{
    char key[SYM_KEY_MAX], path[2048], ssqp[2048];
    if (!file || !*file || !sym_identity_key(id, key))
        return;
    json_object *k = json_object_new_object();
    json_add_text(k, "role", role);
    json_add_text(k, "kind", sym_id_kind_name(id->kind));
    json_add_text(k, "file", file);
    json_add_text(k, "key", key);
    json_object_object_add(k, "path",
                           sym_store_relpath(file, id, path, sizeof path) ? json_text(path) : NULL);
    json_object_object_add(k, "ssqp",
                           sym_ssqp_key(file, id, ssqp, sizeof ssqp) ? json_text(ssqp) : NULL);
    json_object_array_add(keys, k);
}

static json_object *codeview_json(const sym_codeview *cv)
{
    json_object *o = json_object_new_object();
    json_add_text(o, "format", cv->format);
    if (cv->id.kind != SYM_ID_NONE)
        identity_add_json(o, &cv->id);
    json_add_text(o, "path", cv->path);
    return o;
}

static json_object *debug_types_json(const sym_debug_entry *d, size_t n)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        const char *name = sym_debug_type_name(d[i].type);
        char buf[16];
        if (!name) {
            snprintf(buf, sizeof buf, "%u", (unsigned)d[i].type);
            name = buf;
        }
        json_object_array_add(a, json_text(name));
    }
    return a;
}

/* The PDB a CodeView record asks for: its key and file name. */
static void add_wanted_pdb(json_object *o, json_object *keys, const sym_codeview *cv)
{
    if (cv->id.kind == SYM_ID_NONE)
        return;
    const char *file = sym_path_basename(cv->path);
    json_object_object_add(o, "pdb_key", key_json(&cv->id));
    json_object_object_add(o, "pdb_file", *file ? json_text(file) : NULL);
    add_key(keys, "pdb", file, &cv->id);
}

static void pe_json(json_object *o, json_object *keys, const sym_file_info *info)
{
    const sym_pe_info *pe = &info->u.pe;
    json_object_object_add(o, "machine", machine_json(pe->machine));
    json_add_text(o, "pe_type", pe->pe32plus ? "PE32+" : "PE32");
    json_object_object_add(o, "timestamp", json_object_new_int64(pe->timestamp));
    json_object_object_add(o, "size_of_image", json_object_new_int64(pe->size_of_image));
    json_object_object_add(o, "checksum", json_object_new_int64(pe->checksum));
    json_object_object_add(o, "image_base", hex64(pe->image_base));
    json_object_object_add(o, "characteristics", json_object_new_int(pe->characteristics));
    json_object_object_add(o, "debug_stripped", json_object_new_boolean(pe->debug_stripped));
    json_object_object_add(o, "repro", json_object_new_boolean(pe->has_repro));
    json_object_object_add(o, "image_key", key_json(&pe->id));
    add_key(keys, "image", sym_path_basename(info->path), &pe->id);
    json_object_object_add(o, "debug_directory", debug_types_json(pe->debug, pe->n_debug));
    if (pe->has_codeview) {
        json_object *cv = codeview_json(&pe->codeview);
        json_object_object_add(cv, "portable_pdb", json_object_new_boolean(pe->portable_pdb));
        json_object_object_add(o, "codeview", cv);
        add_wanted_pdb(o, keys, &pe->codeview);
    } else {
        json_object_object_add(o, "codeview", NULL);
        json_object_object_add(o, "pdb_key", NULL);
    }
    json_add_text(o, "misc_dbg", pe->misc_name);
    if (pe->misc_name) {
        sym_identity dbg = pe->id;
        dbg.kind = SYM_ID_DBG;
        add_key(keys, "dbg", sym_path_basename(pe->misc_name), &dbg);
    }
    json_object *ex = json_object_new_object();
    json_object_object_add(ex, "present", json_object_new_boolean(pe->has_exports));
    json_add_text(ex, "dll", pe->export_name);
    json_object_object_add(ex, "functions", json_object_new_int64(pe->n_export_functions));
    json_object *names = json_object_new_array();
    for (size_t i = 0; i < pe->n_exports; i++)
        json_object_array_add(names, json_text(pe->exports[i]));
    json_object_object_add(ex, "names", names);
    json_object_object_add(ex, "truncated", json_object_new_boolean(pe->exports_truncated));
    json_object_object_add(o, "exports", ex);
}

static void pdb_json(json_object *o, json_object *keys, const sym_file_info *info)
{
    const sym_pdb_info *pdb = &info->u.pdb;
    json_object_object_add(
        o, "machine", pdb->has_dbi && pdb->dbi_machine ? machine_json(pdb->dbi_machine) : NULL);
    json_object_object_add(o, "pdb_key", key_json(&pdb->id));
    add_key(keys, "pdb", sym_path_basename(info->path), &pdb->id);
    json_object *p = json_object_new_object();
    identity_add_json(p, &pdb->id);
    json_object_object_add(p, "info_age", json_object_new_int64(pdb->info_age));
    json_object_object_add(p, "dbi_age", pdb->has_dbi ? json_object_new_int64(pdb->dbi_age) : NULL);
    json_object_object_add(p, "info_signature", json_object_new_int64(pdb->info_signature));
    json_object_object_add(p, "stripped", json_object_new_boolean(pdb->stripped));
    json_object_object_add(p, "private", json_object_new_boolean(pdb->private_symbols));
    json_object_object_add(p, "lines", json_object_new_boolean(pdb->lines));
    json_object_object_add(p, "block_size", json_object_new_int64(pdb->block_size));
    json_object_object_add(p, "blocks", json_object_new_int64(pdb->num_blocks));
    json_object_object_add(p, "streams", json_object_new_int64(pdb->num_streams));
    json_object_object_add(p, "info_version", json_object_new_int64(pdb->info_version));
    json_object_object_add(p, "dbi_version",
                           pdb->has_dbi ? json_object_new_int64(pdb->dbi_version) : NULL);
    json_object_object_add(o, "pdb", p);
}

static void dbg_json(json_object *o, json_object *keys, const sym_file_info *info)
{
    const sym_dbg_info *dbg = &info->u.dbg;
    json_object_object_add(o, "machine", machine_json(dbg->machine));
    json_object_object_add(o, "timestamp", json_object_new_int64(dbg->timestamp));
    json_object_object_add(o, "size_of_image", json_object_new_int64(dbg->size_of_image));
    json_object_object_add(o, "checksum", json_object_new_int64(dbg->checksum));
    json_object_object_add(o, "characteristics", json_object_new_int(dbg->characteristics));
    json_object_object_add(o, "image_key", key_json(&dbg->id));
    add_key(keys, "dbg", sym_path_basename(info->path), &dbg->id);
    json_object_object_add(o, "debug_directory", debug_types_json(dbg->debug, dbg->n_debug));
    json_object_object_add(o, "codeview", dbg->has_codeview ? codeview_json(&dbg->codeview) : NULL);
    if (dbg->has_codeview)
        add_wanted_pdb(o, keys, &dbg->codeview);
}

static json_object *dump_module_json(const sym_dump_module *m)
{
    json_object *o = json_object_new_object();
    json_add_text(o, "name", m->name);
    json_object_object_add(o, "base", hex64(m->base));
    json_object_object_add(o, "size", json_object_new_int64(m->size));
    json_object_object_add(o, "timestamp", json_object_new_int64(m->timestamp));
    json_object_object_add(o, "checksum", json_object_new_int64(m->checksum));
    json_object_object_add(o, "image_key", key_json(&m->image_id));
    json_add_text(o, "image_file", sym_path_basename(m->name));
    if (m->has_codeview && m->codeview.id.kind != SYM_ID_NONE) {
        json_object_object_add(o, "pdb_key", key_json(&m->codeview.id));
        json_add_text(o, "pdb_file", m->codeview.path);
        json_object_object_add(o, "codeview", codeview_json(&m->codeview));
    } else {
        json_object_object_add(o, "pdb_key", NULL);
        json_object_object_add(o, "pdb_file", NULL);
        json_object_object_add(o, "codeview", NULL);
    }
    json_add_text(o, "misc_dbg", m->misc_name);
    return o;
}

static void dump_json(json_object *o, const sym_file_info *info)
{
    const sym_minidump_info *d = &info->u.dump;
    const char *arch = d->has_system_info ? sym_processor_name(d->processor_architecture) : NULL;
    json_add_text(o, "machine", arch);
    json_object_object_add(o, "timestamp", json_object_new_int64(d->timestamp));
    if (d->has_system_info) {
        char os[48];
        snprintf(os, sizeof os, "%u.%u.%u", (unsigned)d->os_major, (unsigned)d->os_minor,
                 (unsigned)d->os_build);
        json_add_text(o, "os_version", os);
    }
    json_object *mods = json_object_new_array();
    for (size_t i = 0; i < d->n_modules; i++)
        json_object_array_add(mods, dump_module_json(&d->modules[i]));
    json_object_object_add(o, "modules", mods);
    json_object *un = json_object_new_array();
    for (size_t i = 0; i < d->n_unloaded; i++) {
        const sym_dump_unloaded *u = &d->unloaded[i];
        json_object *m = json_object_new_object();
        json_add_text(m, "name", u->name);
        json_object_object_add(m, "base", hex64(u->base));
        json_object_object_add(m, "size", json_object_new_int64(u->size));
        json_object_object_add(m, "timestamp", json_object_new_int64(u->timestamp));
        json_object_object_add(m, "image_key", key_json(&u->image_id));
        json_object_array_add(un, m);
    }
    json_object_object_add(o, "unloaded_modules", un);
}

static void cab_json(json_object *o, json_object *keys, const sym_file_info *info)
{
    const sym_cab_info *cab = &info->u.cab;
    json_object *members = json_object_new_array();
    for (size_t i = 0; i < cab->n_members; i++) {
        json_object *m = json_object_new_object();
        json_add_text(m, "name", cab->members[i].name);
        json_object_object_add(m, "size", json_object_new_int64(cab->members[i].size));
        json_add_text(m, "compression", sym_cab_compression_name(cab->members[i].compression));
        json_object_array_add(members, m);
    }
    json_object_object_add(o, "members", members);
    if (cab->member) {
        json_object *inner = fileinfo_to_json(cab->member);
        /* The member's keys are the CAB's: a .pd_ is filed under its PDB's key. */
        json_object *ik;
        if (json_object_object_get_ex(inner, "pdb_key", &ik))
            json_object_object_add(o, "pdb_key", json_object_get(ik));
        if (json_object_object_get_ex(inner, "pdb", &ik))
            json_object_object_add(o, "pdb", json_object_get(ik));
        sym_identity id = sym_file_identity(cab->member);
        add_key(keys, sym_id_kind_name(id.kind), sym_path_basename(cab->members[0].name), &id);
        json_object_object_add(o, "member", inner);
        json_object_object_add(o, "member_error", NULL);
    } else {
        json_object_object_add(o, "member", NULL);
        json_object_object_add(
            o, "member_error",
            cab->member_error.status != SYM_OK ? json_text(cab->member_error.message) : NULL);
    }
}

static void portable_json(json_object *o, json_object *keys, const sym_file_info *info)
{
    const sym_portable_pdb_info *pp = &info->u.portable;
    char guid[SYM_GUID_TEXT_MAX];
    sym_guid_format(&pp->id.guid, guid);
    json_object *p = json_object_new_object();
    json_add_text(p, "guid", guid);
    json_object_object_add(p, "stamp", json_object_new_int64(pp->id.signature));
    /* The stamp as its four bytes appear in the file, the way hex dumps show it. */
    char bytes[9];
    uint32_t s = pp->id.signature;
    snprintf(bytes, sizeof bytes, "%02X%02X%02X%02X", s & 0xFF, (s >> 8) & 0xFF, (s >> 16) & 0xFF,
             s >> 24);
    json_add_text(p, "stamp_bytes", bytes);
    json_add_text(p, "version", pp->version);
    json_object_object_add(o, "portable_pdb", p);
    json_object_object_add(o, "pdb_key", key_json(&pp->id));
    add_key(keys, "portable-pdb", sym_path_basename(info->path), &pp->id);
}

json_object *fileinfo_to_json(const sym_file_info *info)
{
    json_object *o = json_object_new_object();
    json_object *keys = json_object_new_array();
    json_add_text(o, "file", info->path);
    json_add_text(o, "format", sym_format_name(info->format));
    json_object_object_add(o, "file_size", json_object_new_int64((int64_t)info->file_size));
    json_object_object_add(o, "bytes_read", json_object_new_int64((int64_t)info->bytes_read));
    switch (info->format) {
    case SYM_FMT_PE:
        pe_json(o, keys, info);
        break;
    case SYM_FMT_PDB70:
    case SYM_FMT_PDB20:
        pdb_json(o, keys, info);
        break;
    case SYM_FMT_DBG:
        dbg_json(o, keys, info);
        break;
    case SYM_FMT_MINIDUMP:
        dump_json(o, info);
        break;
    case SYM_FMT_CAB:
        cab_json(o, keys, info);
        break;
    case SYM_FMT_PORTABLE_PDB:
        portable_json(o, keys, info);
        break;
    case SYM_FMT_UNKNOWN:
    default:
        break;
    }
    json_object_object_add(o, "keys", keys);
    return o;
}
