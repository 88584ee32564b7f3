/* The session: DbgHelp's SymInitialize, SymSetSearchPath, SymGetSearchPath, SymLoadModuleEx,
 * SymUnloadModule64 and SymCleanup on an opaque handle. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stores/fsdir.h"
#include "stores/http_client.h"
#include "search/session_internal.h"
#include "symscope/cache.h"

#define KEY_MODULE_BASE 0x10000000ull /* where FILE/KEY modules are placed */
#define BASE_ALIGN 0x10000ull

static void module_free(module *m)
{
    if (!m)
        return;
    attempts_clear(m);
    free((char *)m->info.name);
    free((char *)m->info.image);
    free((char *)m->info.image_name);
    free((char *)m->info.wanted_file);
    free((char *)m->info.cv_path);
    free((char *)m->info.file);
    free((char *)m->info.location);
    free(m->ext);
    free(m->image_dir_text);
    free(m);
}

static char *home_default(void)
{
    const char *v;
    if ((v = getenv("SYMSCOPE_HOME")) && *v)
        return util_strdup(v);
    if ((v = getenv("DBGHELP_HOMEDIR")) && *v)
        return util_strdup(v);
    if ((v = getenv("XDG_CACHE_HOME")) && *v)
        return util_asprintf("%s/symscope", v);
    const char *home = getenv("HOME");
    return util_asprintf("%s/.cache/symscope", home && *home ? home : "/tmp");
}

sym_status sym_session_create(sym_session **out, sym_error *err)
{
    sym_error_clear(err);
    *out = NULL;
    sym_session *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(err, SYM_E_NOMEM, "out of memory creating a session");
    s->profile = SYM_PROFILE_NATIVE;
    /* Made here, not on first use: searches run on several threads at once. */
    s->dirs = fsdir_cache_new();
    if (!s->dirs) {
        free(s);
        return err_set(err, SYM_E_NOMEM, "out of memory creating a session");
    }
    s->home = home_default();
    char cwd[PATH_MAX];
    s->cwd = util_strdup(getcwd(cwd, sizeof cwd) ? cwd : ".");
    const char *v = getenv("_NT_SYMBOL_PATH");
    s->env_symbol_path = util_strdup(v);
    v = getenv("_NT_ALT_SYMBOL_PATH");
    s->env_alt_symbol_path = util_strdup(v);
    s->next_key_base = KEY_MODULE_BASE;
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&s->emit_lock, &attr);
    pthread_mutexattr_destroy(&attr);
    s->jobs = 1;
    sym_http_settings h;
    sym_http_settings_default(&h);
    if (!s->home || !s->cwd || sym_session_set_http(s, &h, err) != SYM_OK) {
        sym_session_free(s);
        return err_set(err, SYM_E_NOMEM, "out of memory creating a session");
    }
    *out = s;
    return SYM_OK;
}

static void free_changes(sym_session *s)
{
    for (size_t i = 0; i < s->n_changes; i++)
        free((char *)s->changes[i].old_file);
    free(s->changes);
    s->changes = NULL;
    s->n_changes = 0;
}

static void free_modules(sym_session *s)
{
    for (size_t i = 0; i < s->n_modules; i++)
        module_free(s->modules[i]);
    free(s->modules);
    s->modules = NULL;
    s->n_modules = s->cap_modules = 0;
    for (size_t i = 0; i < s->n_unloaded; i++)
        module_free(s->unloaded[i]);
    free(s->unloaded);
    s->unloaded = NULL;
    s->n_unloaded = s->cap_unloaded = 0;
    free_changes(s);
    bases_clear(s);
}

void sym_session_free(sym_session *s)
{
    if (!s)
        return;
    http_client_free(s->http_client);
    http_settings_free(&s->http);
    fsdir_cache_free(s->dirs);
    free(s->real_dir_of);
    free(s->real_dir);
    session_scratch_remove(s);
    for (size_t i = 0; i < s->n_http_stores; i++) {
        http_store_state_free(s->http_stores[i]);
    }
    free(s->http_stores);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->emit_lock);
    free_modules(s);
    elements_free(s->elements, s->n_elements);
    for (size_t i = 0; i < s->n_maps; i++) {
        free(s->maps[i].from);
        free(s->maps[i].dir);
    }
    free(s->maps);
    free(s->listeners);
    free(s->home);
    free(s->cwd);
    free(s->env_symbol_path);
    free(s->env_alt_symbol_path);
    free(s->path);
    free(s->expanded);
    for (size_t i = 0; i < s->n_cache_dirs; i++)
        free(s->cache_dirs[i]);
    free(s->cache_dirs);
    free(s);
}

