#include "ledger.h"

#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "util/xalloc.h"

static char *trimmed(struct arena *a, const char *s, size_t len)
{
    /* Spaces, tabs, the full-width space U+3000 and the no-break space U+00A0
     * around a cell are Excel's, not data. */
    for (int again = 1; again;) {
        again = 0;
        if (len && (*s == ' ' || *s == '\t'))
            s++, len--, again = 1;
        else if (len >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0)
            s += 3, len -= 3, again = 1;
        else if (len >= 2 && memcmp(s, "\xC2\xA0", 2) == 0)
            s += 2, len -= 2, again = 1;
    }
    for (int again = 1; again;) {
        again = 0;
        if (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--, again = 1;
        else if (len >= 3 && memcmp(s + len - 3, "\xE3\x80\x80", 3) == 0)
            len -= 3, again = 1;
        else if (len >= 2 && memcmp(s + len - 2, "\xC2\xA0", 2) == 0)
            len -= 2, again = 1;
    }
    return arena_strndup(a, s, len);
}

int ledger_refuse(struct ledger *l, size_t line, const char *column, const char *code,
                  const char *message)
{
    l->st->invalid++;
    FILE *f = l->opt->errors;
    if (f) {
        /* CSV: quote the message (it may hold commas). */
        fprintf(f, "%zu,%s,%s,\"", line, column ? column : "", code);
        for (const char *p = message; *p; p++) {
            if (*p == '"')
                fputc('"', f);
            fputc(*p, f);
        }
        fputs("\"\r\n", f);
    }
    if (l->errors && json_array_size(l->errors) < l->opt->max_errors_kept)
        json_array_append_new(l->errors, json_pack("{s:I,s:s?,s:s,s:s}", "line", (json_int_t)line,
                                                   "column", column, "code", code, "message",
                                                   message));
    return 0;
}

int ledger_report(struct ledger *l, size_t line, const char *column, const struct err *e)
{
    return ledger_refuse(l, line, column, e->code ? e->code : "invalid", e->message);
}

int ledger_invalid(struct ledger *l, size_t line, const struct err *e)
{
    return ledger_report(l, line, ledger_column(l, e->field), e);
}

int ledger_fail(struct ledger *l, const struct err *e)
{
    *l->e = *e;
    l->fatal = 1;
    return -1;
}

int ledger_written(struct ledger *l, size_t line, int updated, int rc, const struct err *e)
{
    if (rc < 0)
        return e->kind == ERR_INTERNAL ? ledger_fail(l, e) : ledger_invalid(l, line, e);
    if (updated)
        l->st->updated++;
    else
        l->st->created++;
    return 0;
}

const char *ledger_header(const struct ledger *l, size_t c)
{
    return c < l->ncols ? l->header[c] : NULL;
}

const char *ledger_column(const struct ledger *l, const char *field)
{
    if (!field)
        return NULL;
    for (size_t c = 0; c < l->ncols; c++) {
        size_t n = strlen(l->cols[c].key);
        if (strncmp(field, l->cols[c].key, n) == 0 && (field[n] == '\0' || field[n] == '[' || field[n] == '.') &&
            l->header[c])
            return l->header[c];
    }
    return field;
}

/* {key: cell} of every present cell, strings, as an API request would send
 * them; the importer recodes what the ledger writes otherwise. */
static json_t *row_object(const struct ledger *l, const char *const *cells)
{
    json_t *o = json_object();
    for (size_t c = 0; c < l->ncols; c++)
        if (cells[c])
            json_object_set_new(o, l->cols[c].key, json_string(cells[c]));
    return o;
}

void ledger_recode(json_t *obj, const struct ledger_code *codes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *v = json_string_value(json_object_get(obj, codes[i].key));
        if (v && strcmp(v, codes[i].from) == 0)
            json_object_set_new(obj, codes[i].key, json_string(codes[i].to));
    }
}

void ledger_boolean(json_t *obj, const char *key)
{
    static const char *const yes[] = {"是", "有", "Y", "y", "1", "true", NULL};
    static const char *const no[] = {"否", "无", "N", "n", "0", "false", NULL};
    const char *v = json_string_value(json_object_get(obj, key));
    if (!v)
        return;
    for (int i = 0; yes[i]; i++) {
        if (strcmp(v, yes[i]) == 0) {
            json_object_set_new(obj, key, json_true());
            return;
        }
        if (strcmp(v, no[i]) == 0) {
            json_object_set_new(obj, key, json_false());
            return;
        }
    }
}

void ledger_number(json_t *obj, const char *key, int integer)
{
    const char *v = json_string_value(json_object_get(obj, key));
    if (!v || !*v || strlen(v) > 24)
        return;
    /* Plain decimal only: no hex, no exponent, no "inf", no spaces. */
    size_t i = (*v == '-') ? 1 : 0, digits = 0, dots = 0;
    for (; v[i]; i++) {
        if (v[i] >= '0' && v[i] <= '9')
            digits++;
        else if (v[i] == '.' && !integer)
            dots++;
        else
            return;
    }
    if (!digits || dots > 1)
        return;
    char *end;
    if (integer) {
        long long n = strtoll(v, &end, 10);
        if (*end == '\0')
            json_object_set_new(obj, key, json_integer(n));
    } else {
        double d = strtod(v, &end);
        if (*end == '\0')
            json_object_set_new(obj, key, json_real(d));
    }
}

