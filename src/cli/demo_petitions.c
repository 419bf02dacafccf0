/*
 * The demo county's petitions: about 480 over two years (a county of
 * 沈丘's size registers some hundreds a year), spread over the micro-grids,
 * by the usual mix of channels and classes, each taken through its steps on
 * the statutory clock (some late, some extended, some to 复查 and 复核), a
 * few to the province or Beijing, a few repeats, most rated; petitioners
 * linked to the registry's residents when the demo has them. Made with the
 * petition module's own functions, so the rows and timelines are what the
 * server would write. Deterministic (a fixed seed).
 */
#include <stdio.h>
#include <string.h>

#include "cli/demo_petitions.h"
#include "domain/petition.h"
#include "domain/petitionclock.h"
#include "domain/petitionpublic.h"
#include "store/db.h"

static uint64_t rng = 0x5EED0012ull;
static unsigned next(unsigned n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng >> 33) % n);
}

static const struct {
    const char *category, *title, *content;
} matters[] = {
    {"claim", "要求支付拖欠工资",
     "在某建筑工地务工，工程结束后包工头拖欠工资至今未付，请求帮助讨薪"},
    {"claim", "要求解决征地补偿问题", "承包地被征收用于道路建设，补偿款未足额发放，要求按标准补偿"},
    {"claim", "反映宅基地纠纷", "邻居建房占用我家宅基地，村里调解未果，请求依法处理"},
    {"claim", "要求落实低保待遇", "家中老人重病丧失劳动能力，申请低保未获批准，请求复核"},
    {"claim", "反映拆迁安置房迟迟未交付", "拆迁已三年，安置房仍未交付，过渡费也停发了"},
    {"accusation", "举报村干部优亲厚友", "村干部在低保评定中优亲厚友，把不符合条件的亲属纳入低保"},
    {"accusation", "举报非法采砂", "有人夜间在河道非法采砂，破坏河堤，影响防汛安全"},
    {"accusation", "举报企业违规排污", "村旁养殖场污水直排沟渠，气味难闻，影响村民生活"},
    {"suggestion", "建议修建村内道路", "村内主干道坑洼不平，雨天泥泞难行，建议纳入道路硬化计划"},
    {"suggestion", "建议增设路灯", "村口至学校路段没有路灯，学生晚自习回家不安全，建议增设"},
    {"claim", "反映物业服务问题", "小区物业长期不维修电梯，业主多次反映无果"},
    {"claim", "要求解决医保报销问题", "异地住院费用报销被拒，请求说明理由并予以办理"},
};
#define NMATTERS (sizeof(matters) / sizeof(matters[0]))

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄",
                                       "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"};
static const char *const handlers[] = {"县人社局",        "县自然资源局", "县住建局",
                                       "县民政局",        "县交通运输局", "县生态环境局",
                                       "所在乡镇人民政府"};

static int step(struct db *db, struct arena *a, struct petition_ctx *ctx,
                const struct petition_actor *who, int64_t id, const char *action, json_t *body)
{
    json_t *allowed = NULL;
    struct err e = ERR_INIT;
    int rc = petition_apply(db, a, ctx, who, id, action, body, &allowed, &e);
    json_decref(body);
    json_decref(allowed);
    if (rc < 0)
        fprintf(stderr, "demo petitions: %s: %s\n", action, e.message);
    return rc;
}

