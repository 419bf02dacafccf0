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
#include "util/xalloc.h"

enum col {
    C_NAME, C_FORMER, C_GENDER, C_DOCTYPE, C_ID, C_BIRTH, C_ETHNIC, C_PHONE, C_RESIDENCE,
    C_REGADDR, C_CURADDR, C_AREA, C_HHNO, C_RELATION, C_TAGS, NCOLS
};

#define NAMES LEDGER_NAMES
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

/* The households met in this file, by micro-grid and 户号. */
struct run {
    struct strmap households;
    struct arena keys;
    int64_t *hh_v;
    size_t nhh, caphh;
};

/* The header text for an err.field (the JSON key). */
static const char *column_of(struct ledger *l, const char *field)
{
    if (field && strcmp(field, "household_id") == 0) /* a relation needs its household: 户号 */
        return ledger_header(l, C_HHNO)       ? ledger_header(l, C_HHNO)
               : ledger_header(l, C_RELATION) ? ledger_header(l, C_RELATION)
                                              : "户号";
    return ledger_column(l, field);
}

/* Ledger wording to API codes: 男/女, 户籍/流动/境外/留守. */
static const struct ledger_code codes[] = {
    {"gender", "男", "M"},
    {"gender", "女", "F"},
    {"residence_type", "户籍", "registered"},
    {"residence_type", "户籍人口", "registered"},
    {"residence_type", "流动", "floating"},
    {"residence_type", "流动人口", "floating"},
    {"residence_type", "流动人员", "floating"},
    {"residence_type", "境外", "overseas"},
    {"residence_type", "境外人员", "overseas"},
    {"residence_type", "留守", "left_behind"},
    {"residence_type", "留守人员", "left_behind"},
};

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

/* 退役军人、党员 (or ；; | , ，) to ["退役军人", "党员"]. */
static json_t *ledger_tags(const char *v)
{
    static const char *const seps[] = {"、", "；", ";", "|", ",", "，"};
    json_t *tags = json_array();
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
    return tags;
}

static int64_t household_of(struct ledger *l, struct run *r, int64_t area_id, const char *hh_no,
                            const char *address, struct err *e)
{
    const char *key = arena_printf(&r->keys, "%lld|%s", (long long)area_id, hh_no);
    size_t i;
    if (strmap_get(&r->households, key, &i))
        return r->hh_v[i];
    int64_t id = 0;
    sqlite3_stmt *st = db_prepare(l->opt->db, "SELECT id FROM household WHERE area_id = ? AND hh_no = ?");
    db_bind_int(st, 1, area_id);
    db_bind_text(st, 2, hh_no);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (!id) {
        struct household_input in = {address ? address : hh_no, hh_no, NULL, 0};
        id = household_create(l->opt->db, &in, area_id, l->opt->now, e);
        if (id < 0)
            return -1;
        l->st->households_created++;
    }
    if (r->nhh == r->caphh) {
        r->caphh = r->caphh ? r->caphh * 2 : 256;
        r->hh_v = xrealloc(r->hh_v, sizeof(*r->hh_v) * r->caphh);
    }
    r->hh_v[r->nhh] = id;
    strmap_put(&r->households, key, r->nhh++);
    return id;
}

static int person_row(struct ledger *l, void *ctx, size_t line, const char *const *cells,
                      json_t *body, struct arena *a)
{
    struct run *r = ctx;
    const struct ledger_opts *opt = l->opt;
    const char *hh_no = cells[C_HHNO];
    json_object_del(body, "hh_no");
    ledger_recode(body, codes, sizeof(codes) / sizeof(codes[0]));
    if (cells[C_BIRTH])
        json_object_set_new(body, "birth_date", json_string(ledger_date(a, cells[C_BIRTH])));
    if (cells[C_TAGS])
        json_object_set_new(body, "tags", ledger_tags(cells[C_TAGS]));
    struct err e = ERR_INIT;
    struct person_input in;
    /* The household comes from 户号 (found or made below); until then a
     * placeholder lets the relation rule of person_from_json pass. */
    if (hh_no)
        json_object_set_new(body, "household_id", json_integer(1));
    if (person_from_json(body, a, opt->today, &in, &e) < 0)
        return ledger_report(l, line, column_of(l, e.field), &e);
    const struct ledger_area *ar = ledger_place(l, line, in.area);
    if (!ar)
        return 0;
    if (hh_no) {
        int64_t hh = household_of(l, r, ar->id, hh_no, in.current_address, &e);
        if (hh < 0)
            return ledger_fail(l, &e); /* the database failed: the whole import stops */
        in.household_id = hh;
    }
    int64_t existing = in.id_number ? person_find_by_id_number(opt->db, opt->seal, in.id_number) : 0;
    if (!ledger_in_scope(l, a, existing, person_area_path))
        /* Registered by someone else: never overwritten or moved from here. */
        return ledger_refuse(l, line, ledger_header(l, C_ID), "id_number_exists",
                             "该证件号码已在您管辖范围以外登记，请联系其所属网格迁移");
    int rc = existing ? person_update(opt->db, opt->seal, existing, &in, ar->id, opt->now, &e)
                      : (person_create(opt->db, opt->seal, &in, ar->id, opt->now, &e) < 0 ? -1 : 0);
    return ledger_written(l, line, existing != 0, rc, &e);
}

int person_import_csv(const struct ledger_opts *opt, const char *data, size_t len,
                      struct import_stats *stats, json_t **errors_json, struct err *e)
{
    struct run r = {STRMAP_INIT, ARENA_INIT, NULL, 0, 0};
    int rc = ledger_read(opt, columns, NCOLS, person_row, &r, data, len, stats, errors_json, e);
    strmap_release(&r.households);
    arena_release(&r.keys);
    free(r.hh_v);
    return rc;
}
