/* libFuzzer target: a scenario file (YAML, libyaml), parsed and checked as `symscope scenario`
 * does before anything is built. A bad file is a FILE:LINE:COL message, never a crash. */
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    scenario *sc = scenario_parse((const char *)data, size, "fuzz.yaml", NULL, err, sizeof err);
    scenario_free(sc);
    return 0;
}
