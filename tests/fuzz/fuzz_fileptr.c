/* libFuzzer target: the contents of a file.ptr ("PATH:<target>", "<target>", "MSG:<text>"),
 * read from a real (anonymous) file, and its target resolved the way a store resolves it. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "search/session_internal.h"
#include "stores/store_write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("file.ptr", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    bool is_msg = false;
    char *target = layout_read_pointer(path, &is_msg);
    if (target && !is_msg) {
        char from[] = "c:", dir[] = "/nonexistent/c";
        path_mapping maps[1] = {{.from = from, .dir = dir}};
        pathmap_ctx pm = {maps, 1, "/nonexistent/store/file.pdb/KEY"};
        char *local = NULL, *reason = NULL;
        pathmap_resolve(&pm, target, &local, &reason);
        free(local);
        free(reason);
    }
    free(target);
    close(fd);
    return 0;
}
