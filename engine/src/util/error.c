/* Status names and error records. */
#include <stdio.h>

#include "util/internal.h"

static const char *const status_names[] = {
#define SYM_X_NAME(e, name, text) name,
    SYM_STATUS_LIST(SYM_X_NAME)
#undef SYM_X_NAME
};

static const char *const status_texts[] = {
#define SYM_X_TEXT(e, name, text) text,
    SYM_STATUS_LIST(SYM_X_TEXT)
#undef SYM_X_TEXT
};

const char *sym_status_name(sym_status status)
{
    if ((unsigned)status >= SYM_STATUS_COUNT)
        return "unknown";
    return status_names[status];
}

const char *sym_status_text(sym_status status)
{
    if ((unsigned)status >= SYM_STATUS_COUNT)
        return "unknown status";
    return status_texts[status];
}

void sym_error_clear(sym_error *err)
{
    if (!err)
        return;
    err->status = SYM_OK;
    err->message[0] = '\0';
}

sym_status err_set(sym_error *err, sym_status status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->status = status;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}
