/*
 * The demo county's residents: about 1.1 million people in about 330,000
 * households (西华's population database held 963,000), spread over the
 * micro-grids, with valid ID numbers of their region, plausible names,
 * ages and household shapes, a floating share registered in other counties
 * of 周口, and some left-behind children. Deterministic: the same seed gives
 * the same county.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo.h"
#include "domain/group.h"
#include "domain/household.h"
#include "domain/idnumber.h"
#include "domain/person.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/xalloc.h"
#include "util/rng.h"

static struct rng rng = {0x5EED0001ull};
static uint64_t next(void)
{
    return rng_next(&rng);
}
static int below(int n)
{
    return (int)(rng_next(&rng) % (uint64_t)n);
}

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
    "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程",
    "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁",
    "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜", "范"};
static const char *const male[] = {"伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超",
                                   "刚", "建", "国", "志", "辉", "鹏", "飞", "宇", "浩", "凯",
                                   "俊", "海", "波", "峰", "东", "亮", "永", "庆", "德", "福"};
static const char *const female[] = {"芳", "娜", "敏", "静", "丽", "艳", "娟", "秀", "霞", "桂",
                                     "英", "华", "红", "玉", "兰", "梅", "琳", "欣", "雪", "云",
                                     "倩", "婷", "慧", "萍", "燕", "丹", "莉", "蓉", "佳", "颖"};
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Where floating residents are registered: other counties of 周口. */
static const char *const elsewhere[] = {"411602", "411603", "411621", "411622", "411623",
                                        "411625", "411627", "411628", "411681"};
/* The ID-number regions sequence codes are kept for: the home counties of
 * the demo (沈丘县, or every county of the city demo) and the above. */
static const char *const regions[] = {"411624", "411602", "411603", "411621", "411622",
                                      "411623", "411625", "411627", "411628", "411681"};
static int region_index(const char *code)
{
    for (int i = 0; i < (int)(sizeof(regions) / sizeof(regions[0])); i++)
        if (strcmp(regions[i], code) == 0)
            return i;
    return -1;
}

/* Sequence codes per region and birth date: odd for men, even for women. */
#define YEARS 130
static unsigned short *seqs; /* [region][year][month][day][sex] */
static int seq_next(int region, int y, int m, int d, int male_)
{
    size_t i = ((((size_t)region * YEARS + (size_t)(y - 1900)) * 13 + (size_t)m) * 32 + (size_t)d) * 2 +
               (size_t)(male_ ? 0 : 1);
    int s = seqs[i]++ * 2 + (male_ ? 1 : 2);
    return s <= 999 ? s : -1;
}

static void person_name(char *out, size_t size, const char *surname, int is_male)
{
    const char *const *g = is_male ? male : female;
    int n = is_male ? N(male) : N(female);
    if (below(4) == 0)
        snprintf(out, size, "%s%s", surname, g[below(n)]);
    else
        snprintf(out, size, "%s%s%s", surname, g[below(n)], g[below(n)]);
}

struct member {
    const char *relation;
    int male;
    int age;
};

static int make_household(struct member *m, int size, int head_age)
{
    int n = 0, head_male = below(10) < 8;
    m[n++] = (struct member){"户主", head_male, head_age};
    if (size >= 2)
        m[n++] = (struct member){"配偶", !head_male, head_age - 3 + below(7)};
    while (n < size) {
        if (n >= 4 && head_age < 60 && below(2)) {
            int male_ = below(2);
            m[n++] = (struct member){male_ ? "父亲" : "母亲", male_, head_age + 24 + below(8)};
        } else {
            int male_ = below(2);
            int age = head_age - 22 - below(14);
            if (age < 0)
                age = below(3);
            m[n++] = (struct member){male_ ? "子" : "女", male_, age};
        }
    }
    return n;
}

/* A few items of the group's own ledger (domain/typefields.c), chosen from
 * the person's id so that the random stream of the rest stays as it was. */
