/* `symscope demo`: a sandbox (sandbox.c) in a fresh temporary directory, built from PE/PDB
 * pairs embedded in the program (demo_data.c, generated from the test fixtures), and a
 * loopback HTTP symbol server serving <sandbox>/http/ under /symbols/.
 *
 * Copies of the fixtures get new names and identities (a GUID and age patched into the
 * image's RSDS record and into the PDB's info and DBI streams), so each module wants its own
 * PDB and each one is found by another kind of path element. */
#include "demo.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

#define MAX_MODULES 16

/* Where a module's PDB is put. */
enum {
    AT_PLAIN = 1 << 0,      /* <sandbox>/plain/<pdb> */
    AT_PLAIN_EXT = 1 << 1,  /* <sandbox>/plain/<ext>/<pdb>: the D\<ext> rule */
    AT_STORE2_CAB = 1 << 2, /* store2, two tiers, compressed: the embedded <pdb>.pd_ */
    AT_STORE2_PTR = 1 << 3, /* store2, two tiers, file.ptr to <sandbox>/builds/<pdb> */
    AT_HTTP = 1 << 4,       /* <sandbox>/http/<pdb>/<KEY>/<pdb> (served) */
    AT_DOWN = 1 << 5,       /* already in the downstream store, as from an earlier session */
};

typedef struct demo_spec {
    const char *image;      /* name in images/; NULL: the module is given as FILE/KEY */
    const char *from_image; /* embedded image it is a copy of */
    const char *pdb;        /* NULL: the image names no PDB */
    const char *from_pdb;   /* embedded PDB it is a copy of */
    unsigned age;           /* 0: the fixture's own identity; else a new GUID with this age */
    unsigned at;
} demo_spec;

/* One module for each kind of place a PDB is found in (and two found nowhere). */
static const demo_spec specs[] = {
    /* A mismatched app.pdb in C:\symbols\old first; then the plain directory, cached. */
    {"app.exe", "app.exe", "app.pdb", "app.pdb", 0, AT_PLAIN},
    /* Compressed in the two-tier store, decompressed downstream. */
    {"hello.dll", "hello.dll", "hello.pdb", "hello.pdb", 0, AT_STORE2_CAB},
    {"kernelbase.dll", "hello.dll", "kernelbase.pdb", "hello.pdb", 3, AT_STORE2_PTR},
    {"network.dll", "hello.dll", "network.pdb", "hello.pdb", 1, AT_PLAIN_EXT},
    /* Downloaded from the loopback server. */
    {"ntdll.dll", "hello.dll", "ntdll.pdb", "hello.pdb", 2, AT_HTTP},
    /* On the server, but already in the downstream store: no request. */
    {"render.dll", "hello.dll", "render.pdb", "hello.pdb", 1, AT_HTTP | AT_DOWN},
    {"crashy.exe", "app32.exe", "crashy.pdb", "app32.pdb", 1, AT_HTTP},
    /* Asked for as FILE/KEY, as a crash report names it. */
    {NULL, NULL, "driver.pdb", "app.pdb", 4, AT_HTTP},
    /* Nowhere (every element tried, D: not mapped): export symbols from the image. */
    {"telemetry.dll", "hello.dll", "telemetry.pdb", "hello.pdb", 1, 0},
    /* No debug directory: no symbols. */
    {"nodebug.exe", "nodebug.exe", NULL, NULL, 0, 0},
};

struct demo {
    sandbox *sb;
    const char *dir;
    char *sympath;
    char *home;
    char *map_dir;
    demo_mapping map;
    char *modules[MAX_MODULES];
    size_t n_modules;
};

__attribute__((format(printf, 1, 2))) static char *xprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

