/* `symscope inspect [--json] FILE...`: the identity of each file and the keys it is filed
 * under. A file that cannot be read gets one line on stderr; the others are still reported. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "out_text.h"
#include "fileinfo_json.h"
#include "units.h"

static void print_usage(FILE *f)
{
    fputs("usage: symscope inspect [--json] [--max-size SIZE] FILE...\n"
          "  Shows what each file is (PE image, PDB, .dbg, minidump, CAB) and the\n"
          "  store keys it is filed under; for a minidump, every module.\n"
          "  --json             one JSON object per file, one per line\n"
          "  --max-size SIZE    the largest CAB member decompressed (default 4G)\n"
          "  Exit 2 when a file, or the first member of a CAB, cannot be read.\n",
          f);
}

static void print_time(uint32_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32];
    if (gmtime_r(&tt, &tm) && strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm))
        out_text(stdout, "0x%08X (%s)", (unsigned)t, buf);
    else
        printf("0x%08X", (unsigned)t);
}

static const char *machine_text(uint16_t machine, char buf[16])
{
    const char *name = sym_machine_name(machine);
    if (name)
        return name;
    snprintf(buf, 16, "0x%04X", machine);
    return buf;
}

static void print_identity(const sym_identity *id)
{
    char guid[SYM_GUID_TEXT_MAX];
    switch (id->kind) {
    case SYM_ID_PDB70:
        sym_guid_format(&id->guid, guid);
        out_text(stdout, "{%s} age %u", guid, (unsigned)id->age);
        break;
    case SYM_ID_PDB20:
        printf("signature 0x%08X age %u", (unsigned)id->signature, (unsigned)id->age);
        break;
    case SYM_ID_PORTABLE_PDB:
        sym_guid_format(&id->guid, guid);
        out_text(stdout, "{%s} stamp 0x%08X", guid, (unsigned)id->signature);
        break;
    case SYM_ID_IMAGE:
    case SYM_ID_DBG:
        printf("timestamp 0x%08X size 0x%x", (unsigned)id->timestamp, (unsigned)id->size);
        break;
    case SYM_ID_NONE:
    default:
        printf("none");
        break;
    }
}

static void print_key(const char *label, const char *file, const sym_identity *id)
{
    char path[2048];
    if (file && *file && sym_store_relpath(file, id, path, sizeof path))
        out_line(stdout, "  %-13s %s", label, path);
}

static void print_debug_types(const sym_debug_entry *d, size_t n)
{
    printf("  %-13s ", "debug dir");
    if (n == 0)
        printf("(none)");
    for (size_t i = 0; i < n; i++) {
        const char *name = sym_debug_type_name(d[i].type);
        printf(i ? ", %s" : "%s", name ? name : "?");
    }
    printf("\n");
}

static void print_codeview(const sym_codeview *cv)
{
    out_text(stdout, "  %-13s %s ", "codeview", cv->format);
    if (cv->id.kind != SYM_ID_NONE)
        print_identity(&cv->id);
    else
        printf("(symbols embedded in the file)");
    printf("\n");
    if (cv->path[0])
        out_line(stdout, "  %-13s %s", "pdb path", cv->path);
    if (cv->id.kind != SYM_ID_NONE)
        print_key("pdb key", sym_path_basename(cv->path), &cv->id);
}

static void print_pe(const sym_file_info *info)
{
    const sym_pe_info *pe = &info->u.pe;
    char mbuf[16];
    out_line(stdout, "  %-13s %s %s image, characteristics 0x%04X%s", "format",
             pe->pe32plus ? "PE32+" : "PE32", machine_text(pe->machine, mbuf), pe->characteristics,
             pe->debug_stripped ? " (debug stripped)" : "");
    printf("  %-13s ", "timestamp");
    print_time(pe->timestamp);
    out_line(stdout, "%s", pe->has_repro ? " - a reproducible-build hash, not a time" : "");
    printf("  %-13s 0x%x\n", "size of image", (unsigned)pe->size_of_image);
    print_key("image key", sym_path_basename(info->path), &pe->id);
    print_debug_types(pe->debug, pe->n_debug);
    if (pe->has_codeview)
        print_codeview(&pe->codeview);
    if (pe->portable_pdb)
        printf("  %-13s the PDB is a portable PDB\n", "");
    if (pe->misc_name) {
        sym_identity dbg = pe->id;
        dbg.kind = SYM_ID_DBG;
        out_line(stdout, "  %-13s %s", "dbg file", pe->misc_name);
        print_key("dbg key", sym_path_basename(pe->misc_name), &dbg);
    }
    if (pe->has_exports)
        out_line(stdout, "  %-13s %zu named of %u%s", "exports", pe->n_exports,
                 (unsigned)pe->n_export_functions, pe->exports_truncated ? " (list cut)" : "");
    else
        printf("  %-13s none\n", "exports");
}

static void print_pdb(const sym_file_info *info)
{
    const sym_pdb_info *pdb = &info->u.pdb;
    char mbuf[16];
    out_line(stdout, "  %-13s %s, %u blocks of %u bytes, %u streams%s%s", "format",
             info->format == SYM_FMT_PDB70 ? "PDB 7.00 (MSF 7.00)" : "PDB 2.00 (JG)",
             (unsigned)pdb->num_blocks, (unsigned)pdb->block_size, (unsigned)pdb->num_streams,
             pdb->has_dbi && pdb->dbi_machine ? ", " : "",
             pdb->has_dbi && pdb->dbi_machine ? machine_text(pdb->dbi_machine, mbuf) : "");
    printf("  %-13s ", "identity");
    print_identity(&pdb->id);
    printf("\n  %-13s info stream %u, DBI %s", "age", (unsigned)pdb->info_age,
           pdb->has_dbi ? "" : "(no DBI header)");
    if (pdb->has_dbi)
        printf("%u", (unsigned)pdb->dbi_age);
    printf(" (keys use the DBI age)\n");
    out_line(stdout, "  %-13s %s", "symbols",
             pdb->stripped                        ? "public symbols (stripped)"
             : pdb->private_symbols && pdb->lines ? "private symbols & lines"
             : pdb->private_symbols               ? "private symbols"
                                                  : "public symbols");
    print_key("pdb key", sym_path_basename(info->path), &pdb->id);
}

static void print_dbg(const sym_file_info *info)
{
    const sym_dbg_info *dbg = &info->u.dbg;
    char mbuf[16];
    out_line(stdout, "  %-13s .dbg (separate debug header), %s, %u sections", "format",
             machine_text(dbg->machine, mbuf), (unsigned)dbg->n_sections);
    printf("  %-13s ", "timestamp");
    print_time(dbg->timestamp);
    printf("\n  %-13s 0x%x\n", "size of image", (unsigned)dbg->size_of_image);
    print_key("dbg key", sym_path_basename(info->path), &dbg->id);
    print_debug_types(dbg->debug, dbg->n_debug);
    if (dbg->has_codeview)
        print_codeview(&dbg->codeview);
}

static void print_dump(const sym_file_info *info)
{
    const sym_minidump_info *d = &info->u.dump;
    const char *arch = d->has_system_info ? sym_processor_name(d->processor_architecture) : NULL;
    out_text(stdout, "  %-13s minidump, %s", "format", arch ? arch : "unknown machine");
    if (d->has_system_info)
        printf(", OS %u.%u.%u", (unsigned)d->os_major, (unsigned)d->os_minor,
               (unsigned)d->os_build);
    printf("\n  %-13s ", "written");
    print_time(d->timestamp);
    printf("\n  %-13s %zu loaded, %zu unloaded\n", "modules", d->n_modules, d->n_unloaded);
    for (size_t i = 0; i < d->n_modules; i++) {
        const sym_dump_module *m = &d->modules[i];
        char key[SYM_KEY_MAX];
        sym_identity_key(&m->image_id, key);
        out_line(stdout, "  %3zu %016" PRIx64 " %-28s %s/%s", i, m->base,
                 sym_path_basename(m->name), sym_path_basename(m->name), key);
        if (m->has_codeview && m->codeview.id.kind != SYM_ID_NONE) {
            sym_identity_key(&m->codeview.id, key);
            out_line(stdout, "      %-16s %-28s %s/%s", m->codeview.format,
                     sym_path_basename(m->codeview.path), sym_path_basename(m->codeview.path), key);
        } else {
            printf("      %-16s (no CodeView record)\n", "");
        }
    }
    for (size_t i = 0; i < d->n_unloaded; i++) {
        const sym_dump_unloaded *u = &d->unloaded[i];
        char key[SYM_KEY_MAX];
        sym_identity_key(&u->image_id, key);
        out_line(stdout, "  unl %016" PRIx64 " %-28s %s/%s", u->base, sym_path_basename(u->name),
                 sym_path_basename(u->name), key);
    }
}

static void print_body(const sym_file_info *info);

static void print_cab(const sym_file_info *info)
{
    const sym_cab_info *cab = &info->u.cab;
    out_line(stdout, "  %-13s CAB, %zu member%s", "format", cab->n_members,
             cab->n_members == 1 ? "" : "s");
    for (size_t i = 0; i < cab->n_members; i++)
        out_line(stdout, "  %-13s %s, %u bytes, %s", i ? "" : "members", cab->members[i].name,
                 (unsigned)cab->members[i].size,
                 sym_cab_compression_name(cab->members[i].compression));
    if (cab->member) {
        out_line(stdout, "  first member, %s:", cab->member->path);
        print_body(cab->member);
    } else if (cab->member_error.status != SYM_OK) {
        out_line(stdout, "  %-13s %s", "member", cab->member_error.message);
    }
}

static void print_portable(const sym_file_info *info)
{
    const sym_portable_pdb_info *pp = &info->u.portable;
    out_line(stdout, "  %-13s portable PDB (%s)", "format", pp->version ? pp->version : "?");
    printf("  %-13s ", "identity");
    print_identity(&pp->id);
    printf("\n");
    print_key("pdb key", sym_path_basename(info->path), &pp->id);
}

static void print_body(const sym_file_info *info)
{
    switch (info->format) {
    case SYM_FMT_PE:
        print_pe(info);
        break;
    case SYM_FMT_PDB70:
    case SYM_FMT_PDB20:
        print_pdb(info);
        break;
    case SYM_FMT_DBG:
        print_dbg(info);
        break;
    case SYM_FMT_MINIDUMP:
        print_dump(info);
        break;
    case SYM_FMT_CAB:
        print_cab(info);
        break;
    case SYM_FMT_PORTABLE_PDB:
        print_portable(info);
        break;
    case SYM_FMT_UNKNOWN:
    default:
        break;
    }
}

int cmd_inspect(int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"max-size", required_argument, NULL, 'm'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    bool json = false;
    uint64_t max_member = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            json = true;
            break;
        case 'm':
            if (!units_parse_size(optarg, &max_member) || max_member == 0) {
                out_line(
                    stderr,
                    "symscope inspect: --max-size %s: expected 500M, 2G, 100K or a number of bytes",
                    optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h':
            print_usage(stdout);
            return 0;
        default:
            print_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "symscope inspect: no FILE given\n");
        print_usage(stderr);
        return EXIT_USAGE;
    }
    int status = 0;
    for (int i = optind; i < argc; i++) {
        sym_file_info *info;
        sym_error err;
        if (sym_file_inspect_bounded(argv[i], max_member, &info, &err) != SYM_OK) {
            fflush(stdout);
            out_line(stderr, "symscope: %s", err.message);
            status = EXIT_USAGE;
            continue;
        }
        if (json) {
            json_object *o = fileinfo_to_json(info);
            puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
            json_object_put(o);
        } else {
            if (i > optind)
                printf("\n");
            out_line(stdout, "%s", info->path);
            print_body(info);
        }
        /* A CAB whose member cannot be extracted is unreadable input, like a bad file. */
        if (info->format == SYM_FMT_CAB && info->u.cab.member_unextracted) {
            fflush(stdout);
            out_line(stderr, "symscope: %s", info->u.cab.member_error.message);
            status = EXIT_USAGE;
        }
        sym_file_info_free(info);
    }
    return status;
}
