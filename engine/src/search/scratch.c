/* A dry run's private directory: downloads go there and are removed with the session. */
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "search/session_internal.h"

const char *session_scratch(sym_session *s)
{
    pthread_mutex_lock(&s->lock);
    if (!s->scratch) {
        const char *t = getenv("TMPDIR");
        s->scratch = util_asprintf("%s/symscope-dry-XXXXXX", t && *t ? t : "/tmp");
        if (s->scratch && !mkdtemp(s->scratch)) {
            free(s->scratch);
            s->scratch = NULL;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return s->scratch;
}

void session_scratch_remove(sym_session *s)
{
    if (!s->scratch)
        return;
    DIR *d = opendir(s->scratch);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *p = util_asprintf("%s/%s", s->scratch, de->d_name);
        if (p)
            unlink(p); /* only our own downloads are there */
        free(p);
    }
    if (d)
        closedir(d);
    rmdir(s->scratch);
    free(s->scratch);
    s->scratch = NULL;
}
