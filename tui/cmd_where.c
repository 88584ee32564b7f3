/* `symscope where [OPTIONS] MODULE...`: every place where the module's symbol file would be
 * found if it were there, in search order (local paths, store keys and URLs), and the first
 * place where putting a file makes it win. Nothing is read, asked or written. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "json_text.h"
#include "out_text.h"
#include "options.h"
#include "where.h"

static void usage(FILE *f)
{
    fputs("usage: symscope where [OPTIONS] MODULE...\n"
          "  Lists, in search order, every place where each module's symbol file would be\n"
          "  found if it were there (directories, store keys, URLs), and the first place where\n"
          "  putting the file makes it win. Looks in none of them.\n\n" COMMON_OPTIONS_HELP
          "  --json                one JSON object per module\n"
          "Exit status: 0, or 2 bad usage or unreadable input.\n",
          f);
}

static void print_module(const sym_session *s, const sym_module_info *m, bool json)
{
    where_result r;
    where_collect(s, m, &r);
    if (!json) {
        char *text = where_text(&r);
        fputs(text ? text : "", stdout);
        free(text);
        where_free(&r);
        return;
    }
    json_object *o = json_object_new_object();
    json_object *list = json_object_new_array();
    for (size_t i = 0; i < r.n; i++) {
        const where_place *pl = &r.places[i];
        json_object *p = json_object_new_object();
        json_object_object_add(p, "step", json_object_new_string(sym_step_name(pl->step)));
        json_object_object_add(p, "element",
                               pl->element >= 0 ? json_object_new_int(pl->element) : NULL);
        json_object_object_add(p, "rule", json_object_new_string(pl->rule ? pl->rule : ""));
        json_add_text(p, "location", pl->location);
        json_add_text(p, "local", pl->local);
        json_object_array_add(list, p);
    }
    json_object_object_add(o, "module", json_object_new_string(m->name));
    json_object_object_add(o, "file",
                           m->wanted_file ? json_object_new_string(m->wanted_file) : NULL);
    json_object_object_add(o, "key", json_object_new_string(r.key ? r.key : ""));
    json_object_object_add(o, "places", list);
    json_add_text(o, "first_local", r.first_local >= 0 ? r.places[r.first_local].local : NULL);
    printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    where_free(&r);
}

int cmd_where(int argc, char **argv)
{
    static const struct option opts[] = {
        COMMON_LONG_OPTIONS, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    common_opts o;
    common_opts_init(&o);
    int rc = common_opts_parse(&o, argc, argv, opts, usage, NULL, NULL);
    if (rc == 1) {
        common_opts_free(&o);
        return 0;
    }
    if (rc == 0 && optind >= argc) {
        fprintf(stderr, "symscope where: no MODULE given\n");
        usage(stderr);
        rc = EXIT_USAGE;
    }
    if (rc == 0)
        rc = common_opts_load_config(&o);
    sym_session *s = rc == 0 ? common_opts_session(&o) : NULL;
    if (rc == 0 && !s)
        rc = EXIT_USAGE;
    if (s) {
        sym_session_set_plan(s, true);
        for (int i = optind; i < argc; i++) {
            sym_error err;
            size_t before = sym_session_module_count(s), n = 0;
            if (sym_session_load(s, argv[i], &n, &err) != SYM_OK) {
                out_line(stderr, "symscope: %s", err.message);
                rc = EXIT_USAGE;
                continue;
            }
            for (size_t k = before; k < sym_session_module_count(s); k++)
                print_module(s, sym_session_module(s, k), o.json);
        }
        sym_session_free(s);
    }
    common_opts_free(&o);
    return rc;
}
