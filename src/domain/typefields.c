#include "typefields.h"

#include <string.h>

#include "util/clock.h"
#include "util/jsonfield.h"

enum tf_kind { TF_TEXT, TF_DATE, TF_BOOL, TF_COUNT, TF_CHOICE, TF_LIST };

struct tf_field {
    const char *key;
    const char *path; /* "fields.<key>": the field an error names */
    const char *label;
    enum tf_kind kind;
    const char *const *choices; /* TF_CHOICE, TF_LIST: the allowed values (NULL: any) */
};

#define ITEM(k, label, kind) {k, "fields." k, label, kind, NULL}
#define PICK(k, label, kind, choices) {k, "fields." k, label, kind, choices}

/* 矫正类别: 社区矫正法 第2条. */
static const char *const correction_types[] = {"管制", "缓刑", "假释", "暂予监外执行", NULL};
/* The six managed diagnoses of 《严重精神障碍管理治疗工作规范》. */
static const char *const diagnoses[] = {"精神分裂症",
                                        "分裂情感性障碍",
                                        "持久的妄想性障碍（偏执性精神病）",
                                        "双相（情感）障碍",
                                        "癫痫所致精神障碍",
                                        "精神发育迟滞伴发精神障碍",
                                        NULL};
/* The five groups of 重点青少年. */
static const char *const youth_types[] = {"闲散青少年", "有不良行为或严重不良行为青少年",
                                          "流浪乞讨青少年", "服刑在教人员未成年子女",
                                          "农村留守儿童", NULL};

static const struct tf_field released[] = {
    ITEM("recidivist", "是否累犯", TF_BOOL),
    ITEM("crime", "原罪名", TF_TEXT),
    ITEM("sentence", "原判刑期", TF_TEXT),
    ITEM("prison", "服刑场所", TF_TEXT),
    ITEM("release_date", "释放日期", TF_DATE),
    ITEM("risk_assessment", "危险性评估类型", TF_TEXT),
    ITEM("handover_date", "衔接日期", TF_DATE),
    ITEM("handover", "衔接情况", TF_TEXT),
    ITEM("placement_date", "安置日期", TF_DATE),
    ITEM("placement", "安置情况", TF_TEXT),
    ITEM("unplaced_reason", "未安置原因", TF_TEXT),
    ITEM("help", "帮教情况", TF_TEXT),
    ITEM("reoffended", "是否重新犯罪", TF_BOOL),
    ITEM("reoffence", "重新犯罪罪名", TF_TEXT),
    {0},
};

static const struct tf_field correction[] = {
    ITEM("correction_no", "社区矫正人员编号", TF_TEXT),
    ITEM("detention_place", "原羁押场所", TF_TEXT),
    PICK("correction_type", "矫正类别", TF_CHOICE, correction_types),
    ITEM("case_type", "案件类别", TF_TEXT),
    ITEM("crime", "具体罪名", TF_TEXT),
    ITEM("sentence", "原判刑期", TF_TEXT),
    ITEM("sentence_start", "原判刑开始日期", TF_DATE),
    ITEM("sentence_end", "原判刑结束日期", TF_DATE),
    ITEM("start_date", "矫正开始日期", TF_DATE),
    ITEM("end_date", "矫正结束日期", TF_DATE),
    ITEM("reception", "接收方式", TF_TEXT),
    ITEM("four_histories", "四史情况", TF_LIST),
    ITEM("habitual", "是否累惯犯", TF_BOOL),
    ITEM("three_involvements", "三涉情况", TF_LIST),
    ITEM("has_team", "是否建立矫正小组", TF_BOOL),
    ITEM("team", "矫正小组人员组成情况", TF_LIST),
    ITEM("termination", "矫正解除（终止）类型", TF_TEXT),
    ITEM("absconded", "是否有脱管", TF_BOOL),
    ITEM("abscond_reason", "脱管原因", TF_TEXT),
    ITEM("abscond_supervision", "检察监督脱管情况", TF_TEXT),
    ITEM("abscond_corrected", "脱管纠正情况", TF_TEXT),
    ITEM("missed", "是否有漏管", TF_BOOL),
    ITEM("missed_reason", "漏管原因", TF_TEXT),
    ITEM("missed_supervision", "检察监督漏管情况", TF_TEXT),
    ITEM("missed_corrected", "漏管纠正情况", TF_TEXT),
    ITEM("rewards", "奖惩情况", TF_TEXT),
    ITEM("penalty_change", "刑罚变更执行情况", TF_TEXT),
    ITEM("reoffended", "是否重新犯罪", TF_BOOL),
    ITEM("reoffence", "重新犯罪罪名", TF_TEXT),
    {0},
};

