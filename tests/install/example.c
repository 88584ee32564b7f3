/* A program outside the project that drives the engine through the installed library. */
#include <stdio.h>
#include <symscope/symscope.h>

static void print(const char *line, void *ctx)
{
    (void)ctx;
    puts(line);
}

static void noisy(const sym_event *ev, void *ctx)
{
    sym_noisy_format(ev, print, ctx);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: example PATH IMAGE\n");
        return 2;
    }
    sym_session *s;
    sym_error err;
    uint64_t base;
    if (sym_session_create(&s, &err) != SYM_OK)
        return 2;
    sym_session_add_listener(s, noisy, NULL);
    if (sym_session_initialize(s, argv[1], &err) != SYM_OK ||
        sym_session_load_image(s, argv[2], 0, &base, &err) != SYM_OK) {
        fprintf(stderr, "%s\n", err.message);
        sym_session_free(s);
        return 2;
    }
    printf("libsymscope %s: %s\n", sym_version(),
           sym_symclass_name(sym_session_find_module(s, base)->symbols));
    sym_session_free(s);
    return 0;
}