__attribute__((format(printf, 3, 4))) static void set_err(char *err, size_t size, const char *fmt,
                                                          ...)
{
    if (!err || !size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
}

/* The sandbox's messages, said as the demo's. */
static bool demo_err(bool ok, char *err, size_t err_size)
{
    if (!ok && err && err_size) {
        char why[512];
        snprintf(why, sizeof why, "%s", err);
        set_err(err, err_size, "demo: %s", why);
    }
    return ok;
}

static bool put_file(const demo *d, const char *rel, const void *data, size_t size, char *err,
                     size_t err_size)
{
    return demo_err(sandbox_put(d->sb, rel, data, size, err, err_size), err, err_size);
}

static bool make_dir(const demo *d, const char *rel, char *err, size_t err_size)
{
    return demo_err(sandbox_mkdir(d->sb, rel, err, err_size), err, err_size);
}

/* ---- the sandbox ---- */

/* Puts one module's image and PDB where its spec says, and adds it to the module list. */
static bool build_module(demo *d, const demo_spec *sp, char *err, size_t err_size)
{
    const struct demo_blob *img = sp->from_image ? sandbox_blob_find(sp->from_image) : NULL;
    const struct demo_blob *pdb_blob = sp->from_pdb ? sandbox_blob_find(sp->from_pdb) : NULL;
    if ((sp->from_image && !img) || (sp->from_pdb && !pdb_blob)) {
        set_err(err, err_size, "demo: %s is not embedded",
                img || !sp->from_image ? sp->from_pdb : sp->from_image);
        return false;
    }
    unsigned char *image = NULL, *pdb = NULL;
    char *rel = NULL, *dest = NULL;
    bool ok = false;
    sandbox_identity id = {{0}, 0};
    char key[41] = "";
    if (img && !(image = malloc(img->size)))
        goto nomem;
    if (image)
        memcpy(image, img->data, img->size);
    if (pdb_blob && !(pdb = malloc(pdb_blob->size)))
        goto nomem;
    if (pdb)
        memcpy(pdb, pdb_blob->data, pdb_blob->size);

    if (pdb) {
        sandbox_identity own;
        if (!sandbox_pdb_identity(pdb, pdb_blob->size, false, &own)) {
            set_err(err, err_size, "demo: %s: not an MSF 7.00 PDB with a DBI stream", sp->from_pdb);
            goto out;
        }
        if (sp->age) {
            sandbox_guid_for(sp->pdb, id.guid);
            id.age = sp->age;
            sandbox_pdb_identity(pdb, pdb_blob->size, true, &id);
        } else {
            id = own;
        }
        sandbox_identity_key(&id, key);
    }
    if (image && pdb) {
        /* The image wants this identity under a Windows path the sandbox maps (C:), so the
         * CodeView step never finds the build tree or whatever is in the current directory. */
        char name[64];
        snprintf(name, sizeof name, "C:\\build\\%s", sp->pdb);
        char why[256];
        if (!sandbox_image_set_cv(image, img->size, &id, name, why, sizeof why)) {
            set_err(err, err_size, "demo: %s: %s", sp->from_image, why);
            goto out;
        }
    }

    if (image) {
        rel = xprintf("images/%s", sp->image);
        if (!rel || !put_file(d, rel, image, img->size, err, err_size))
            goto out_err;
        dest = xprintf("%s/%s", d->dir, rel);
    } else {
        dest = xprintf("%s/%s", sp->pdb, key);
    }
    if (!dest)
        goto nomem;

    if (pdb) {
        size_t size = pdb_blob->size;
        const char *ext = sp->image ? strrchr(sp->image, '.') : NULL;
        struct {
            unsigned flag;
            char *rel;
        } places[] = {
            {AT_PLAIN, xprintf("plain/%s", sp->pdb)},
            {AT_PLAIN_EXT, xprintf("plain/%s/%s", ext ? ext + 1 : "exe", sp->pdb)},
            {AT_STORE2_PTR, xprintf("builds/%s", sp->pdb)},
            {AT_HTTP, xprintf("http/%s/%s/%s", sp->pdb, key, sp->pdb)},
            {AT_DOWN, xprintf("down/%s/%s/%s", sp->pdb, key, sp->pdb)},
        };
        size_t n_places = sizeof places / sizeof places[0];
        ok = true;
        for (size_t i = 0; i < n_places; i++) {
            if (!places[i].rel)
                ok = false;
            else if (ok && (sp->at & places[i].flag))
                ok = put_file(d, places[i].rel, pdb, size, err, err_size);
            free(places[i].rel);
        }
        if (!ok)
            goto out_err;
        ok = false;
        /* Two tiers: the first two letters of the file name, in lower case. */
        char tier[3] = {(char)tolower((unsigned char)sp->pdb[0]),
                        (char)tolower((unsigned char)sp->pdb[1]), '\0'};
        if (sp->at & AT_STORE2_PTR) {
            char *ptr = xprintf("PATH:%s/builds/%s\n", d->dir, sp->pdb);
            free(rel);
            rel = xprintf("store2/%s/%s/%s/file.ptr", tier, sp->pdb, key);
            if (!ptr || !rel || !put_file(d, rel, ptr, strlen(ptr), err, err_size)) {
                free(ptr);
                goto out_err;
            }
            free(ptr);
        }
        if (sp->at & AT_STORE2_CAB) {
            /* The embedded CAB holds the fixture's own PDB: only for age 0 specs. */
            char cab_name[64];
            snprintf(cab_name, sizeof cab_name, "%s", sp->pdb);
            cab_name[strlen(cab_name) - 1] = '_';
            const struct demo_blob *cab = sandbox_blob_find(cab_name);
            free(rel);
            rel = xprintf("store2/%s/%s/%s/%s", tier, sp->pdb, key, cab_name);
            if (!cab || sp->age) {
                set_err(err, err_size, "demo: no embedded %s for %s", cab_name, sp->pdb);
                goto out;
            }
            if (!rel || !put_file(d, rel, cab->data, cab->size, err, err_size))
                goto out_err;
        }
    }
    if (d->n_modules >= MAX_MODULES) {
        set_err(err, err_size, "demo: too many modules");
        goto out;
    }
    d->modules[d->n_modules++] = dest;
    dest = NULL;
    ok = true;
    goto out;
nomem:
    set_err(err, err_size, "demo: out of memory");
    goto out;
out_err:
    if (err && err_size && !err[0])
        set_err(err, err_size, "demo: out of memory");
out:
    free(image);
    free(pdb);
    free(rel);
    free(dest);
    return ok;
}

static bool build_sandbox(demo *d, char *err, size_t err_size)
{
    static const char *const dirs[] = {"c/symbols/old", "cache", "plain", "store2",
                                       "down",          "http",  "home",  "images"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        if (!make_dir(d, dirs[i], err, err_size))
            return false;
    /* An auto-detected store (pingme.txt) with two tiers (index2.txt). */
    static const char pingme[] = "symscope demo: a symbol store\n";
    if (!put_file(d, "store2/pingme.txt", pingme, sizeof pingme - 1, err, err_size) ||
        !put_file(d, "store2/index2.txt", "", 0, err, err_size))
        return false;
    /* Another build's app.pdb, early in the path: a mismatch before the right file. */
    const struct demo_blob *variant = sandbox_blob_find("variant/app.pdb");
    if (!variant) {
        set_err(err, err_size, "demo: variant/app.pdb is not embedded");
        return false;
    }
    if (!put_file(d, "c/symbols/old/app.pdb", variant->data, variant->size, err, err_size))
        return false;
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        if (!build_module(d, &specs[i], err, err_size))
            return false;
    return true;
}

demo *demo_start(char *err, size_t err_size)
{
    if (err && err_size)
        err[0] = '\0';
    demo *d = calloc(1, sizeof *d);
    if (!d) {
        set_err(err, err_size, "demo: out of memory");
        return NULL;
    }
    d->sb = sandbox_create("symscope-demo", NULL, err, err_size);
    if (!d->sb) {
        demo_err(false, err, err_size);
        demo_stop(d);
        return NULL;
    }
    d->dir = sandbox_dir(d->sb);
    if (!build_sandbox(d, err, err_size)) {
        demo_stop(d);
        return NULL;
    }
    d->home = xprintf("%s/home", d->dir);
    d->map_dir = xprintf("%s/c", d->dir);
    if (!d->home || !d->map_dir) {
        set_err(err, err_size, "demo: out of memory");
        demo_stop(d);
        return NULL;
    }
    if (!demo_err(sandbox_serve(d->sb, "http", err, err_size), err, err_size)) {
        demo_stop(d);
        return NULL;
    }
    d->sympath = xprintf("C:\\symbols\\old;cache*%s/cache;%s/plain;%s/store2;srv*%s/down*%s;"
                         "D:\\unmapped",
                         d->dir, d->dir, d->dir, d->dir, sandbox_url(d->sb));
    if (!d->sympath) {
        set_err(err, err_size, "demo: out of memory");
        demo_stop(d);
        return NULL;
    }
    d->map.from = "C:";
    d->map.dir = d->map_dir;
    return d;
}

void demo_stop(demo *d)
{
    if (!d)
        return;
    sandbox_free(d->sb, false);
    for (size_t i = 0; i < d->n_modules; i++)
        free(d->modules[i]);
    free(d->sympath);
    free(d->home);
    free(d->map_dir);
    free(d);
}

const char *demo_dir(const demo *d)
{
    return d->dir;
}

const char *demo_sympath(const demo *d)
{
    return d->sympath;
}

const char *demo_home(const demo *d)
{
    return d->home;
}

size_t demo_mappings(const demo *d, const demo_mapping **maps)
{
    *maps = &d->map;
    return 1;
}

size_t demo_modules(const demo *d, const char *const **modules)
{
    *modules = (const char *const *)d->modules;
    return d->n_modules;
}

const char *demo_url(const demo *d)
{
    return sandbox_url(d->sb);
}