static const struct tf_field mental[] = {
    PICK("diagnosis", "目前诊断类型", TF_CHOICE, diagnoses),
    ITEM("onset_date", "初次发病日期", TF_DATE),
    ITEM("family_economy", "家庭经济状况", TF_TEXT),
    ITEM("low_income", "是否纳入低保", TF_BOOL),
    ITEM("incident_history", "有无肇事肇祸史", TF_BOOL),
    ITEM("incident_count", "肇事肇祸次数", TF_COUNT),
    ITEM("last_incident_date", "上次肇事肇祸日期", TF_DATE),
    ITEM("treatment", "治疗情况", TF_TEXT),
    ITEM("hospital", "治疗医院名称", TF_TEXT),
    ITEM("admission_reasons", "实施住院治疗原因", TF_LIST),
    ITEM("rehab_org", "接收康复训练机构名称", TF_TEXT),
    ITEM("managers", "参与管理人员", TF_LIST),
    ITEM("help", "帮扶情况", TF_LIST),
    {0},
};

static const struct tf_field drug[] = {
    ITEM("found_date", "初次发现日期", TF_DATE),
    ITEM("control", "管控情况", TF_TEXT),
    ITEM("controller", "管控人姓名", TF_TEXT),
    ITEM("help", "帮扶情况", TF_TEXT),
    ITEM("helper", "帮扶人姓名", TF_TEXT),
    ITEM("crime_history", "有无犯罪史", TF_BOOL),
    ITEM("crime", "犯罪情况", TF_TEXT),
    ITEM("cause", "吸毒原因", TF_TEXT),
    ITEM("consequence", "吸毒后果", TF_TEXT),
    {0},
};

static const struct tf_field aids[] = {
    ITEM("infection_route", "感染途径", TF_TEXT),
    ITEM("crime_history", "是否有违法犯罪史", TF_BOOL),
    ITEM("crime", "违法犯罪情况", TF_TEXT),
    ITEM("case_type", "案件类别", TF_TEXT),
    ITEM("focus", "关注类型", TF_TEXT),
    ITEM("help", "帮扶情况", TF_TEXT),
    ITEM("helper", "帮扶人姓名", TF_TEXT),
    ITEM("admission", "收治情况", TF_TEXT),
    ITEM("admission_org", "收治机构名称", TF_TEXT),
    {0},
};

static const struct tf_field youth[] = {
    PICK("youth_type", "人员类型", TF_CHOICE, youth_types),
    ITEM("family", "家庭情况", TF_TEXT),
    ITEM("guardian", "监护人姓名", TF_TEXT),
    ITEM("guardian_relation", "与监护人关系", TF_TEXT),
    ITEM("guardian_address", "监护人居住详址", TF_TEXT),
    ITEM("offended", "是否违法犯罪", TF_BOOL),
    ITEM("offence", "违法犯罪情况", TF_TEXT),
    ITEM("helper", "帮扶人姓名", TF_TEXT),
    ITEM("help_means", "帮扶手段", TF_TEXT),
    ITEM("help", "帮扶情况", TF_TEXT),
    {0},
};

/* 学校 (校园及周边), standards.md §1.6: the safety officers are the point. */
static const struct tf_field school[] = {
    ITEM("school_type", "学校办学类型", TF_TEXT),
    ITEM("students", "在校学生人数", TF_COUNT),
    ITEM("authority", "主管教育行政部门", TF_TEXT),
    ITEM("principal", "校长姓名", TF_TEXT),
    ITEM("safety_leader", "分管安全保卫责任人", TF_TEXT),
    ITEM("safety_officer", "安全保卫责任人", TF_TEXT),
    ITEM("security_officer", "治安责任人", TF_TEXT),
    ITEM("guards", "安全保卫人数", TF_COUNT),
    {0},
};

/* 非公有制经济组织, standards.md §1.5. */
static const struct tf_field enterprise[] = {
    ITEM("hazardous_chemicals", "是否危化企业", TF_BOOL),
    ITEM("hazard_type", "安全隐患类型", TF_TEXT),
    ITEM("attention", "关注程度", TF_TEXT),
    ITEM("party_members", "中共党员数量", TF_COUNT),
    ITEM("union_members", "工会会员数量", TF_COUNT),
    ITEM("youth_league", "是否有共青团组织", TF_BOOL),
    ITEM("women_federation", "是否有妇联组织", TF_BOOL),
    {0},
};

/* 社会组织, standards.md §1.5. */
static const struct tf_field social_org[] = {
    ITEM("registration_no", "登记证号", TF_TEXT),
    ITEM("approved", "批准日期", TF_DATE),
    ITEM("org_type", "社会组织类型", TF_TEXT),
    ITEM("leader", "负责人", TF_TEXT),
    ITEM("attention", "关注程度", TF_TEXT),
    ITEM("foreign_background", "是否有境外背景", TF_BOOL),
    ITEM("party_members", "中共党员数量", TF_COUNT),
    {0},
};

