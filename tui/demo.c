/* `symscope demo`: the built-in scenario tui/demo.yaml (compiled in), built by scenario.c in a
 * sandbox (sandbox.c) under TMPDIR named symscope-demo-XXXXXX, with its loopback HTTP symbol
 * server serving <sandbox>/http/ under /symbols/. */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"
#include "scenario.h"

struct demo_scenario_builtin {
    const char *name;
    const char *text;
};
extern const struct demo_scenario_builtin demo_scenario_builtins[];
extern const size_t demo_scenario_builtin_count;

#define MAX_MODULES 16

struct demo {
    sandbox *sb;
    scenario *sc;
    char *home;
    char *map_dirs[MAX_MODULES];
    demo_mapping maps[MAX_MODULES];
    size_t n_maps;
    const char *modules[MAX_MODULES];
    size_t n_modules;
};

demo *demo_start(char *err, size_t err_size)
{
    char why[1024] = "";
    demo *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, err_size, "demo: out of memory");
        return NULL;
    }
    const char *text = demo_scenario_builtins[0].text;
    d->sc = scenario_parse(text, strlen(text), "demo.yaml", NULL, why, sizeof why);
    if (d->sc)
        d->sb = sandbox_create("symscope-demo", NULL, why, sizeof why);
    if (!d->sc || !d->sb || !scenario_build(d->sc, d->sb, false, why, sizeof why)) {
        snprintf(err, err_size, "demo: %s", why);
        demo_stop(d);
        return NULL;
    }
    d->home = sandbox_path(d->sb, d->sc->home);
    for (size_t i = 0; i < d->sc->n_maps && i < MAX_MODULES; i++) {
        d->map_dirs[i] = sandbox_path(d->sb, d->sc->maps[i].b);
        d->maps[i] = (demo_mapping){d->sc->maps[i].a, d->map_dirs[i]};
        d->n_maps++;
    }
    for (size_t i = 0; i < d->sc->n_modules && d->n_modules < MAX_MODULES; i++)
        if (d->sc->modules[i].load)
            d->modules[d->n_modules++] = d->sc->modules[i].arg;
    if (!d->home || !d->sc->x_sympath) {
        snprintf(err, err_size, "demo: out of memory");
        demo_stop(d);
        return NULL;
    }
    return d;
}

void demo_stop(demo *d)
{
    if (!d)
        return;
    sandbox_free(d->sb, false);
    scenario_free(d->sc);
    free(d->home);
    for (size_t i = 0; i < d->n_maps; i++)
        free(d->map_dirs[i]);
    free(d);
}

const char *demo_dir(const demo *d)
{
    return sandbox_dir(d->sb);
}

const char *demo_sympath(const demo *d)
{
    return d->sc->x_sympath;
}

const char *demo_home(const demo *d)
{
    return d->home;
}

size_t demo_mappings(const demo *d, const demo_mapping **maps)
{
    *maps = d->maps;
    return d->n_maps;
}

size_t demo_modules(const demo *d, const char *const **modules)
{
    *modules = d->modules;
    return d->n_modules;
}

const char *demo_url(const demo *d)
{
    return sandbox_url(d->sb);
}
