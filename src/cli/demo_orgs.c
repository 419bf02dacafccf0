/*
 * The demo county's units: enterprises spread over the micro-grids (夏邑
 * counted 5,607 enterprises among its three-zero subjects) and a school for
 * about every second village, each with a valid 统一社会信用代码 and a point
 * inside its micro-grid. Deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo.h"
#include "domain/org.h"
#include "domain/uscc.h"
#include "store/db.h"
#include "util/xalloc.h"
#include "util/rng.h"

static struct rng rng = {0x5EED0002ull};
static int below(int n)
{
    return (int)(rng_next(&rng) % (uint64_t)n);
}

int demo_orgs(struct db *db, const struct seal *seal, long target, int64_t now)
{
    static const char *const trades[] = {"面粉厂", "食品有限公司", "纺织有限公司", "建材厂",
                                         "农业合作社", "物流有限公司", "超市", "养殖场",
                                         "机械加工厂", "家具有限公司", "电子有限公司", "加油站"};
    static const char *const firms[] = {"兴旺", "宏达", "鑫源", "恒通", "富民", "丰收", "华盛",
                                        "永安", "瑞丰", "金穗", "顺发", "德隆", "博远", "新航"};
    struct micro {
        int64_t id;
        double lng, lat;
        char village[64];
    } *m = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st = db_prepare(
        db, "SELECT a.id, a.label_lng, a.label_lat, v.name FROM area a "
            "JOIN area g ON g.id = a.parent_id JOIN area v ON v.id = g.parent_id "
            "WHERE a.level = 'microgrid' AND a.label_lng IS NOT NULL ORDER BY a.code");
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap)
            m = xrealloc(m, sizeof(*m) * (cap = cap ? cap * 2 : 1024));
        m[n].id = sqlite3_column_int64(st, 0);
        m[n].lng = sqlite3_column_double(st, 1);
        m[n].lat = sqlite3_column_double(st, 2);
        const char *v = sqlite3_column_text(st, 3) ? (const char *)sqlite3_column_text(st, 3) : "";
        const char *cut = strstr(v, "村民委员会");
        if (!cut)
            cut = strstr(v, "居民委员会");
        snprintf(m[n].village, sizeof(m[n].village), "%.*s",
                 (int)(cut ? (size_t)(cut - v) : strlen(v)), v);
        n++;
    }
    sqlite3_reset(st);
    long made = 0, schools = 0;
    struct err e = ERR_INIT;
    for (long i = 0; n && i < target; i++) {
        size_t k = (size_t)below((int)n);
        int school = below(100) < 5;
        char uscc[19], org8[9], name[128];
        static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        for (int c = 0; c < 8; c++)
            org8[c] = alpha[below(31)];
        org8[8] = '\0';
        if (school) {
            uscc_make('1', '2', "411624", org8, uscc); /* 机构编制 · 事业单位 */
            snprintf(name, sizeof(name), "沈丘县%s%s", m[k].village, below(3) ? "小学" : "幼儿园");
        } else {
            uscc_make('9', '1', "411624", org8, uscc); /* 工商 · 企业 */
            snprintf(name, sizeof(name), "沈丘县%s%s%s", m[k].village, firms[below(14)],
                     trades[below(12)]);
        }
        char phone[16];
        snprintf(phone, sizeof(phone), "13%d%08d", below(10), below(100000000));
        struct org_input in = {0};
        in.uscc = uscc;
        in.name = name;
        in.kind = school ? "school" : "enterprise";
        in.address = m[k].village;
        in.contact_name = school ? "安全保卫负责人" : "治保负责人";
        in.contact_phone = phone;
        in.employees = 3 + below(200);
        in.party_org = below(5) == 0;
        in.trade_union = below(3) == 0;
        in.lng = m[k].lng;
        in.lat = m[k].lat;
        in.has_point = 1;
        /* A school's safety officers (standards.md §1.6) from names of the
         * village; the random stream of the rest stays as it was. */
        uint64_t h = (uint64_t)k * 0x9E3779B97F4A7C15ull >> 23;
        static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄"};
        char principal[16], leader[16], officer[16];
        snprintf(principal, sizeof(principal), "%s校长", surnames[h % 8]);
        snprintf(leader, sizeof(leader), "%s副校长", surnames[h / 8 % 8]);
        snprintf(officer, sizeof(officer), "%s主任", surnames[h / 64 % 8]);
        in.fields = school ? json_pack("{s:s,s:I,s:s,s:s,s:s,s:I}", "school_type",
                                       strstr(name, "小学") ? "小学" : "幼儿园", "students",
                                       (json_int_t)(60 + h % 900), "authority", "沈丘县教育体育局",
                                       "principal", principal, "safety_leader", leader,
                                       "safety_officer", officer, "guards", (json_int_t)(1 + h % 4))
                           : NULL;
        int rc = org_create(db, seal, &in, m[k].id, now, &e);
        json_decref(in.fields);
        if (rc < 0) {
            if (e.code && strcmp(e.code, "uscc_exists") == 0) { /* a repeated random code */
                e = (struct err)ERR_INIT;
                continue;
            }
            fprintf(stderr, "\npingan demo: units: %s\n", e.message);
            free(m);
            return -1;
        }
        made++;
        schools += school;
    }
    free(m);
    if (target > 0)
        printf("demo units: %ld (%ld schools, %ld enterprises)\n", made, schools, made - schools);
    return 0;
}