static const struct {
    const char *record, *type;
    const struct tf_field *fields;
} types[] = {
    {"group", "released", released},  {"group", "correction", correction},
    {"group", "mental", mental},      {"group", "drug", drug},
    {"group", "aids", aids},          {"group", "youth", youth},
    {"org", "school", school},        {"org", "enterprise", enterprise},
    {"org", "social_org", social_org},
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

static const struct tf_field *fields_of(const char *record, const char *type)
{
    for (size_t i = 0; i < NTYPES; i++)
        if (strcmp(types[i].record, record) == 0 && strcmp(types[i].type, type) == 0)
            return types[i].fields;
    return NULL;
}

static const char *kind_name(enum tf_kind k)
{
    static const char *const names[] = {[TF_TEXT] = "text",     [TF_DATE] = "date",
                                        [TF_BOOL] = "bool",     [TF_COUNT] = "count",
                                        [TF_CHOICE] = "choice", [TF_LIST] = "list"};
    return names[k];
}

static int is_choice(const char *const *choices, const char *v)
{
    if (!choices)
        return 1;
    for (; *choices; choices++)
        if (strcmp(*choices, v) == 0)
            return 1;
    return 0;
}

static int check_value(const struct tf_field *f, json_t *v, struct err *e)
{
    switch (f->kind) {
    case TF_TEXT:
    case TF_CHOICE:
        if (!json_is_string(v))
            return err_set(e, ERR_INVALID, "invalid_type", f->path, "%s 应为文字", f->label);
        if (jf_check_text(json_string_value(v), json_string_length(v), f->path, 200, e) < 0)
            return -1;
        if (f->kind == TF_CHOICE && !is_choice(f->choices, json_string_value(v)))
            return err_set(e, ERR_INVALID, "invalid_choice", f->path, "%s 不是规定的取值之一",
                           f->label);
        return 0;
    case TF_DATE:
        if (!json_is_string(v) || clock_valid_date(json_string_value(v)) < 0)
            return err_set(e, ERR_INVALID, "invalid_date", f->path, "%s 应为有效日期 YYYY-MM-DD",
                           f->label);
        return 0;
    case TF_BOOL:
        if (!json_is_boolean(v))
            return err_set(e, ERR_INVALID, "invalid_type", f->path, "%s 应为是或否（true/false）",
                           f->label);
        return 0;
    case TF_COUNT:
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > 10000000)
            return err_set(e, ERR_INVALID, "invalid_type", f->path, "%s 应为 0 至 10000000 的整数",
                           f->label);
        return 0;
    case TF_LIST: {
        if (!json_is_array(v) || json_array_size(v) > 20)
            return err_set(e, ERR_INVALID, "invalid_type", f->path, "%s 应为最多20项的文字列表",
                           f->label);
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            if (!json_is_string(x))
                return err_set(e, ERR_INVALID, "invalid_type", f->path,
                               "%s 的第 %zu 项应为文字", f->label, i + 1);
            if (jf_check_text(json_string_value(x), json_string_length(x), f->path, 64, e) < 0 ||
                (!is_choice(f->choices, json_string_value(x)) &&
                 err_set(e, ERR_INVALID, "invalid_choice", f->path, "%s 的第 %zu 项不是规定的取值",
                         f->label, i + 1) < 0))
                return -1;
        }
        return 0;
    }
    }
    return 0;
}

int typefields_check(const char *record, const char *type, json_t *fields, struct err *e)
{
    if (!fields || json_is_null(fields))
        return 0;
    if (!json_is_object(fields))
        return err_set(e, ERR_INVALID, "invalid_type", "fields", "fields 应为对象");
    const struct tf_field *spec = fields_of(record, type);
    const char *k;
    json_t *v;
    json_object_foreach(fields, k, v)
    {
        const struct tf_field *f = spec;
        while (f && f->key && strcmp(f->key, k) != 0)
            f++;
        if (!f || !f->key) {
            if (jf_check_text(k, strlen(k), "fields", 32, e) < 0)
                return -1;
            return err_set(e, ERR_INVALID, "unknown_field", "fields",
                           spec ? "fields 中没有“%s”这一项（可填写的项见 GET /api/v1/meta/fields）"
                                : "“%s”：这一类型没有专属项目",
                           k);
        }
        if (json_is_null(v))
            continue; /* an item left empty */
        if (check_value(f, v, e) < 0)
            return -1;
    }
    return 0;
}

json_t *typefields_json(void)
{
    json_t *out = json_object();
    for (size_t i = 0; i < NTYPES; i++) {
        json_t *rec = json_object_get(out, types[i].record);
        if (!rec)
            json_object_set_new(out, types[i].record, rec = json_object());
        json_t *list = json_array();
        for (const struct tf_field *f = types[i].fields; f->key; f++) {
            json_t *item =
                json_pack("{s:s, s:s, s:s}", "key", f->key, "label", f->label, "kind", kind_name(f->kind));
            if (f->choices) {
                json_t *c = json_array();
                for (const char *const *p = f->choices; *p; p++)
                    json_array_append_new(c, json_string(*p));
                json_object_set_new(item, "choices", c);
            }
            json_array_append_new(list, item);
        }
        json_object_set_new(rec, types[i].type, list);
    }
    return out;
}
