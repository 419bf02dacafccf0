/* The shared ledger reader (domain/ledger.c) and its recoding helpers, on
 * rows that need no database. */
#include <stdlib.h>

#include "domain/ledger.h"
#include "domain/org.h"
#include "unit.h"

static void test_number(void)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "a", "35", "b", "-7", "c",
                          "115.25", "d", "1e3", "e", "0x10", "f", "3.5", "g", "很多", "h", "-",
                          "i", "1.2.3");
    ledger_number(o, "a", 1);
    ledger_number(o, "b", 1);
    ledger_number(o, "c", 0);
    ledger_number(o, "d", 0);
    ledger_number(o, "e", 1);
    ledger_number(o, "f", 1); /* an integer column keeps "3.5": validation names it */
    ledger_number(o, "g", 1);
    ledger_number(o, "h", 1);
    ledger_number(o, "i", 0);
    ledger_number(o, "absent", 1);
    CHECK(json_integer_value(json_object_get(o, "a")) == 35);
    CHECK(json_integer_value(json_object_get(o, "b")) == -7);
    CHECK(json_is_real(json_object_get(o, "c")) && json_real_value(json_object_get(o, "c")) == 115.25);
    const char *kept[] = {"d", "e", "f", "g", "h", "i"};
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
        CHECK(json_is_string(json_object_get(o, kept[i])));
    CHECK(json_object_get(o, "absent") == NULL);
    json_decref(o);
}

static void test_boolean_and_codes(void)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "a", "是", "b", "否", "c", "有", "d", "无", "e",
                          "也许");
    const char *keys[] = {"a", "b", "c", "d", "e"};
    for (size_t i = 0; i < 5; i++)
        ledger_boolean(o, keys[i]);
    CHECK(json_is_true(json_object_get(o, "a")));
    CHECK(json_is_false(json_object_get(o, "b")));
    CHECK(json_is_true(json_object_get(o, "c")));
    CHECK(json_is_false(json_object_get(o, "d")));
    CHECK_STR(json_string_value(json_object_get(o, "e")), "也许");
    static const struct ledger_code codes[] = {{"gender", "男", "M"}, {"gender", "女", "F"}};
    json_object_set_new(o, "gender", json_string("女"));
    json_object_set_new(o, "other", json_string("男"));
    ledger_recode(o, codes, 2);
    CHECK_STR(json_string_value(json_object_get(o, "gender")), "F");
    CHECK_STR(json_string_value(json_object_get(o, "other")), "男"); /* only its own key */
    json_object_set_new(o, "gender", json_string("未知"));
    ledger_recode(o, codes, 2);
    CHECK_STR(json_string_value(json_object_get(o, "gender")), "未知");
    json_decref(o);
    CHECK_STR(org_kind_key("学校"), "school");
    CHECK_STR(org_kind_key("个体工商户"), "individual");
    CHECK(org_kind_key("school") == NULL);
    CHECK(org_kind_key("城堡") == NULL);
}

enum { C_NAME, C_TAGS, C_CODE, NCOLS };
static const struct csv_column cols[NCOLS] = {
    [C_NAME] = {"name", LEDGER_NAMES("名称", "name"), 1},
    [C_TAGS] = {"tags", LEDGER_NAMES("标签", "tags"), 0},
    [C_CODE] = {"code", LEDGER_NAMES("编码", "code"), 0},
};

struct seen {
    int rows;
    size_t lines[8];
    json_t *bodies;
};

/* Refuses a row without 编码 (at the column of field "tags[1]" when its name
 * is "标签错", to see err.field mapped), takes the others. */
