/* libFuzzer target: file names from images, dumps, pointers and servers, as stores use them
 * (one tier, two tiers / index2.txt, HTTP), and as they are shown. Checks the promises: an
 * accepted name never yields a path component that is empty, "." or "..", and shown text
 * never holds a control byte or invalid UTF-8. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stores/store_write.h"
#include "symscope/display.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_components(const char *rel)
{
    for (const char *p = rel;;) {
        size_t n = strcspn(p, "/");
        bool dots = true;
        for (size_t i = 0; i < n; i++)
            dots = dots && (p[i] == '.' || p[i] == ' ');
        if (n == 0 || dots)
            abort(); /* a component that names the directory itself, its parent, or nothing */
        if (!p[n])
            break;
        p += n + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *name = malloc(size + 1);
    if (!name)
        return 0;
    memcpy(name, data, size);
    name[size] = '\0';
    sym_identity id = {.kind = SYM_ID_PDB70, .age = 1};
    for (int tiers = 1; tiers <= 2; tiers++) {
        char *rel = layout_key_rel(tiers, name, &id);
        if (rel && !layout_name_ok(name))
            abort();
        if (rel)
            check_components(rel);
        free(rel);
    }
    char *shown = sym_display_text(name);
    if (shown) {
        if (!sym_utf8_valid(shown, strlen(shown)))
            abort();
        for (const unsigned char *p = (const unsigned char *)shown; *p; p++)
            if (*p < 0x20 || *p == 0x7F)
                abort();
    }
    free(shown);
    free(name);
    return 0;
}