static json_t *demo_group_fields(const char *type, int64_t person)
{
    static const char *const crimes[] = {"盗窃罪", "故意伤害罪", "诈骗罪", "寻衅滋事罪",
                                         "危险驾驶罪", "开设赌场罪"};
    static const char *const corrections[] = {"管制", "缓刑", "假释", "暂予监外执行"};
    static const char *const diagnoses[] = {"精神分裂症", "分裂情感性障碍",
                                            "持久的妄想性障碍（偏执性精神病）", "双相（情感）障碍",
                                            "癫痫所致精神障碍", "精神发育迟滞伴发精神障碍"};
    static const char *const youth[] = {"闲散青少年", "有不良行为或严重不良行为青少年",
                                        "流浪乞讨青少年", "服刑在教人员未成年子女",
                                        "农村留守儿童"};
    uint64_t h = (uint64_t)person * 0x9E3779B97F4A7C15ull >> 17;
    char date[11];
    snprintf(date, sizeof(date), "20%02d-%02d-%02d", 15 + (int)(h % 10), 1 + (int)(h / 10 % 12),
             1 + (int)(h / 120 % 28));
    if (strcmp(type, "released") == 0)
        return json_pack("{s:s,s:s,s:s,s:b}", "crime", crimes[h % 6], "release_date", date,
                         "placement", h % 5 ? "已安置" : "未安置", "recidivist", h % 9 == 0);
    if (strcmp(type, "correction") == 0)
        return json_pack("{s:s,s:s,s:s}", "correction_type", corrections[h % 4], "crime",
                         crimes[h / 4 % 6], "start_date", date);
    if (strcmp(type, "mental") == 0)
        return json_pack("{s:s,s:s,s:s,s:b}", "diagnosis", diagnoses[h % 6], "onset_date", date,
                         "treatment", h % 3 ? "门诊维持治疗" : "住院治疗", "low_income", h % 4 == 0);
    if (strcmp(type, "drug") == 0)
        return json_pack("{s:s,s:s}", "found_date", date, "control",
                         h % 2 ? "社区戒毒" : "社区康复");
    if (strcmp(type, "aids") == 0)
        return json_pack("{s:s}", "focus", h % 3 ? "一般关注" : "重点关注");
    return json_pack("{s:s}", "youth_type", youth[h % 5]);
}

/* About 1 % of the residents belong to a special group, with a history of
 * visits over the last months: most are up to date, some are overdue. */
static int demo_group(struct db *db, int64_t person, int age, const char *duties, int64_t now,
                      long *groups, struct err *e)
{
    static const char *const kinds[] = {"released", "correction", "drug", "mental", "mental",
                                        "aids", "youth"};
    static const char *const risks[] = {"low", "low", "medium", "high"};
    const char *type = kinds[below(7)];
    if (strcmp(type, "youth") == 0 && age > 25)
        type = "released";
    struct group_input in = {type, risks[below(4)], -1, NULL, NULL, NULL};
    if (strcmp(type, "mental") == 0)
        in.danger_level = below(6);
    int days = group_duty_days(duties, type, in.danger_level);
    in.fields = demo_group_fields(type, person);
    int rc = group_create(db, person, &in, days, now, e);
    json_decref(in.fields);
    if (rc < 0)
        return -1;
    (*groups)++;
    /* Visits going back a few duty periods; the last one decides the state. */
    int n = below(4);
    int64_t day = 86400000LL;
    int64_t at = now - (int64_t)(below(days * 115 / 100) + 1) * day; /* ~15 % overdue */
    static const char *const notes[] = {"情绪稳定，按时服药", "家中无异常", "已电话联系本人",
                                        "与监护人沟通", "近期无外出", "帮扶就业情况良好"};
    for (int k = 0; k < n; k++) {
        struct visit_input v = {below(3) ? "home" : "phone", notes[below(6)], at, 0, 0, 0};
        if (visit_create(db, person, &v, 0, now, e) < 0)
            return -1;
        at -= (int64_t)days * day;
    }
    return 0;
}