/* ---- events ---- */

/* ---- settings ---- */

static sym_status reparse(sym_session *s, sym_error *err)
{
    /* Settings that change how elements read (profile, mappings, options) take effect on
     * the path at once, as a new SymSetSearchPath would. */
    if (!s->initialized)
        return SYM_OK;
    return path_parse_into(s, s->path, false, err);
}

sym_status sym_session_set_profile(sym_session *s, sym_profile p, sym_error *err)
{
    if ((unsigned)p >= SYM_PROFILE_COUNT)
        return err_set(err, SYM_E_ARG, "unknown profile %d", (int)p);
    s->profile = p;
    return reparse(s, err);
}

sym_profile sym_session_profile(const sym_session *s)
{
    return s->profile;
}

sym_status sym_session_set_option(sym_session *s, sym_option o, bool on, sym_error *err)
{
    if ((unsigned)o >= SYM_OPTION_COUNT)
        return err_set(err, SYM_E_ARG, "unknown option %d", (int)o);
    s->options[o] = on;
    return o == SYM_OPT_DISABLE_SYMSRV_AUTODETECT ? reparse(s, err) : SYM_OK;
}

bool sym_session_option(const sym_session *s, sym_option o)
{
    return (unsigned)o < SYM_OPTION_COUNT && s->options[o];
}

sym_status sym_session_remove_mapping(sym_session *s, const char *from, sym_error *err)
{
    char *norm = from ? pathmap_normalize_from(from) : NULL;
    if (!norm)
        return err_set(err, SYM_E_ARG, "mapping '%s': not a drive (C:) or a share",
                       from ? from : "(null)");
    for (size_t i = 0; i < s->n_maps; i++)
        if (strcmp(s->maps[i].from, norm) == 0) {
            free(s->maps[i].from);
            free(s->maps[i].dir);
            memmove(&s->maps[i], &s->maps[i + 1], (s->n_maps - i - 1) * sizeof *s->maps);
            s->n_maps--;
            free(norm);
            return reparse(s, err);
        }
    free(norm);
    return err_set(err, SYM_E_ARG, "%s is not mapped", from);
}

sym_status sym_session_add_mapping(sym_session *s, const char *from, const char *dir,
                                   sym_error *err)
{
    char *norm = from ? pathmap_normalize_from(from) : NULL;
    if (!norm)
        return err_set(err, SYM_E_ARG,
                       "mapping '%s': the left side must be a drive (C:) or a share "
                       "(\\\\server\\share)",
                       from ? from : "(null)");
    if (!dir || !*dir) {
        free(norm);
        return err_set(err, SYM_E_ARG, "mapping '%s': no directory", from);
    }
    for (size_t i = 0; i < s->n_maps; i++)
        if (strcmp(s->maps[i].from, norm) == 0) {
            char *d = util_strdup(dir);
            if (!d) {
                free(norm);
                return err_set(err, SYM_E_NOMEM, "out of memory");
            }
            free(s->maps[i].dir);
            s->maps[i].dir = d;
            free(norm);
            return reparse(s, err);
        }
    char *d = util_strdup(dir);
    if (!d || !util_grow(&s->maps, &s->cap_maps, s->n_maps + 1, sizeof *s->maps)) {
        free(norm);
        free(d);
        return err_set(err, SYM_E_NOMEM, "out of memory");
    }
    s->maps[s->n_maps++] = (path_mapping){norm, d};
    return reparse(s, err);
}

static sym_status set_string(char **field, const char *value, sym_error *err)
{
    char *v = util_strdup(value);
    if (value && !v)
        return err_set(err, SYM_E_NOMEM, "out of memory");
    free(*field);
    *field = v;
    return SYM_OK;
}

sym_status sym_session_set_home(sym_session *s, const char *dir, sym_error *err)
{
    if (!dir || !*dir)
        return err_set(err, SYM_E_ARG, "home directory: empty");
    sym_status st = set_string(&s->home, dir, err);
    return st == SYM_OK ? reparse(s, err) : st;
}

