/* libFuzzer target: a theme file (YAML, libyaml), loaded from a real (anonymous) file the way
 * --theme FILE loads one. A bad file is an error message, never a crash. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("theme.yaml", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) == (ssize_t)size) {
        char path[64], err[512];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        theme *t = theme_load(path, err, sizeof err);
        if (t) {
            for (int d = 0; d < 3; d++)
                (void)theme_style_of(t, (theme_element)d);
            (void)theme_depth_needed(t);
            theme_free(t);
        }
    }
    close(fd);
    return 0;
}