static const struct ledger_area *area_of(struct ledger *l, const char *code)
{
    size_t i;
    if (strmap_get(&l->areas, code, &i))
        return &l->area_v[i];
    struct arena a = ARENA_INIT;
    struct area ar;
    struct ledger_area en = {0, 0};
    if (area_get(l->opt->db, &a, code, &ar) == 0 && area_path_within(l->opt->scope, ar.path)) {
        en.id = ar.id;
        en.ok = !ar.retired_ms && area_active_children(l->opt->db, ar.id) == 0;
    }
    arena_release(&a);
    if (l->narea == l->caparea) {
        l->caparea = l->caparea ? l->caparea * 2 : 256;
        l->area_v = xrealloc(l->area_v, sizeof(*l->area_v) * l->caparea);
    }
    l->area_v[l->narea] = en;
    strmap_put(&l->areas, arena_strdup(&l->names, code), l->narea);
    return &l->area_v[l->narea++];
}

const struct ledger_area *ledger_place(struct ledger *l, size_t line, const char *code)
{
    const struct ledger_area *ar = area_of(l, code);
    if (ar->ok)
        return ar;
    ledger_refuse(l, line, ledger_column(l, "area"), ar->id ? "area_not_leaf" : "area_not_found",
                  ar->id ? "所属网格须是您管辖范围内最小一级的在用网格（如微网格）"
                         : "所属网格编码不存在或不在您的管辖范围内");
    return NULL;
}

int ledger_in_scope(struct ledger *l, struct arena *a, int64_t id, ledger_path_fn path_of)
{
    const char *path;
    return !id || (path_of(l->opt->db, a, id, &path) == 0 && area_path_within(l->opt->scope, path));
}

const struct ledger_area *ledger_keyed(struct ledger *l, size_t line, size_t key_col,
                                       const char *key, const char *why, const char *area)
{
    if (!key) {
        ledger_refuse(l, line, ledger_header(l, key_col), "empty_field", why);
        return NULL;
    }
    return ledger_place(l, line, area);
}

struct reading {
    struct ledger *l;
    ledger_row_fn row;
    void *ctx;
    int have_header;
};

static int on_row(void *ctx, size_t line, size_t n, const char *const *fields, const size_t *lens)
{
    struct reading *rd = ctx;
    struct ledger *l = rd->l;
    if (!rd->have_header) {
        if (csv_header_map(fields, n, l->cols, l->ncols, l->index, l->e) < 0) {
            l->fatal = 1;
            return 1;
        }
        for (size_t c = 0; c < l->ncols; c++)
            if (l->index[c] >= 0)
                l->header[c] = trimmed(&l->names, fields[l->index[c]], lens[l->index[c]]);
        rd->have_header = 1;
        return 0;
    }
    int blank = 1;
    for (size_t i = 0; i < n; i++)
        blank &= lens[i] == 0;
    if (blank)
        return 0; /* Excel's empty trailing rows */
    l->st->rows++;
    struct arena a = ARENA_INIT;
    const char **cells = arena_alloc(&a, sizeof(*cells) * l->ncols);
    for (size_t c = 0; c < l->ncols; c++) {
        int i = l->index[c];
        cells[c] = NULL;
        if (i < 0 || (size_t)i >= n || lens[i] == 0)
            continue;
        const char *v = trimmed(&a, fields[i], lens[i]);
        if (*v)
            cells[c] = v;
    }
    json_t *body = row_object(l, cells);
    if (rd->row(l, rd->ctx, line, cells, body, &a) < 0)
        l->fatal = 1;
    json_decref(body);
    arena_release(&a);
    if (l->opt->progress && l->st->rows % 10000 == 0)
        l->opt->progress(l->opt->progress_ctx, l->st->rows);
    return l->fatal ? 1 : 0;
}

int ledger_read(const struct ledger_opts *opt, const struct csv_column *cols, size_t ncols,
                ledger_row_fn row, void *ctx, const char *data, size_t len,
                struct import_stats *stats, json_t **errors_json, struct err *e)
{
    memset(stats, 0, sizeof(*stats));
    struct ledger l = {0};
    l.opt = opt;
    l.st = stats;
    l.cols = cols;
    l.ncols = ncols;
    l.e = e;
    l.header = arena_alloc(&l.names, sizeof(*l.header) * ncols);
    l.index = arena_alloc(&l.names, sizeof(*l.index) * ncols);
    for (size_t c = 0; c < ncols; c++) {
        l.header[c] = NULL;
        l.index[c] = -1;
    }
    if (errors_json)
        l.errors = json_array();
    struct reading rd = {&l, row, ctx, 0};
    struct csv_info info = {0};
    struct csv_limits lim = {(size_t)1 << 30, 4096, 256};
    int rc = csv_read_buffer(data, len, &lim, on_row, &rd, &info, e);
    stats->encoding = csv_encoding_name(info.encoding);
    if (rc == 0 && !rd.have_header)
        rc = err_set(e, ERR_INVALID, "empty_file", NULL, "文件是空的：第一行应为表头");
    if (rc != 0 || l.fatal)
        rc = -1;
    else
        rc = stats->invalid && !opt->skip_invalid ? 1 : 0;
    if (errors_json)
        *errors_json = l.errors;
    strmap_release(&l.areas);
    free(l.area_v);
    arena_release(&l.names);
    return rc;
}