const char *sym_session_home(const sym_session *s)
{
    return s->home;
}

sym_status sym_session_setenv(sym_session *s, const char *name, const char *value, sym_error *err)
{
    if (name && strcmp(name, "_NT_SYMBOL_PATH") == 0)
        return set_string(&s->env_symbol_path, value, err);
    if (name && strcmp(name, "_NT_ALT_SYMBOL_PATH") == 0)
        return set_string(&s->env_alt_symbol_path, value, err);
    return err_set(err, SYM_E_ARG, "environment variable %s is not one a session reads",
                   name ? name : "(null)");
}

sym_status sym_session_set_cwd(sym_session *s, const char *dir, sym_error *err)
{
    if (!dir || !*dir)
        return err_set(err, SYM_E_ARG, "directory: empty");
    sym_status st = set_string(&s->cwd, dir, err);
    return st == SYM_OK ? reparse(s, err) : st;
}

/* ---- the path ---- */

static sym_status apply_path(sym_session *s, const char *path, sym_error *err)
{
    char *text = path ? util_strdup(path) : path_default(s);
    if (!text)
        return err_set(err, SYM_E_NOMEM, "out of memory");
    sym_status st = path_parse_into(s, path ? path : text, path == NULL, err);
    if (st != SYM_OK) {
        free(text);
        return st;
    }
    free(s->path);
    s->path = text;
    session_emit_simple(s, SYM_EV_PATH_SET, NULL, s->expanded);
    return SYM_OK;
}

sym_status sym_session_initialize(sym_session *s, const char *path, sym_error *err)
{
    sym_error_clear(err);
    if (s->initialized)
        return SYM_OK; /* like native SymInitialize on an initialised handle */
    s->initialized = true;
    sym_status st = apply_path(s, path, err);
    if (st != SYM_OK)
        s->initialized = false;
    return st;
}

bool sym_session_initialized(const sym_session *s)
{
    return s->initialized;
}

static sym_status need_init(const sym_session *s, const char *what, sym_error *err)
{
    if (s->initialized)
        return SYM_OK;
    return err_set(err, SYM_E_ARG, "%s: the session is not initialised", what);
}

sym_status sym_session_set_path(sym_session *s, const char *path, sym_error *err)
{
    sym_error_clear(err);
    sym_status st = need_init(s, "set path", err);
    return st == SYM_OK ? apply_path(s, path, err) : st;
}

const char *sym_session_get_path(const sym_session *s)
{
    return s->initialized ? s->path : NULL;
}

const char *sym_session_expanded_path(const sym_session *s)
{
    return s->initialized ? s->expanded : NULL;
}

size_t sym_session_element_count(const sym_session *s)
{
    return s->initialized ? s->n_elements : 0;
}

const sym_element_desc *sym_session_element(const sym_session *s, size_t i)
{
    return s->initialized && i < s->n_elements ? &s->elements[i].d : NULL;
}

sym_status sym_session_set_element_enabled(sym_session *s, size_t i, bool enabled, sym_error *err)
{
    if (!s->initialized || i >= s->n_elements)
        return err_set(err, SYM_E_ARG, "no path element %zu", i);
    s->elements[i].d.enabled = enabled;
    return SYM_OK;
}

/* ---- modules ---- */

static char *name_without_ext(const char *file)
{
    const char *dot = strrchr(file, '.');
    return dot && dot != file ? util_strndup(file, (size_t)(dot - file), NULL) : util_strdup(file);
}

