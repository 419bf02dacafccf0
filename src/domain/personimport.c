#include "personimport.h"

#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/household.h"
#include "domain/person.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/csv.h"
#include "util/strmap.h"

enum col {
    C_NAME, C_FORMER, C_GENDER, C_DOCTYPE, C_ID, C_BIRTH, C_ETHNIC, C_PHONE, C_RESIDENCE,
    C_REGADDR, C_CURADDR, C_AREA, C_HHNO, C_RELATION, C_TAGS, NCOLS
};

#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})
static const struct csv_column columns[NCOLS] = {
    [C_NAME] = {"name", NAMES("姓名", "name"), 1},
    [C_FORMER] = {"former_name", NAMES("曾用名", "former_name"), 0},
    [C_GENDER] = {"gender", NAMES("性别", "gender"), 0},
    [C_DOCTYPE] = {"doc_type", NAMES("证件类型", "doc_type"), 0},
    [C_ID] = {"id_number", NAMES("公民身份号码", "身份证号", "身份证号码", "证件号码", "id_number"), 0},
    [C_BIRTH] = {"birth_date", NAMES("出生日期", "birth_date"), 0},
    [C_ETHNIC] = {"ethnicity", NAMES("民族", "ethnicity"), 0},
    [C_PHONE] = {"phone", NAMES("联系电话", "手机", "手机号", "电话", "联系方式", "phone"), 0},
    [C_RESIDENCE] = {"residence_type", NAMES("人口类型", "residence_type"), 1},
    [C_REGADDR] = {"registered_address", NAMES("户籍地址", "户籍地详址", "registered_address"), 0},
    [C_CURADDR] = {"current_address", NAMES("现住址", "现住地址", "现住地详址", "current_address"), 0},
    [C_AREA] = {"area", NAMES("所属网格", "网格编码", "微网格编码", "area"), 1},
    [C_HHNO] = {"hh_no", NAMES("户号", "hh_no"), 0},
    [C_RELATION] = {"relation", NAMES("与户主关系", "relation"), 0},
    [C_TAGS] = {"tags", NAMES("标签", "tags"), 0},
};

struct area_entry {
    int64_t id;   /* 0: unknown or outside the scope (the same answer: no leak) */
    int ok;       /* inside the scope, active, a leaf */
};

struct run {
    const struct person_import *opt;
    struct import_stats *st;
    struct err *e;
    int index[NCOLS];
    const char *header[NCOLS]; /* the header text of each mapped column, for messages */
    int have_header;
    struct arena names; /* header texts and cache keys live here */
    struct strmap areas;
    struct area_entry *area_v;
    size_t narea, caparea;
    struct strmap households;
    int64_t *hh_v;
    size_t nhh, caphh;
    json_t *errors;
    int fatal;
};

static void report(struct run *r, size_t line, const char *column, const char *code,
                   const char *message)
{
    r->st->invalid++;
    if (r->opt->errors) {
        /* CSV: quote the message (it may hold commas). */
        fprintf(r->opt->errors, "%zu,%s,%s,\"", line, column ? column : "", code);
        for (const char *p = message; *p; p++) {
            if (*p == '"')
                fputc('"', r->opt->errors);
            fputc(*p, r->opt->errors);
        }
        fputs("\"\r\n", r->opt->errors);
    }
    if (r->errors && json_array_size(r->errors) < r->opt->max_errors_kept)
        json_array_append_new(r->errors, json_pack("{s:I,s:s?,s:s,s:s}", "line", (json_int_t)line,
                                                   "column", column, "code", code, "message",
                                                   message));
}

/* The header text for an err.field (the JSON key), falling back to the key. */
static const char *column_of(struct run *r, const char *field)
{
    if (!field)
        return NULL;
    if (strcmp(field, "household_id") == 0) /* a relation needs its household: 户号 */
        return r->header[C_HHNO] ? r->header[C_HHNO]
                                 : (r->header[C_RELATION] ? r->header[C_RELATION] : "户号");
    for (int c = 0; c < NCOLS; c++)
        if (strncmp(field, columns[c].key, strlen(columns[c].key)) == 0 && r->header[c])
            return r->header[c];
    return field;
}

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

/* Ledger wording to API codes: 男/女, 户籍/流动/境外/留守. Unknown values
 * pass through unchanged, so that validation names them. */
