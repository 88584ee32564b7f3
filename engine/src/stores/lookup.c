/* The lookup's own operations: checking a file against what is wanted, taking a winner,
 * remembering a mismatch, writing into a store, and the listings. Events go to the host. */
#include <stdlib.h>
#include <string.h>

#include "stores/layout.h"
#include "stores/lookup.h"
#include "symscope/fileinfo.h"
#include "util/util.h"

static char *own(const char *s)
{
    return s ? util_strdup(s) : NULL;
}

void lookup_emit_begin(lookup *sr, sym_step step, int element, int store, const char *rule,
                       const char *location)
{
    sr->host->emit_begin(sr, step, element, store, rule, location);
}

void lookup_emit(lookup *sr, sym_attempt *a)
{
    sr->host->emit(sr, a);
}

void lookup_message(lookup *sr, const char *text)
{
    sr->host->event(sr, SYM_EV_MESSAGE, 0, text);
}

void lookup_free(lookup *sr)
{
    free(sr->winner.local);
    free(sr->winner.location);
    free(sr->mismatch.local);
    free(sr->mismatch.location);
    free(sr->image_dir);
    free(sr->image_dir_text);
    for (size_t i = 0; i < sr->n_probed; i++)
        free(sr->probed[i]);
    free(sr->probed);
}