static int row(struct ledger *l, void *ctx, size_t line, const char *const *cells, json_t *body,
               struct arena *a)
{
    (void)a;
    struct seen *s = ctx;
    s->lines[s->rows++ % 8] = line;
    json_array_append(s->bodies, body);
    if (strcmp(cells[C_NAME], "标签错") == 0) {
        struct err e = ERR_INIT;
        err_set(&e, ERR_INVALID, "bad_tag", "tags[1]", "第2个标签不对");
        return ledger_invalid(l, line, &e);
    }
    if (!cells[C_CODE])
        return ledger_refuse(l, line, ledger_header(l, C_CODE), "empty_field", "编码不能为空, \"必填\"");
    return ledger_written(l, line, 0, 0, NULL);
}

static void test_read(void)
{
    const char *csv = "\xEF\xBB\xBF 名称 ,\xE3\x80\x80标签,code,其他\r\n"
                      "\xE3\x80\x80甲\xC2\xA0,a,001,x\r\n"
                      ",,,\r\n"
                      "乙,,,\r\n"
                      "标签错,b、c,002\r\n"
                      "丙,,003,,,,\r\n";
    char *buf = NULL;
    size_t len = 0;
    FILE *ef = open_memstream(&buf, &len);
    struct ledger_opts opt = {NULL, NULL, "/", 0, 0, "2026-01-01", ef, 1, NULL, NULL};
    struct import_stats st;
    struct err e = ERR_INIT;
    json_t *errors = NULL;
    struct seen s = {0, {0}, json_array()};
    int rc = ledger_read(&opt, cols, NCOLS, row, &s, csv, strlen(csv), &st, &errors, &e);
    fclose(ef);
    CHECK(rc == 1); /* refused rows, not skip_invalid: nothing may be committed */
    CHECK(st.rows == 4 && st.created == 2 && st.invalid == 2 && st.updated == 0);
    CHECK_STR(st.encoding, "UTF-8 (BOM)");
    CHECK(s.rows == 4 && s.lines[0] == 2 && s.lines[1] == 4 && s.lines[2] == 5 && s.lines[3] == 6);
    /* Cells trimmed of spaces, U+3000 and U+00A0; empty cells absent. */
    json_t *first = json_array_get(s.bodies, 0);
    CHECK_STR(json_string_value(json_object_get(first, "name")), "甲");
    CHECK(json_object_size(first) == 3);
    CHECK(json_object_size(json_array_get(s.bodies, 1)) == 1);
    /* The JSON list keeps max_errors_kept; the error file has them all, quoted,
     * with the header text as the file wrote it. */
    CHECK(json_array_size(errors) == 1);
    CHECK(json_integer_value(json_object_get(json_array_get(errors, 0), "line")) == 4);
    CHECK_STR(json_string_value(json_object_get(json_array_get(errors, 0), "column")), "code");
    CHECK_STR(buf, "4,code,empty_field,\"编码不能为空, \"\"必填\"\"\"\r\n"
                   "5,标签,bad_tag,\"第2个标签不对\"\r\n");
    json_decref(errors);
    json_decref(s.bodies);
    free(buf);

    /* skip_invalid: the good rows may be committed. */
    opt.skip_invalid = 1;
    opt.errors = NULL;
    s = (struct seen){0, {0}, json_array()};
    CHECK(ledger_read(&opt, cols, NCOLS, row, &s, csv, strlen(csv), &st, NULL, &e) == 0);
    CHECK(st.invalid == 2 && st.created == 2);
    json_decref(s.bodies);

    /* File-level errors. */
    s = (struct seen){0, {0}, json_array()};
    e = (struct err)ERR_INIT;
    CHECK(ledger_read(&opt, cols, NCOLS, row, &s, "", 0, &st, NULL, &e) == -1);
    CHECK_STR(e.code, "empty_file");
    e = (struct err)ERR_INIT;
    const char *nohead = "标签,编码\r\na,1\r\n";
    CHECK(ledger_read(&opt, cols, NCOLS, row, &s, nohead, strlen(nohead), &st, NULL, &e) == -1);
    CHECK_STR(e.code, "missing_column");
    CHECK_STR(e.field, "name");
    CHECK(s.rows == 0);
    json_decref(s.bodies);
}

UNIT_MAIN(test_number, test_boolean_and_codes, test_read)