static const char *ledger_value(enum col c, const char *v)
{
    static const struct {
        enum col c;
        const char *from, *to;
    } map[] = {
        {C_GENDER, "男", "M"},          {C_GENDER, "女", "F"},
        {C_RESIDENCE, "户籍", "registered"}, {C_RESIDENCE, "户籍人口", "registered"},
        {C_RESIDENCE, "流动", "floating"},   {C_RESIDENCE, "流动人口", "floating"},
        {C_RESIDENCE, "流动人员", "floating"},
        {C_RESIDENCE, "境外", "overseas"},   {C_RESIDENCE, "境外人员", "overseas"},
        {C_RESIDENCE, "留守", "left_behind"}, {C_RESIDENCE, "留守人员", "left_behind"},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (map[i].c == c && strcmp(map[i].from, v) == 0)
            return map[i].to;
    return v;
}

/* 1980/1/5 and 19800105 as Excel writes dates, to 1980-01-05. */
static const char *ledger_date(struct arena *a, const char *v)
{
    int y, m, d;
    char extra;
    if (sscanf(v, "%4d/%2d/%2d%c", &y, &m, &d, &extra) == 3 ||
        (strlen(v) == 8 && strspn(v, "0123456789") == 8 && sscanf(v, "%4d%2d%2d", &y, &m, &d) == 3))
        return arena_printf(a, "%04d-%02d-%02d", y, m, d);
    return v;
}

static struct area_entry *area_of(struct run *r, struct arena *a, const char *code)
{
    size_t i;
    if (strmap_get(&r->areas, code, &i))
        return &r->area_v[i];
    struct area ar;
    struct area_entry en = {0, 0};
    if (area_get(r->opt->db, a, code, &ar) == 0 && area_path_within(r->opt->scope, ar.path)) {
        en.id = ar.id;
        en.ok = !ar.retired_ms && area_active_children(r->opt->db, ar.id) == 0;
    }
    if (r->narea == r->caparea)
        r->area_v = realloc(r->area_v, sizeof(*r->area_v) * (r->caparea = r->caparea ? r->caparea * 2 : 256));
    r->area_v[r->narea] = en;
    strmap_put(&r->areas, arena_strdup(&r->names, code), r->narea);
    return &r->area_v[r->narea++];
}

static int64_t household_of(struct run *r, int64_t area_id, const char *hh_no,
                            const char *address, struct err *e)
{
    const char *key = arena_printf(&r->names, "%lld|%s", (long long)area_id, hh_no);
    size_t i;
    if (strmap_get(&r->households, key, &i))
        return r->hh_v[i];
    int64_t id = 0;
    sqlite3_stmt *st = db_prepare(r->opt->db, "SELECT id FROM household WHERE area_id = ? AND hh_no = ?");
    db_bind_int(st, 1, area_id);
    db_bind_text(st, 2, hh_no);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (!id) {
        struct household_input in = {address ? address : hh_no, hh_no, NULL};
        id = household_create(r->opt->db, &in, area_id, r->opt->now, e);
        if (id < 0)
            return -1;
        r->st->households_created++;
    }
    if (r->nhh == r->caphh)
        r->hh_v = realloc(r->hh_v, sizeof(*r->hh_v) * (r->caphh = r->caphh ? r->caphh * 2 : 256));
    r->hh_v[r->nhh] = id;
    strmap_put(&r->households, key, r->nhh++);
    return id;
}

static int on_row(void *ctx, size_t line, size_t n, const char *const *fields, const size_t *lens)
{
    struct run *r = ctx;
    if (!r->have_header) {
        if (csv_header_map(fields, n, columns, NCOLS, r->index, r->e) < 0) {
            r->fatal = 1;
            return 1;
        }
        for (int c = 0; c < NCOLS; c++)
            if (r->index[c] >= 0)
                r->header[c] = trimmed(&r->names, fields[r->index[c]], lens[r->index[c]]);
        r->have_header = 1;
        return 0;
    }
    int blank = 1;
    for (size_t i = 0; i < n; i++)
        blank &= lens[i] == 0;
    if (blank)
        return 0; /* Excel's empty trailing rows */
    r->st->rows++;
    struct arena a = ARENA_INIT;
    json_t *body = json_object();
    const char *hh_no = NULL;
    for (int c = 0; c < NCOLS; c++) {
        int i = r->index[c];
        if (i < 0 || (size_t)i >= n || lens[i] == 0)
            continue;
        const char *v = trimmed(&a, fields[i], lens[i]);
        if (!*v)
            continue;
        if (c == C_HHNO) {
            hh_no = v;
            continue;
        }
        if (c == C_BIRTH)
            v = ledger_date(&a, v);
        if (c == C_TAGS) {
            json_t *tags = json_array();
            static const char *const seps[] = {"、", "；", ";", "|", ",", "，"};
            const char *p = v, *start = v;
            while (1) {
                size_t sep = 0;
                for (size_t k = 0; !sep && k < sizeof(seps) / sizeof(seps[0]); k++)
                    if (*p && strncmp(p, seps[k], strlen(seps[k])) == 0)
                        sep = strlen(seps[k]);
                if (sep || !*p) {
                    if (p > start)
                        json_array_append_new(tags, json_stringn(start, (size_t)(p - start)));
                    if (!*p)
                        break;
                    p += sep;
                    start = p;
                } else {
                    p++;
                }
            }
            json_object_set_new(body, "tags", tags);
            continue;
        }
        json_object_set_new(body, columns[c].key, json_string(ledger_value((enum col)c, v)));
    }
    struct err e = ERR_INIT;
    struct person_input in;
    /* The household comes from 户号 (found or made below); until then a
     * placeholder lets the relation rule of person_from_json pass. */
    if (hh_no)
        json_object_set_new(body, "household_id", json_integer(1));
    if (person_from_json(body, &a, r->opt->today, &in, &e) < 0) {
        report(r, line, column_of(r, e.field), e.code, e.message);
        goto out;
    }
    struct area_entry *ar = area_of(r, &a, in.area);
    if (!ar->ok) {
        report(r, line, r->header[C_AREA], ar->id ? "area_not_leaf" : "area_not_found",
               ar->id ? "所属网格须是您管辖范围内最小一级的在用网格（如微网格）"
                      : "所属网格编码不存在或不在您的管辖范围内");
        goto out;
    }
    if (hh_no) {
        int64_t hh = household_of(r, ar->id, hh_no, in.current_address, &e);
        if (hh < 0) {
            *r->e = e; /* the database failed: the whole import stops */
            r->fatal = 1;
            goto out;
        }
        in.household_id = hh;
    }
    int64_t existing = in.id_number ? person_find_by_id_number(r->opt->db, r->opt->seal, in.id_number) : 0;
    const char *their_path;
    if (existing && person_area_path(r->opt->db, &a, existing, &their_path) == 0 &&
        !area_path_within(r->opt->scope, their_path)) {
        /* Registered by someone else: never overwritten or moved from here. */
        report(r, line, r->header[C_ID], "id_number_exists",
               "该证件号码已在您管辖范围以外登记，请联系其所属网格迁移");
        goto out;
    }
    if (existing) {
        if (person_update(r->opt->db, r->opt->seal, existing, &in, ar->id, r->opt->now, &e) < 0)
            report(r, line, column_of(r, e.field), e.code, e.message);
        else
            r->st->updated++;
    } else if (person_create(r->opt->db, r->opt->seal, &in, ar->id, r->opt->now, &e) < 0) {
        report(r, line, column_of(r, e.field), e.code, e.message);
    } else {
        r->st->created++;
    }
out:
    json_decref(body);
    arena_release(&a);
    if (r->opt->progress && r->st->rows % 10000 == 0)
        r->opt->progress(r->opt->progress_ctx, r->st->rows);
    return r->fatal ? 1 : 0;
}

int person_import_csv(const struct person_import *opt, const char *data, size_t len,
                      struct import_stats *stats, json_t **errors_json, struct err *e)
{
    memset(stats, 0, sizeof(*stats));
    struct run r = {0};
    r.opt = opt;
    r.st = stats;
    r.e = e;
    if (errors_json)
        r.errors = json_array();
    struct csv_info info = {0};
    struct csv_limits lim = {(size_t)1 << 30, 4096, 256};
    int rc = csv_read_buffer(data, len, &lim, on_row, &r, &info, e);
    stats->encoding = csv_encoding_name(info.encoding);
    if (rc == 0 && !r.have_header)
        rc = err_set(e, ERR_INVALID, "empty_file", NULL, "文件是空的：第一行应为表头");
    if (rc != 0 || r.fatal)
        rc = -1;
    else
        rc = stats->invalid && !opt->skip_invalid ? 1 : 0;
    if (errors_json)
        *errors_json = r.errors;
    strmap_release(&r.areas);
    strmap_release(&r.households);
    free(r.area_v);
    free(r.hh_v);
    arena_release(&r.names);
    return rc;
}