/* The part of a reader's message after "path: ", which the attempt's location already says. */
static const char *strip_path(const char *msg, const char *path)
{
    size_t n = strlen(path);
    if (strncmp(msg, path, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
        return msg + n + 2;
    return msg;
}

static sym_symclass class_of(const sym_file_info *info)
{
    switch (info->format) {
    case SYM_FMT_PDB70:
    case SYM_FMT_PDB20:
        if (info->u.pdb.stripped)
            return SYM_CLASS_PUBLIC;
        if (info->u.pdb.private_symbols)
            return info->u.pdb.lines ? SYM_CLASS_PRIVATE_LINES : SYM_CLASS_PRIVATE;
        return SYM_CLASS_PUBLIC;
    case SYM_FMT_DBG:
        /* Embedded CodeView (NB09) carries globals and types; otherwise COFF publics. */
        return info->u.dbg.has_codeview && info->u.dbg.codeview.id.kind == SYM_ID_NONE
                   ? SYM_CLASS_PRIVATE
                   : SYM_CLASS_PUBLIC;
    case SYM_FMT_PE:
        return info->u.pe.n_exports ? SYM_CLASS_EXPORT : SYM_CLASS_NONE;
    default:
        return SYM_CLASS_NONE;
    }
}

/* Whether a file of this format can be what the module wants at all. */
static bool format_fits(sym_id_kind wanted, sym_format fmt)
{
    switch (wanted) {
    case SYM_ID_PDB70:
    case SYM_ID_PDB20:
        return fmt == SYM_FMT_PDB70 || fmt == SYM_FMT_PDB20 || fmt == SYM_FMT_PORTABLE_PDB;
    case SYM_ID_DBG:
        return fmt == SYM_FMT_DBG;
    case SYM_ID_IMAGE:
        return fmt == SYM_FMT_PE;
    default:
        return false;
    }
}

void lookup_check(lookup *sr, const char *path, sym_attempt *a, sym_symclass *symbols,
                  char **detail, bool *cab)
{
    *symbols = SYM_CLASS_NONE;
    *detail = NULL;
    *cab = false;
    sym_file_info *info;
    sym_error err;
    double t0 = util_now_ms();
    sym_status st = sym_file_inspect_bounded(path, sr->http->max_size, &info, &err);
    a->ms += util_now_ms() - t0;
    if (st != SYM_OK) {
        switch (st) {
        case SYM_E_NOENT:
            a->outcome = SYM_OUT_NOT_FOUND;
            break;
        case SYM_E_ACCESS:
            a->outcome = SYM_OUT_DENIED;
            break;
        case SYM_E_ISDIR:
            a->outcome = SYM_OUT_NOT_FOUND;
            break;
        default:
            a->outcome = SYM_OUT_BAD_CONTENT;
            break;
        }
        *detail = util_strdup(strip_path(err.message, path));
        return;
    }
    a->bytes = info->file_size;
    sym_identity want = sr->info->wanted;
    if (info->format == SYM_FMT_CAB) {
        /* A compressed store file: what counts is the member it holds. */
        *cab = true;
        const sym_file_info *member = info->u.cab.member;
        if (!member) {
            a->outcome = SYM_OUT_BAD_CONTENT;
            *detail = util_asprintf("CAB without a readable symbol file: %s",
                                    strip_path(info->u.cab.member_error.message, path));
        } else if (!format_fits(want.kind, member->format)) {
            a->outcome = SYM_OUT_BAD_CONTENT;
            *detail = util_asprintf("a CAB holding a %s file, not the %s wanted",
                                    sym_format_name(member->format), sym_id_kind_name(want.kind));
        } else {
            a->found = sym_file_identity(member);
            if (want.kind == SYM_ID_IMAGE)
                a->found.kind = SYM_ID_IMAGE;
            *symbols = class_of(member);
            a->outcome = sym_identity_equal(&want, &a->found) ? SYM_OUT_FOUND : SYM_OUT_MISMATCH;
        }
        sym_file_info_free(info);
        return;
    }
    if (!format_fits(want.kind, info->format)) {
        a->outcome = SYM_OUT_BAD_CONTENT;
        *detail = util_asprintf("a %s file, not the %s wanted", sym_format_name(info->format),
                                sym_id_kind_name(want.kind));
        sym_file_info_free(info);
        return;
    }
    a->found = sym_file_identity(info);
    /* A PE image wanted as an image carries an image identity; a .dbg a dbg one. */
    if (want.kind == SYM_ID_IMAGE)
        a->found.kind = SYM_ID_IMAGE;
    *symbols = class_of(info);
    a->outcome = sym_identity_equal(&want, &a->found) ? SYM_OUT_FOUND : SYM_OUT_MISMATCH;
    sym_file_info_free(info);
}

static void candidate_set(candidate *c, const char *local, const char *location, sym_step step,
                          int element, sym_symclass symbols)
{
    free(c->local);
    free(c->location);
    c->local = own(local);
    c->location = own(location);
    c->step = step;
    c->element = element;
    c->symbols = symbols;
}

void lookup_accept(lookup *sr, const char *local, const char *location, sym_step step, int element,
                   sym_symclass symbols)
{
    candidate_set(&sr->winner, local, location, step, element, symbols);
    sr->done = true;
}

void lookup_note_mismatch(lookup *sr, const char *local, const char *location, sym_step step,
                          int element, sym_symclass symbols)
{
    if (sr->have_mismatch)
        return;
    candidate_set(&sr->mismatch, local, location, step, element, symbols);
    sr->have_mismatch = true;
}

sym_status lookup_put(lookup *sr, const store_put_args *a, char **final, uint64_t *bytes,
                      sym_error *err)
{
    if (lookup_dry_run(sr)) {
        *final = NULL;
        *bytes = 0;
        char *kd = layout_key_dir(a->root, a->tiers, a->file, &a->id);
        sym_status st =
            err_set(err, SYM_E_DRY_RUN, "dry run: would copy into %s", kd ? kd : a->root);
        free(kd);
        return st;
    }
    sym_status st = store_put(a, final, bytes, err);
    fsdir_cache_forget(sr->dirs, a->root);
    return st;
}

fsdir_result lookup_find(lookup *sr, const char *dir, const char *name, char **path, bool *is_dir)
{
    if (sr->plan) {
        /* Listing the places: nothing is looked at, every place is empty. */
        *path = NULL;
        if (is_dir)
            *is_dir = false;
        return FSDIR_NO_DIR;
    }
    return fsdir_find(sr->dirs, dir, name, path, is_dir);
}

bool lookup_dry_run(const lookup *sr)
{
    return sr->options[SYM_OPT_DRY_RUN] || sr->plan;
}

bool lookup_cancelled(const lookup *sr)
{
    return *sr->cancel_module || *sr->cancel_all;
}

bool lookup_probed(lookup *sr, const char *store_local)
{
    for (size_t i = 0; i < sr->n_probed; i++)
        if (strcmp(sr->probed[i], store_local) == 0)
            return true;
    return false;
}

void lookup_mark_probed(lookup *sr, const char *store_local)
{
    if (lookup_probed(sr, store_local) ||
        !util_grow(&sr->probed, &sr->cap_probed, sr->n_probed + 1, sizeof *sr->probed))
        return;
    sr->probed[sr->n_probed] = util_strdup(store_local);
    if (sr->probed[sr->n_probed])
        sr->n_probed++;
}

void lookup_store_emit(lookup *sr, int element, int store, const char *rule, const char *location,
                       const char *local, sym_outcome outcome, const char *detail,
                       const char *source)
{
    sym_attempt a = {.step = SYM_STEP_ELEMENT,
                     .element = element,
                     .store = store,
                     .rule = rule,
                     .location = location,
                     .local = local,
                     .outcome = outcome,
                     .detail = detail,
                     .source = source,
                     .symsrv = true};
    lookup_emit(sr, &a);
}

chain_home lookup_chain_home(lookup *sr)
{
    chain_home h = {.home = sr->home, .tiers = 1};
    char *root = chain_default_store(sr->home);
    char *path = NULL;
    bool is_dir = false;
    if (root && sr->dirs)
        h.tiers =
            fsdir_find(sr->dirs, root, LAYOUT_INDEX2, &path, &is_dir) == FSDIR_FOUND && !is_dir ? 2
                                                                                                : 1;
    else if (root)
        h.tiers = layout_tiers(root);
    free(path);
    free(root);
    return h;
}
