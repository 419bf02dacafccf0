/*
 * The demo county's risk assessments ("2466"), in the shape 淇滨 reported:
 * 16 projects — 12 assessed, 1 exempt, 1 postponed, 1 not implemented, 1
 * in progress — registered over the last year in the townships, each taken
 * through its steps by the same domain functions the API uses, with
 * documents at every step and the six kinds rated. Deterministic.
 */
#include <stdio.h>
#include <string.h>

#include "cli/demo.h"
#include "domain/risk.h"
#include "store/db.h"

#define DAY (24 * 3600 * 1000LL)

struct plan {
    const char *title, *kind, *owner;
    const char *colors;  /* six letters: r, o, y, - (none) */
    int steps;           /* steps completed */
    const char *outcome; /* the conclusion, or exempt/postpone, or NULL */
};

static const struct plan plans[] = {
    {"城区老旧小区改造项目", "project", "县住房和城乡建设局", "y-y-y-", 6, "implement"},
    {"沙颍河航道升级改造工程", "project", "县交通运输局", "yy---y", 6, "implement"},
    {"县城集中供暖项目", "project", "县发展和改革委员会", "-yoy-y", 6, "implement_with_measures"},
    {"农村饮水安全巩固提升工程", "project", "县水利局", "--y---", 6, "implement"},
    {"县人民医院新院区建设", "project", "县卫生健康委员会", "yy-y--", 6, "implement"},
    {"高铁站片区土地征收及安置", "project", "县自然资源局", "-yoyoy", 6, "implement_with_measures"},
    {"农贸市场整体搬迁", "decision", "县市场监督管理局", "-yy-yo", 6, "implement_with_measures"},
    {"城区出租车经营权改革", "decision", "县交通运输局", "--yoyy", 6, "implement_with_measures"},
    {"乡镇卫生院整合", "decision", "县卫生健康委员会", "---y-y", 6, "implement"},
    {"产业集聚区标准化厂房建设", "project", "县产业集聚区管委会", "yy-y--", 5, "implement"},
    {"城乡公交一体化", "decision", "县交通运输局", "--y---", 4, "implement"},
    {"殡葬改革推行火化", "decision", "县民政局", "--oyoo", 4, "implement_with_measures"},
    {"生活垃圾焚烧发电厂选址", "project", "县城市管理局", "rroyrr", 4, "not_implement"},
    {"县城供水价格调整", "decision", "县发展和改革委员会", NULL, 1, "exempt"},
    {"中小学布局调整（撤并村小）", "decision", "县教育体育局", NULL, 2, "postpone"},
    {"北城区棚户区改造", "project", "县住房和城乡建设局", NULL, 2, NULL},
};

static const char *const docs[6][2] = {
    {"评估方案", "成立评估小组，明确责任领导、评估内容和时间安排。"},
    {"意见汇总", "召开座谈会3场，入户走访86户，发放问卷240份，收回231份，公示7天。"},
    {"风险预测预判报告",
     "对影响环境、安全生产、民生问题、资金链断裂、舆论炒作、诱发社会风险六类风险点逐项分析。"},
    {"评估结论", "评估小组集体研究，形成评估结论。"},
    {"评估报告报备回执", "评估报告已报县委政法委备案。"},
    {"跟踪督查督办记录", "项目实施中跟踪回访，未发现新的不稳定因素。"},
};

static int add_step(struct db *db, struct arena *a, int64_t id, int step, const char *outcome,
                    const struct risk_actor *who, int64_t at, struct err *e)
{
    json_t *b = json_pack("{s:[{s:s,s:s}],s:b}", "documents", "title", docs[step - 1][0], "body",
                          docs[step - 1][1], "complete", 1);
    if (step == 4)
        json_object_set_new(b, "outcome", json_string(outcome));
    int rc = risk_step_add(db, a, id, step, b, who, at, e);
    json_decref(b);
    return rc;
}

int demo_risk(struct db *db, int64_t now)
{
    static const char *const kind_keys[] = {"environment", "safety",  "livelihood",
                                            "capital",     "opinion", "induced"};
    char towns[22][16];
    int ntowns = 0;
    sqlite3_stmt *st = db_prepare(db, "SELECT code FROM area WHERE level = 'township' AND "
                                      "retired_ms IS NULL ORDER BY code LIMIT 22");
    while (ntowns < 22 && sqlite3_step(st) == SQLITE_ROW)
        snprintf(towns[ntowns++], sizeof(towns[0]), "%s", db_col_text(st, 0));
    sqlite3_reset(st);
    if (!ntowns)
        return 0;
    struct risk_actor who = {0, "县综治中心", "/"};
    struct err e = ERR_INIT;
    size_t n = sizeof(plans) / sizeof(plans[0]);
    for (size_t i = 0; i < n; i++) {
        const struct plan *p = &plans[i];
        struct arena a = ARENA_INIT;
        int64_t t = now - (int64_t)(n - i) * 20 * DAY; /* one every 20 days */
        char title[160];
        snprintf(title, sizeof(title), "%s", p->title);
        struct risk_input in = {title, p->kind, p->owner, NULL, towns[(i * 7) % (size_t)ntowns]};
        int64_t id = risk_create(db, &a, &in, &who, t, &e);
        int rc = id < 0 ? -1 : 0;
        for (int s = 1; rc == 0 && s <= p->steps; s++) {
            if (s == 3 && p->colors) {
                json_t *r = json_object();
                for (int k = 0; k < 6; k++) {
                    char c = p->colors[k];
                    json_object_set_new(r, kind_keys[k],
                                        json_string(c == 'r'   ? "red"
                                                    : c == 'o' ? "orange"
                                                    : c == 'y' ? "yellow"
                                                               : "none"));
                }
                json_t *b = json_pack("{s:o}", "ratings", r);
                rc = risk_rate(db, &a, id, b, &who, t + s * DAY, &e);
                json_decref(b);
            }
            if (rc == 0)
                rc = add_step(db, &a, id, s, p->outcome, &who, t + s * 2 * DAY, &e);
        }
        if (rc == 0 && p->outcome &&
            (strcmp(p->outcome, "exempt") == 0 || strcmp(p->outcome, "postpone") == 0)) {
            json_t *b = json_pack("{s:s,s:s}", "outcome", p->outcome, "reason",
                                  strcmp(p->outcome, "exempt") == 0
                                      ? "经研究，属于依法执行上级定价的事项，免于评估"
                                      : "群众意见分歧较大，条件尚不成熟，暂缓评估");
            rc = risk_decide(db, &a, id, b, t + 10 * DAY, &e);
            json_decref(b);
        }
        arena_release(&a);
        if (rc < 0) {
            fprintf(stderr, "\npingan demo: risk assessment %s: %s\n", p->title, e.message);
            return -1;
        }
    }
    return 0;
}