static char *ext_of(const char *file)
{
    const char *dot = strrchr(file, '.');
    if (!dot || !dot[1])
        return NULL;
    char *e = util_strdup(dot + 1);
    for (char *p = e; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return e;
}

/* What a module's symbol file is, from its CodeView record or, for images stripped of their
 * debug information, the .dbg file. */
static void set_wanted(module *m, const sym_codeview *cv, bool has_cv, bool stripped,
                       const char *misc_name)
{
    if (has_cv && cv->id.kind != SYM_ID_NONE && cv->path && cv->path[0] &&
        *sym_path_basename(cv->path)) {
        m->info.wanted = cv->id;
        m->info.wanted_file = util_strdup(sym_path_basename(cv->path));
        m->info.cv_path = util_strdup(cv->path);
        return;
    }
    if (stripped || misc_name) {
        const char *dbg =
            misc_name && *sym_path_basename(misc_name) ? sym_path_basename(misc_name) : NULL;
        m->info.wanted = m->info.image_id;
        m->info.wanted.kind = SYM_ID_DBG;
        m->info.wanted_file = dbg ? util_strdup(dbg) : util_asprintf("%s.dbg", m->info.name);
    }
}

static sym_status add_module(sym_session *s, module *m, sym_error *err)
{
    pthread_mutex_lock(&s->lock); /* sym_session_cancel() may walk the list meanwhile */
    bool grown = util_grow(&s->modules, &s->cap_modules, s->n_modules + 1, sizeof *s->modules) &&
                 bases_add(s, m->info.base, m->info.size, m);
    if (grown)
        s->modules[s->n_modules++] = m;
    pthread_mutex_unlock(&s->lock);
    if (!grown) {
        module_free(m);
        return err_set(err, SYM_E_NOMEM, "out of memory");
    }
    m->info.element = -1;
    bool deferred = s->options[SYM_OPT_DEFERRED_LOADS];
    m->info.state = deferred ? SYM_MOD_DEFERRED : SYM_MOD_LOADED;
    m->info.symbols = deferred ? SYM_CLASS_DEFERRED : SYM_CLASS_NONE;
    session_emit_simple(s, SYM_EV_MODULE_LOADED, &m->info, NULL);
    if (deferred)
        return SYM_OK;
    search_pass_begin(s);
    return search_module(s, m, false, err);
}

/* The image's absolute path with links resolved: the directory's real path is worked out
 * once per directory (modules come by the thousand from a few directories); a file that is
 * itself a link is resolved whole. */
static char *real_image_path(sym_session *s, const char *path)
{
    char abs[PATH_MAX];
    struct stat st;
    const char *file = sym_path_basename(path);
    if (lstat(path, &st) != 0 || S_ISLNK(st.st_mode) || file == path || !*file)
        return util_strdup(realpath(path, abs) ? abs : path);
    char *dir = util_strndup(path, (size_t)(file - path - 1), NULL);
    if (!dir)
        return NULL;
    if (!s->real_dir_of || strcmp(s->real_dir_of, dir) != 0) {
        free(s->real_dir_of);
        free(s->real_dir);
        s->real_dir_of = dir;
        s->real_dir = util_strdup(realpath(*dir ? dir : "/", abs) ? abs : NULL);
        dir = NULL;
    }
    free(dir);
    if (!s->real_dir)
        return util_strdup(realpath(path, abs) ? abs : path);
    return util_asprintf("%s%s%s", s->real_dir, strcmp(s->real_dir, "/") == 0 ? "" : "/", file);
}

static sym_status image_module(sym_session *s, const char *path, const sym_pe_info *pe,
                               uint64_t base, module **out, sym_error *err)
{
    module *m = calloc(1, sizeof *m);
    if (!m)
        return err_set(err, SYM_E_NOMEM, "out of memory");
    const char *file = sym_path_basename(path);
    m->info.image = real_image_path(s, path);
    m->info.image_name = util_strdup(file);
    m->info.name = name_without_ext(file);
    m->ext = ext_of(file);
    m->image_dir_text = util_strdup(m->info.image);
    char *slash = m->image_dir_text ? strrchr(m->image_dir_text, '/') : NULL;
    if (slash)
        *slash = '\0';
    m->info.size = pe->size_of_image;
    m->info.image_id = pe->id;
    m->info.base = bases_free(s, base ? base : pe->image_base, pe->size_of_image);
    m->has_exports = pe->n_exports > 0;
    if (!m->info.image || !m->info.image_name || !m->info.name || !m->image_dir_text) {
        module_free(m);
        return err_set(err, SYM_E_NOMEM, "out of memory");
    }
    set_wanted(m, &pe->codeview, pe->has_codeview, pe->debug_stripped, pe->misc_name);
    *out = m;
    return SYM_OK;
}

/* Reads a file to load modules from; it must be of the format `want` ("an image"). */
static sym_status read_module_file(sym_session *s, const char *path, sym_format want,
                                   const char *what, sym_file_info **out, sym_error *err)
{
    *out = NULL;
    sym_status st = need_init(s, "load", err);
    if (st != SYM_OK)
        return st;
    st = sym_file_inspect(path, out, err);
    if (st != SYM_OK)
        return st;
    if ((*out)->format != want) {
        st = err_set(err, SYM_E_FORMAT, "%s: a %s file, not %s", path,
                     sym_format_name((*out)->format), what);
        sym_file_info_free(*out);
        *out = NULL;
    }
    return st;
}

void sym_session_set_plan(sym_session *s, bool on)
{
    s->plan = on;
}

bool sym_session_watch_dirs(sym_session *s)
{
    if (!s->dirs && !(s->dirs = fsdir_cache_new()))
        return false;
    return fsdir_cache_watch(s->dirs);
}

void sym_session_set_image_handle(sym_session *s, bool given)
{
    s->no_image_handle = !given;
}

static sym_status load_image_info(sym_session *s, const char *path, sym_file_info *info,
                                  uint64_t base, uint64_t *out_base, sym_error *err);

sym_status sym_session_load_image(sym_session *s, const char *path, uint64_t base,
                                  uint64_t *out_base, sym_error *err)
{
    sym_error_clear(err);
    sym_file_info *info;
    sym_status st = read_module_file(s, path, SYM_FMT_PE, "an image", &info, err);
    if (st != SYM_OK)
        return st;
    return load_image_info(s, path, info, base, out_base, err);
}

/* Loads an image already read (info is freed). */
static sym_status load_image_info(sym_session *s, const char *path, sym_file_info *info,
                                  uint64_t base, uint64_t *out_base, sym_error *err)
{
    sym_status st;
    if (base && bases_overlap(s, base, info->u.pe.size_of_image)) {
        /* Native DbgHelp keeps the module already loaded there. */
        sym_file_info_free(info);
        if (out_base)
            *out_base = 0;
        return err_set(err, SYM_E_ARG, "%s: a module is already loaded at 0x%llx", path,
                       (unsigned long long)base);
    }
    module *m;
    st = image_module(s, path, &info->u.pe, base, &m, err);
    sym_file_info_free(info);
    if (st != SYM_OK)
        return st;
    m->no_handle = s->no_image_handle;
    if (out_base)
        *out_base = m->info.base;
    return add_module(s, m, err);
}

static module *dump_module(const sym_dump_module *dm)
{
    module *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    const char *file = sym_path_basename(dm->name);
    m->info.image_name = util_strdup(file);
    m->info.name = name_without_ext(file);
    m->ext = ext_of(file);
    if (file != dm->name)
        m->image_dir_text = util_strndup(dm->name, (size_t)(file - dm->name - 1), NULL);
    m->info.base = dm->base;
    m->info.size = dm->size;
    m->info.image_id = dm->image_id;
    if (!m->info.image_name || !m->info.name) {
        module_free(m);
        return NULL;
    }
    set_wanted(m, &dm->codeview, dm->has_codeview, false, dm->misc_name);
    return m;
}

sym_status sym_session_load_dump(sym_session *s, const char *path, size_t *n_loaded, sym_error *err)
{
    sym_error_clear(err);
    if (n_loaded)
        *n_loaded = 0;
    sym_file_info *info;
    sym_status st = read_module_file(s, path, SYM_FMT_MINIDUMP, "a minidump", &info, err);
    if (st != SYM_OK)
        return st;
    for (size_t i = 0; i < info->u.dump.n_modules && st == SYM_OK; i++) {
        const sym_dump_module *dm = &info->u.dump.modules[i];
        if (bases_overlap(s, dm->base, dm->size))
            continue; /* the module already loaded there stays */
        module *m = dump_module(dm);
        if (!m) {
            st = err_set(err, SYM_E_NOMEM, "out of memory");
            break;
        }
        st = add_module(s, m, err);
        if (st == SYM_OK && n_loaded)
            (*n_loaded)++;
    }
    sym_file_info_free(info);
    return st;
}

/* "crash.pdb/3249D99D...1": the identity kind comes from the file name and the key's length. */
static bool parse_file_key(const char *text, char **file, sym_identity *id)
{
    const char *slash = strrchr(text, '/');
    if (!slash || slash == text || !slash[1])
        return false;
    const char *key = slash + 1;
    char *f = util_strndup(text, (size_t)(slash - text), NULL);
    if (!f)
        return false;
    const char *base = sym_path_basename(f);
    char *ext = ext_of(base);
    sym_id_kind kind = SYM_ID_IMAGE;
    if (ext && strcmp(ext, "pdb") == 0)
        kind = strlen(key) >= 33 ? SYM_ID_PDB70 : SYM_ID_PDB20;
    else if (ext && strcmp(ext, "dbg") == 0)
        kind = SYM_ID_DBG;
    free(ext);
    if (!*base || !sym_identity_parse_key(kind, key, id)) {
        free(f);
        return false;
    }
    *file = util_strdup(base);
    free(f);
    return *file != NULL;
}

sym_status sym_session_load_key(sym_session *s, const char *file_key, uint64_t *out_base,
                                sym_error *err)
{
    sym_error_clear(err);
    sym_status st = need_init(s, "load", err);
    if (st != SYM_OK)
        return st;
    char *file = NULL;
    sym_identity id;
    if (!parse_file_key(file_key, &file, &id))
        return err_set(err, SYM_E_ARG,
                       "%s: not FILE/KEY (e.g. crash.pdb/3249D99D0C4049318610F4E4FB0B69361)",
                       file_key);
    module *m = calloc(1, sizeof *m);
    if (!m) {
        free(file);
        return err_set(err, SYM_E_NOMEM, "out of memory");
    }
    m->info.name = name_without_ext(file);
    m->info.wanted = id;
    m->info.wanted_file = file;
    if (id.kind == SYM_ID_IMAGE) {
        m->info.image_id = id;
        m->info.size = id.size;
        m->ext = ext_of(file);
    }
    m->info.base = bases_free(s, s->next_key_base, m->info.size ? m->info.size : BASE_ALIGN);
    s->next_key_base = m->info.base + BASE_ALIGN;
    if (!m->info.name) {
        module_free(m);
        return err_set(err, SYM_E_NOMEM, "out of memory");
    }
    if (out_base)
        *out_base = m->info.base;
    return add_module(s, m, err);
}

sym_status sym_session_load(sym_session *s, const char *module_text, size_t *n_loaded,
                            sym_error *err)
{
    sym_error_clear(err);
    if (n_loaded)
        *n_loaded = 0;
    sym_file_info *info;
    sym_status rs = need_init(s, "load", err);
    if (rs != SYM_OK)
        return rs;
    rs = sym_file_inspect(module_text, &info, err);
    if (rs != SYM_E_NOENT) {
        /* An existing file (or one that cannot be read): an image or a minidump. */
        if (rs != SYM_OK)
            return rs;
        if (info->format == SYM_FMT_MINIDUMP) {
            sym_file_info_free(info);
            return sym_session_load_dump(s, module_text, n_loaded, err);
        }
        if (info->format != SYM_FMT_PE) {
            rs = err_set(err, SYM_E_FORMAT, "%s: a %s file, not an image", module_text,
                         sym_format_name(info->format));
            sym_file_info_free(info);
            return rs;
        }
        rs = load_image_info(s, module_text, info, 0, NULL, err);
        if (rs == SYM_OK && n_loaded)
            *n_loaded = 1;
        return rs;
    }
    sym_error_clear(err);
    char *file = NULL;
    sym_identity id;
    if (parse_file_key(module_text, &file, &id)) {
        free(file);
        rs = sym_session_load_key(s, module_text, NULL, err);
        if (rs == SYM_OK && n_loaded)
            *n_loaded = 1;
        return rs;
    }
    return err_set(err, SYM_E_NOENT, "%s: no such file (and not FILE/KEY)", module_text);
}

static module *find(const sym_session *s, uint64_t base, size_t *index)
{
    if (!index)
        return bases_owner(s, base); /* a binary search */
    for (size_t i = 0; i < s->n_modules; i++)
        if (s->modules[i]->info.base == base) {
            if (index)
                *index = i;
            return s->modules[i];
        }
    return NULL;
}

static sym_status search_one(sym_session *s, uint64_t base, bool force, sym_error *err)
{
    sym_error_clear(err);
    s->cancel_all = 0; /* a cancel is for what runs, not what comes next */
    module *m = find(s, base, NULL);
    if (!m)
        return err_set(err, SYM_E_ARG, "no module at 0x%llx", (unsigned long long)base);
    search_pass_begin(s);
    return search_module(s, m, force, err);
}

sym_status sym_session_load_symbols(sym_session *s, uint64_t base, sym_error *err)
{
    return search_one(s, base, false, err);
}

sym_status sym_session_force_load(sym_session *s, uint64_t base, sym_error *err)
{
    return search_one(s, base, true, err);
}

sym_status sym_session_unload(sym_session *s, uint64_t base, sym_error *err)
{
    sym_error_clear(err);
    size_t i;
    module *m = find(s, base, &i);
    if (!m)
        return err_set(err, SYM_E_ARG, "no module at 0x%llx", (unsigned long long)base);
    pthread_mutex_lock(&s->lock); /* sym_session_cancel() may walk the list meanwhile */
    memmove(&s->modules[i], &s->modules[i + 1], (s->n_modules - i - 1) * sizeof *s->modules);
    s->n_modules--;
    bases_remove(s, m->info.base);
    pthread_mutex_unlock(&s->lock);
    attempts_clear(m);
    m->info.state = SYM_MOD_UNLOADED;
    m->info.n_attempts = 0;
    if (!util_grow(&s->unloaded, &s->cap_unloaded, s->n_unloaded + 1, sizeof *s->unloaded)) {
        module_free(m);
        return SYM_OK; /* unloaded all the same; only the record of it is lost */
    }
    s->unloaded[s->n_unloaded++] = m;
    session_emit_simple(s, SYM_EV_MODULE_UNLOADED, &m->info, NULL);
    return SYM_OK;
}

sym_status sym_session_cleanup(sym_session *s, sym_error *err)
{
    sym_error_clear(err);
    sym_status st = need_init(s, "cleanup", err);
    if (st != SYM_OK)
        return st;
    free_modules(s);
    elements_free(s->elements, s->n_elements);
    s->elements = NULL;
    s->n_elements = 0;
    free(s->path);
    free(s->expanded);
    s->path = s->expanded = NULL;
    s->next_key_base = KEY_MODULE_BASE;
    s->initialized = false;
    session_emit_simple(s, SYM_EV_CLEANUP, NULL, NULL);
    return SYM_OK;
}

size_t sym_session_module_count(const sym_session *s)
{
    return s->n_modules;
}

const sym_module_info *sym_session_module(const sym_session *s, size_t i)
{
    return i < s->n_modules ? &s->modules[i]->info : NULL;
}

const sym_module_info *sym_session_find_module(const sym_session *s, uint64_t base)
{
    module *m = find(s, base, NULL);
    return m ? &m->info : NULL;
}

size_t sym_session_attempt_count(const sym_session *s, uint64_t base)
{
    module *m = find(s, base, NULL);
    return m ? m->n_attempts : 0;
}

const sym_attempt *sym_session_attempt(const sym_session *s, uint64_t base, size_t i)
{
    module *m = find(s, base, NULL);
    return m && i < m->n_attempts ? &m->attempts[i] : NULL;
}

size_t sym_session_unloaded_count(const sym_session *s)
{
    return s->n_unloaded;
}

const sym_module_info *sym_session_unloaded(const sym_session *s, size_t i)
{
    return i < s->n_unloaded ? &s->unloaded[i]->info : NULL;
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

sym_status sym_session_research(sym_session *s, const sym_winner_change **changes,
                                size_t *n_changes, sym_error *err)
{
    sym_error_clear(err);
    *changes = NULL;
    *n_changes = 0;
    sym_status st = need_init(s, "search again", err);
    if (st != SYM_OK)
        return st;
    free_changes(s);
    search_pass_begin(s);
    s->cancel_all = 0;
    size_t cap = 0;
    for (size_t i = 0; i < s->n_modules; i++) {
        module *m = s->modules[i];
        if (m->info.state != SYM_MOD_LOADED)
            continue;
        int old_el = m->info.element;
        sym_symclass old_sym = m->info.symbols;
        char *old_file = util_strdup(m->info.file);
        st = search_module(s, m, false, err);
        if (st != SYM_OK) {
            free(old_file);
            return st;
        }
        /* Elements moved: the same file from the same element at a new index is no change. */
        if (!same_str(old_file, m->info.file) || old_sym != m->info.symbols) {
            if (!util_grow(&s->changes, &cap, s->n_changes + 1, sizeof *s->changes)) {
                free(old_file);
                return err_set(err, SYM_E_NOMEM, "out of memory");
            }
            /* The record owns old_file until the next re-search. */
            s->changes[s->n_changes++] = (sym_winner_change){.base = m->info.base,
                                                             .name = m->info.name,
                                                             .old_element = old_el,
                                                             .new_element = m->info.element,
                                                             .old_file = old_file,
                                                             .new_file = m->info.file,
                                                             .old_symbols = old_sym,
                                                             .new_symbols = m->info.symbols};
            old_file = NULL;
        }
        free(old_file);
    }
    *changes = s->changes;
    *n_changes = s->n_changes;
    return SYM_OK;
}

/* ---- many modules at once ---- */

typedef struct resolve_pool {
    sym_session *s;
    module **mods;
    size_t n;
    size_t next;
    pthread_mutex_t lock;
} resolve_pool;

static void *resolve_worker(void *arg)
{
    resolve_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            return NULL;
        search_module(p->s, p->mods[i], false, NULL);
    }
}

sym_status sym_session_resolve(sym_session *s, int jobs, sym_error *err)
{
    sym_error_clear(err);
    sym_status st = need_init(s, "resolve", err);
    if (st != SYM_OK)
        return st;
    if (jobs < 1)
        jobs = 1;
    if (jobs != s->jobs) {
        /* The multi loop's transfer limit follows the number of jobs. */
        s->jobs = jobs;
        pthread_mutex_lock(&s->lock); /* sym_session_cancel() may wake it meanwhile */
        struct http_client *old = s->http_client;
        s->http_client = NULL;
        pthread_mutex_unlock(&s->lock);
        http_client_free(old);
    }
    s->cancel_all = 0;
    search_pass_begin(s);
    resolve_pool p = {.s = s};
    p.mods = calloc(s->n_modules ? s->n_modules : 1, sizeof *p.mods);
    if (!p.mods)
        return err_set(err, SYM_E_NOMEM, "out of memory");
    for (size_t i = 0; i < s->n_modules; i++)
        if (s->modules[i]->info.state == SYM_MOD_DEFERRED)
            p.mods[p.n++] = s->modules[i];
    pthread_mutex_init(&p.lock, NULL);
    /* jobs searches at once: this thread and jobs - 1 more. */
    size_t n_threads = ((size_t)jobs < p.n ? (size_t)jobs : p.n);
    n_threads = n_threads > 0 ? n_threads - 1 : 0;
    pthread_t *threads = n_threads > 0 ? calloc(n_threads, sizeof *threads) : NULL;
    size_t started = 0;
    for (size_t i = 0; threads && i < n_threads; i++)
        if (pthread_create(&threads[i], NULL, resolve_worker, &p) == 0)
            started++;
    resolve_worker(&p); /* this thread works too (and alone when threads failed) */
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    pthread_mutex_destroy(&p.lock);
    free(p.mods);
    s->cancel_all = 0;
    return SYM_OK;
}

void sym_session_cancel(sym_session *s, uint64_t base)
{
    pthread_mutex_lock(&s->lock);
    if (base == 0) {
        s->cancel_all = 1;
    } else {
        module *m = find(s, base, NULL);
        if (m)
            m->cancel = 1;
    }
    http_client_wakeup(s->http_client);
    pthread_mutex_unlock(&s->lock);
}

static void keep_cache_dir(const char *dir, void *ctx)
{
    sym_session *s = ctx;
    if (util_grow(&s->cache_dirs, &s->cap_cache_dirs, s->n_cache_dirs + 1, sizeof *s->cache_dirs)) {
        s->cache_dirs[s->n_cache_dirs] = util_strdup(dir);
        if (s->cache_dirs[s->n_cache_dirs])
            s->n_cache_dirs++;
    }
}

size_t sym_session_cache_dirs(struct sym_session *s, const char ***dirs)
{
    for (size_t i = 0; i < s->n_cache_dirs; i++)
        free(s->cache_dirs[i]);
    s->n_cache_dirs = 0;
    const profile_def *pd = profile_get(s->profile);
    if (pd->stores)
        chain_downstream_stores(s->elements, s->n_elements, pd->cache_feeds_srv, s->home,
                                keep_cache_dir, s);
    *dirs = (const char **)s->cache_dirs;
    return s->n_cache_dirs;
}