int demo_petitions(struct db *db, const struct seal *seal, int64_t now)
{
    /* The micro-grids: petitions arise where people live. */
    enum { MAXG = 4096 };
    static char codes[MAXG][24];
    int n = 0;
    sqlite3_stmt *st = db_prepare(db, "SELECT code FROM area WHERE level = 'microgrid' AND "
                                      "retired_ms IS NULL ORDER BY id");
    while (n < MAXG && sqlite3_step(st) == SQLITE_ROW)
        snprintf(codes[n++], sizeof(codes[0]), "%s", db_col_text(st, 0));
    sqlite3_reset(st);
    if (!n)
        return 0;
    static const char *const channels[] = {"visit",  "visit",  "letter", "phone",
                                           "online", "online", "online", "fax"};
    static const char *const outcomes[] = {"support", "support", "explain", "explain", "reject"};
    static const char *const ratings[] = {"satisfied", "satisfied", "satisfied", "basic",
                                          "unsatisfied"};
    struct petition_actor who = {0, "(demo)", "/"};
    int64_t prev[NMATTERS] = {0};
    for (int i = 0; i < 480; i++) {
        struct arena a = ARENA_INIT;
        struct petition_ctx ctx = {.seal = seal, .now = 0, .yellow_percent = 80};
        int64_t age = (int64_t)next(730) * PETITION_DAY_MS + (int64_t)next(86400) * 1000;
        ctx.now = now - age;
        unsigned m = next(NMATTERS);
        char name[32];
        snprintf(name, sizeof(name), "%s某%s", surnames[next(16)], next(2) ? "某" : "");
        struct petition_input in = {0};
        in.channel = channels[next(8)];
        in.category = matters[m].category;
        in.title = matters[m].title;
        in.content = matters[m].content;
        in.area = codes[next((unsigned)n)];
        in.level = next(40) == 0 ? "province" : next(80) == 0 ? "beijing" : "local";
        in.group_size = strcmp(in.channel, "visit") == 0 && next(10) == 0 ? 5 + next(20) : 1;
        in.n_petitioners = 1;
        in.petitioners[0].name = name;
        /* Two in three petitioners are residents of the registry (when the
         * demo has residents): linked by id, their name taken from it. */
        if (next(3)) {
            sqlite3_stmt *pq = db_prepare(
                db, "SELECT p.id FROM person p JOIN area a ON a.id = p.area_id WHERE a.code = ? "
                    "ORDER BY (p.id * ?) % 9973 LIMIT 1");
            db_bind_text(pq, 1, in.area);
            db_bind_int(pq, 2, 1 + next(9972));
            if (sqlite3_step(pq) == SQLITE_ROW) {
                in.petitioners[0].person_id = sqlite3_column_int64(pq, 0);
                in.petitioners[0].name = NULL;
            }
            sqlite3_reset(pq);
        }
        in.repeat_of = prev[m] && next(8) == 0 ? prev[m] : 0;
        int64_t earlier;
        struct err e = ERR_INIT;
        int64_t id = petition_create(db, &a, &ctx, &who, &in, &earlier, &e);
        if (id < 0 && earlier) { /* 第36条: the demo's clerk is told so; next one */
            arena_release(&a);
            continue;
        }
        if (id < 0) {
            fprintf(stderr, "demo petitions: %s\n", e.message);
            arena_release(&a);
            return -1;
        }
        prev[m] = id;
        /* How far it has come: by its age, with a little chance. */
        int64_t t = ctx.now;
        int days_left = (int)(age / PETITION_DAY_MS);
        int rc = 0;
#define AFTER(d)                                                                                   \
    (t += (int64_t)(d)*PETITION_DAY_MS + next(36000) * 1000, ctx.now = t, (days_left -= (d)) >= 0)
        if (AFTER(next(8) == 0 ? 16 : 1 + next(10))) {
            if (next(12) == 0) {
                rc = step(
                    db, &a, &ctx, &who, id, "refuse",
                    json_pack("{s:s}", "reason", "不属于本机关职权范围，已告知向有权机关提出"));
            } else {
                if (next(2))
                    rc = step(db, &a, &ctx, &who, id, "refer",
                              json_pack("{s:s}", "handler", handlers[next(7)]));
                if (!rc && AFTER(1 + next(12)))
                    rc = step(db, &a, &ctx, &who, id, "accept", json_object());
                if (!rc && days_left > 20 && next(15) == 0)
                    rc = step(db, &a, &ctx, &who, id, "supervise",
                              json_pack("{s:s}", "reason", "办理进度缓慢，挂牌督办"));
                /* A few stall after acceptance: the overdue list is not empty. */
                int stalled = next(25) == 0;
                int extended = next(10) == 0;
                if (!rc && extended && AFTER(40))
                    rc = step(db, &a, &ctx, &who, id, "extend",
                              json_pack("{s:i,s:s}", "days", 20 + (int)next(11), "reason",
                                        "涉及多个部门，需要协调"));
                const char *outcome = outcomes[next(5)];
                if (!rc && !stalled &&
                    AFTER(extended ? 10 + next(30) : 10 + next(next(12) == 0 ? 70 : 45))) {
                    rc = step(db, &a, &ctx, &who, id, "reply",
                              json_pack("{s:s,s:s}", "outcome", outcome, "note",
                                        "经调查核实，已形成信访事项处理意见书并书面答复"));
                    if (!rc && days_left > 0 && next(3))
                        rc = petition_public_rate(db, id, ratings[next(5)], ratings[next(5)],
                                                  t + PETITION_DAY_MS, &e);
                    if (!rc && strcmp(outcome, "reject") == 0 && next(2) && AFTER(5 + next(20))) {
                        rc = step(db, &a, &ctx, &who, id, "request_review",
                                  json_pack("{s:s}", "reason", "对处理意见不服"));
                        if (!rc && days_left > 0 && AFTER(10 + next(25)))
                            rc = step(db, &a, &ctx, &who, id, "review",
                                      json_pack("{s:s,s:s}", "outcome", "reject", "note",
                                                "复查维持原处理意见"));
                        int asked = 0;
                        if (!rc && days_left > 0 && next(2) && AFTER(5 + next(20))) {
                            rc = step(db, &a, &ctx, &who, id, "request_recheck",
                                      json_pack("{s:s}", "reason", "对复查意见不服"));
                            asked = 1;
                        }
                        if (!rc && asked && AFTER(10 + next(25)))
                            rc = step(db, &a, &ctx, &who, id, "recheck",
                                      json_pack("{s:s,s:s}", "outcome", "reject", "note",
                                                "复核维持复查意见，本事项终结"));
                    } else if (!rc && AFTER(31)) {
                        rc = step(db, &a, &ctx, &who, id, "close", json_object());
                    }
                }
            }
        }
#undef AFTER
        arena_release(&a);
        if (rc < 0)
            return -1;
    }
    return 0;
}
