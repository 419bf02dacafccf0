/* The ledger imports: people, households, organisations, one handler. */
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "domain/householdimport.h"
#include "domain/orgimport.h"
#include "domain/personimport.h"
#include "util/clock.h"

/* Runs import on the body within the router's transaction; people also
 * count the households they made. */
static int import_ledger(struct req *r, ledger_import_fn import, int people)
{
    const char *skip = req_query(r, "skip_invalid");
    if (skip && strcmp(skip, "0") != 0 && strcmp(skip, "1") != 0)
        return req_fail(r, 400, "invalid_query", "skip_invalid", "skip_invalid 只能是 0 或 1");
    if (r->body.len == 0)
        return req_fail(r, 400, "empty_body", NULL, "请求体为空：请上传 CSV 文件");
    char today[11];
    clock_format_date_cn(clock_now_ms(), today, sizeof(today));
    struct ledger_opts opt = {r->db, r->app->seal, r->who.scope_path, skip && *skip == '1',
                              clock_now_ms(), today, NULL, 1000, NULL, NULL};
    struct import_stats st;
    struct err e = ERR_INIT;
    json_t *errors = NULL;
    int rc = import(&opt, r->body.ptr, r->body.len, &st, &errors, &e);
    if (rc < 0) {
        json_decref(errors);
        return req_fail_err(r, &e);
    }
    json_t *summary = json_pack("{s:s,s:I,s:I,s:I,s:I}", "encoding", st.encoding, "rows",
                                (json_int_t)st.rows, "created", (json_int_t)st.created, "updated",
                                (json_int_t)st.updated, "invalid", (json_int_t)st.invalid);
    if (people)
        json_object_set_new(summary, "households_created",
                            json_integer((json_int_t)st.households_created));
    r->audit_detail = json_deep_copy(summary);
    if (rc == 1) {
        /* All or nothing: the router rolls the transaction back. */
        req_fail(r, 422, "invalid_rows", NULL, "%zu 行有错误，未导入任何数据", st.invalid);
        json_object_set_new(summary, "errors", errors);
        req_fail_extra(r, "import", summary);
        return -1;
    }
    json_object_set_new(summary, "errors", errors);
    return reply_json(r, 200, summary);
}

int api_person_import(struct req *r)
{
    return import_ledger(r, person_import_csv, 1);
}

int api_household_import(struct req *r)
{
    return import_ledger(r, household_import_csv, 0);
}

int api_org_import(struct req *r)
{
    return import_ledger(r, org_import_csv, 0);
}