int demo_people(struct db *db, const struct seal *seal, long target, int64_t now,
                const char *duties, void (*progress)(const char *what, long done, long total))
{
    struct micro {
        int64_t id;
        char village[64];
        char county[8], county_name[32]; /* the home region of its residents */
        int region;
    } *micros = NULL;
    size_t nm = 0, cap = 0;
    sqlite3_stmt *st = db_prepare(
        db, "SELECT m.id, v.name, c.code, c.name FROM area m JOIN area g ON g.id = m.parent_id "
            "JOIN area v ON v.id = g.parent_id JOIN area t ON t.id = v.parent_id "
            "JOIN area c ON c.id = t.parent_id WHERE m.level = 'microgrid' ORDER BY m.code");
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (nm == cap)
            micros = xrealloc(micros, sizeof(*micros) * (cap = cap ? cap * 2 : 1024));
        micros[nm].id = sqlite3_column_int64(st, 0);
        snprintf(micros[nm].county, sizeof(micros[nm].county), "%s", db_col_text(st, 2));
        snprintf(micros[nm].county_name, sizeof(micros[nm].county_name), "%s",
                 db_col_text(st, 3));
        micros[nm].region = region_index(micros[nm].county);
        if (micros[nm].region < 0) {
            sqlite3_reset(st);
            fprintf(stderr, "pingan demo: residents: no ID-number region for county %s\n",
                    micros[nm].county);
            free(micros);
            return -1;
        }
        const char *v = db_col_text(st, 1);
        /* 于庄村民委员会 -> 于庄村 */
        const char *cut = strstr(v, "村民委员会");
        if (!cut)
            cut = strstr(v, "居民委员会");
        snprintf(micros[nm].village, sizeof(micros[nm].village), "%.*s%s",
                 (int)(cut ? (size_t)(cut - v) : strlen(v)), v, cut ? "村" : "");
        nm++;
    }
    sqlite3_reset(st);
    if (nm == 0 || target <= 0) {
        free(micros);
        return 0;
    }
    seqs = xcalloc((size_t)N(regions) * YEARS * 13 * 32 * 2, sizeof(*seqs));
    char today[11];
    clock_format_date_cn(now, today, sizeof(today));
    int this_year = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 +
                    (today[3] - '0');
    long people = 0, households = 0, groups = 0;
    int rc = -1;
    struct err e = ERR_INIT;
    static const int shape[] = {1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6}; /* mean ≈ 3.5 */
    for (long h = 0; people < target; h++) {
        size_t mi = (size_t)h % nm;
        int floating = below(100) < 8;
        const char *region6 = micros[mi].county;
        if (floating) { /* registered in another county of 周口 */
            region6 = elsewhere[below(N(elsewhere))];
            if (strcmp(region6, micros[mi].county) == 0)
                region6 = "411624";
        }
        int region = region_index(region6);
        const char *surname = surnames[below(N(surnames))];
        char address[128];
        snprintf(address, sizeof(address), "%s%ld号", micros[mi].village, h / (long)nm + 1);
        char hh_no[24];
        snprintf(hh_no, sizeof(hh_no), "H%07ld", h + 1);
        struct household_input hin = {address, hh_no, NULL, 0};
        int64_t hh = household_create(db, &hin, micros[mi].id, now, &e);
        if (hh < 0)
            goto out;
        households++;
        struct member m[8];
        int n = make_household(m, shape[below(N(shape))], 25 + below(55));
        for (int k = 0; k < n && people < target; k++) {
            int age = m[k].age < 0 ? 0 : (m[k].age > 99 ? 99 : m[k].age);
            int y = this_year - age, mo = 1 + below(12), d = 1 + below(28);
            int seq = seq_next(region, y, mo, d, m[k].male);
            if (seq < 0)
                continue; /* this birth date is full for this region */
            char id[19], name[32], phone[16], birth[16];
            idnumber_make(region6, y, mo, d, seq, id);
            snprintf(birth, sizeof(birth), "%04d-%02d-%02d", y, mo, d);
            person_name(name, sizeof(name), k == 0 || strcmp(m[k].relation, "子") == 0 ||
                                                    strcmp(m[k].relation, "女") == 0
                                                ? surname
                                                : surnames[below(N(surnames))],
                        m[k].male);
            int has_phone = age >= 18 && age <= 75 && below(100) < 85;
            if (has_phone)
                snprintf(phone, sizeof(phone), "1%c%09llu", "35789"[below(5)],
                         (unsigned long long)(next() % 1000000000ull));
            const char *type = floating ? "floating"
                               : (age < 16 && below(100) < 6) ? "left_behind"
                                                               : "registered";
            char regaddr[192];
            snprintf(regaddr, sizeof(regaddr), "%s%s",
                     floating ? "河南省周口市" : micros[mi].county_name,
                     floating ? region6 : address);
            struct person_input in = {0};
            in.name = name;
            in.gender = m[k].male ? "M" : "F";
            in.doc_type = "111";
            in.id_number = id;
            in.birth_date = birth;
            in.ethnicity = below(100) < 3 ? "回族" : "汉族";
            in.phone = has_phone ? phone : NULL;
            in.residence_type = type;
            in.registered_address = regaddr;
            in.current_address = address;
            in.relation = m[k].relation;
            in.household_id = hh;
            int64_t pid = person_create(db, seal, &in, micros[mi].id, now, &e);
            if (pid < 0 || (below(100) == 0 && demo_group(db, pid, age, duties, now, &groups, &e) < 0))
                goto out;
            people++;
            if (progress && people % 10000 == 0)
                progress("人员 people", people, target);
        }
    }
    if (progress)
        progress("人员 people", people, target);
    printf("demo residents: %ld people in %ld households, %ld special-group records\n", people,
           households, groups);
    rc = 0;
out:
    if (rc < 0)
        fprintf(stderr, "\npingan demo: residents: %s\n", e.message);
    free(seqs);
    seqs = NULL;
    free(micros);
    return rc;
}
