/*
 * The demo county's dispute ledger: a year of screened disputes over the
 * micro-grids at the scale the articles report (召陵 2,315 screened a year,
 * 郾城 867; 沈丘 is larger), about 99 % resolved, most at the grid, fewer at
 * each tier above; the rest failed, under control or still open, a few of
 * them flagged at risk. Every dispute has two parties, a mediation session
 * when it was mediated and its timeline. Deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo.h"
#include "store/db.h"
#include "util/xalloc.h"
#include "util/rng.h"

#define DAY_MS 86400000LL

static struct rng rng = {0x5EED0011ull};
static int below(int n)
{
    return (int)(rng_next(&rng) % (uint64_t)n);
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                       "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
static const char *const given[] = {"建国", "秀英", "桂兰", "志强", "海燕", "玉梅", "国华", "红霞",
                                    "卫东", "凤英", "明亮", "春花", "永刚", "丽娟", "学文", "淑珍"};

/* type, title, weight: the mix of a rural county's ledger. */
static const struct {
    const char *type, *title;
    int weight;
} kinds[] = {
    {"neighbour", "邻里排水纠纷", 20},     {"marriage", "家庭赡养纠纷", 16},
    {"homestead", "宅基地界址纠纷", 14},   {"land", "承包地边界纠纷", 12},
    {"damages", "人身损害赔偿纠纷", 8},     {"contract", "借款合同纠纷", 7},
    {"traffic", "交通事故赔偿纠纷", 6},     {"wages", "拖欠务工工资纠纷", 5},
    {"labour", "工伤待遇纠纷", 3},          {"property", "小区物业费纠纷", 3},
    {"demolition", "征迁补偿纠纷", 2},      {"pollution", "养殖异味纠纷", 2},
    {"village_affairs", "村务公开纠纷", 1}, {"other", "其他民间纠纷", 1},
};

struct place {
    int64_t micro, grid, village, township, county;
    char path[128];
};

int demo_disputes(struct db *db, long target, int64_t now)
{
    struct place *p = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st = db_prepare(db, "SELECT id, path FROM area WHERE level = 'microgrid' "
                                      "AND retired_ms IS NULL ORDER BY code");
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap)
            p = xrealloc(p, sizeof(*p) * (cap = cap ? cap * 2 : 1024));
        const char *path = db_col_text(st, 1);
        long long ids[5];
        if (sscanf(path, "/%lld/%lld/%lld/%lld/%lld/", &ids[0], &ids[1], &ids[2], &ids[3],
                   &ids[4]) != 5)
            continue;
        p[n].county = ids[0];
        p[n].township = ids[1];
        p[n].village = ids[2];
        p[n].grid = ids[3];
        p[n].micro = ids[4];
        snprintf(p[n].path, sizeof(p[n].path), "%s", path);
        n++;
    }
    sqlite3_reset(st);
    if (n == 0) {
        free(p);
        return 0;
    }
    int total_weight = 0;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
        total_weight += kinds[k].weight;
    static const char *const tiers[] = {"grid", "village", "township", "county"};
    static const int limits[] = {3, 7, 15, 30};
    static const char *const sources[] = {"initiative", "initiative", "application", "application",
                                          "police", "petition", "court"};
    sqlite3_stmt *ins = db_prepare(
        db, "INSERT INTO dispute (origin, source, type, title, summary, scale, people_count, "
            "area_id, area_path, tier, tier_area_id, tier_started_ms, tier_deadline_ms, status, "
            "mediator, risk_criminal, risk_mass, agreement_form, amount_cents, terms, agreement_ms, "
            "failure_routes, control_person, control_measures, closed_ms, followup_due_ms, "
            "followup_done_ms, followup_note, followup_satisfied, created_ms, updated_ms) "
            "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,"
            "?22,?23,?24,?25,?26,?27,?28,?29,?30,?30)");
    sqlite3_stmt *party = db_prepare(
        db, "INSERT INTO dispute_party (dispute_id, side, name) VALUES (?, ?, ?)");
    sqlite3_stmt *sess = db_prepare(
        db, "INSERT INTO dispute_session (dispute_id, held_ms, place, mediators, attendees, notes, "
            "created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *tl = db_prepare(
        db, "INSERT INTO dispute_timeline (dispute_id, at_ms, actor, action, from_status, "
            "to_status, tier) VALUES (?, ?, ?, ?, ?, ?, ?)");
    int rc = 0;
    for (long i = 0; i < target && rc == 0; i++) {
        const struct place *pl = &p[(size_t)below((int)n)];
        int w = below(total_weight), k = 0;
        while (w >= kinds[k].weight)
            w -= kinds[k++].weight;
        /* Most disputes are old and settled; the last weeks hold the open ones. */
        int64_t created = now - (int64_t)below(365) * DAY_MS - below(86400) * 1000LL;
        int r = below(1000), ti;
        int tr = below(100);
        ti = tr < 72 ? 0 : tr < 92 ? 1 : tr < 98 ? 2 : 3;
        const char *status = "resolved";
        if (now - created < 30 * DAY_MS)
            status = r < 300 ? "open" : r < 330 ? "controlled" : "resolved";
        else if (r < 6)
            status = "failed";
        else if (r < 9)
            status = "controlled";
        int64_t tier_area[] = {pl->grid, pl->village, pl->township, pl->county};
        int64_t started = created + (ti ? (int64_t)limits[ti - 1] * DAY_MS : 0);
        if (started > now)
            started = now - DAY_MS;
        int closed = !strcmp(status, "resolved") || !strcmp(status, "failed");
        int64_t closed_ms = started + (int64_t)below(limits[ti]) * DAY_MS + DAY_MS / 2;
        if (closed_ms > now)
            closed_ms = now - 3600000;
        char a[16], b[16], med[16];
        snprintf(a, sizeof(a), "%s%s", surnames[below(20)], given[below(16)]);
        snprintf(b, sizeof(b), "%s%s", surnames[below(20)], given[below(16)]);
        snprintf(med, sizeof(med), "%s%s", surnames[below(20)], given[below(16)]);
        char summary[256];
        snprintf(summary, sizeof(summary), "%s与%s因%s发生争执，网格员走访排查发现后登记。", a, b,
                 kinds[k].title);
        int crim = !closed && below(12) == 0, mass = !closed && below(30) == 0;
        sqlite3_reset(ins);
        sqlite3_clear_bindings(ins);
        db_bind_text(ins, 1, "screening");
        db_bind_text(ins, 2, sources[below(7)]);
        db_bind_text(ins, 3, kinds[k].type);
        db_bind_text(ins, 4, kinds[k].title);
        db_bind_text(ins, 5, summary);
        db_bind_text(ins, 6, mass ? "mass" : below(10) == 0 ? "major" : "ordinary");
        db_bind_int(ins, 7, mass ? 30 + below(50) : 2 + below(4));
        db_bind_int(ins, 8, pl->micro);
        db_bind_text(ins, 9, pl->path);
        db_bind_text(ins, 10, tiers[ti]);
        db_bind_int(ins, 11, tier_area[ti]);
        db_bind_int(ins, 12, started);
        if (!strcmp(status, "open"))
            db_bind_int(ins, 13, started + limits[ti] * DAY_MS);
        db_bind_text(ins, 14, status);
        db_bind_text(ins, 15, med);
        db_bind_int(ins, 16, crim);
        db_bind_int(ins, 17, mass);
        if (!strcmp(status, "resolved")) {
            int written = below(3) == 0;
            db_bind_text(ins, 18, written ? "written" : "oral");
            if (written)
                db_bind_int(ins, 19, (200 + below(200)) * 100LL * (1 + below(20)));
            db_bind_text(ins, 20, written ? "双方自愿达成协议，一方按约定金额赔偿，另一方不再追究。"
                                          : "双方当面和解，互谅互让。");
            db_bind_int(ins, 21, closed_ms);
        }
        if (!strcmp(status, "failed"))
            db_bind_text(ins, 22, "litigation");
        if (!strcmp(status, "controlled")) {
            db_bind_text(ins, 23, med);
            db_bind_text(ins, 24, "专人包案，每周走访一次，掌握双方动态。");
        }
        if (closed) {
            db_bind_int(ins, 25, closed_ms);
            db_bind_int(ins, 26, closed_ms + 15 * DAY_MS);
            if (closed_ms + 15 * DAY_MS < now - 2 * DAY_MS || below(4)) {
                db_bind_int(ins, 27, closed_ms + (5 + below(10)) * DAY_MS > now
                                         ? now - DAY_MS
                                         : closed_ms + (5 + below(10)) * DAY_MS);
                db_bind_text(ins, 28, "电话回访，双方履行协议，无反复。");
                db_bind_int(ins, 29, 1);
            }
        }
        db_bind_int(ins, 30, created);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            fprintf(stderr, "demo disputes: %s\n", db_errmsg(db));
            rc = -1;
            break;
        }
        int64_t id = sqlite3_last_insert_rowid(db_handle(db));
        const char *names[] = {a, b};
        for (int s = 0; s < 2; s++) {
            sqlite3_reset(party);
            db_bind_int(party, 1, id);
            db_bind_text(party, 2, s ? "respondent" : "applicant");
            db_bind_text(party, 3, names[s]);
            if (sqlite3_step(party) != SQLITE_DONE)
                rc = -1;
        }
        if (strcmp(status, "open") || below(2)) {
            sqlite3_reset(sess);
            db_bind_int(sess, 1, id);
            db_bind_int(sess, 2, closed ? closed_ms : started + DAY_MS / 3);
            db_bind_text(sess, 3, "村调委会调解室");
            db_bind_text(sess, 4, med);
            char att[40];
            snprintf(att, sizeof(att), "%s、%s", a, b);
            db_bind_text(sess, 5, att);
            db_bind_text(sess, 6, "听取双方陈述，释法说理，引导双方互谅互让。");
            db_bind_int(sess, 7, closed ? closed_ms : started + DAY_MS / 3);
            if (sqlite3_step(sess) != SQLITE_DONE)
                rc = -1;
        }
        /* The timeline: registered, each step up, the outcome. */
        struct step {
            int64_t at;
            const char *action, *from, *to, *tier;
        } steps[6];
        int ns = 0;
        steps[ns++] = (struct step){created, "create", NULL, "open", tiers[0]};
        for (int t = 1; t <= ti; t++)
            steps[ns++] = (struct step){created + (int64_t)limits[t - 1] * DAY_MS,
                                             "auto_escalate", "open", "open", tiers[t]};
        if (closed || !strcmp(status, "controlled"))
            steps[ns++] = (struct step){closed_ms,
                                             !strcmp(status, "resolved") ? "agree"
                                             : !strcmp(status, "failed") ? "fail" : "control",
                                             "open", status, tiers[ti]};
        for (int s = 0; s < ns; s++) {
            sqlite3_reset(tl);
            db_bind_int(tl, 1, id);
            db_bind_int(tl, 2, steps[s].at > now ? now : steps[s].at);
            /* The sweep moves a dispute up; a mediator does the rest. */
            db_bind_text(tl, 3, strcmp(steps[s].action, "auto_escalate") ? med : "system");
            db_bind_text(tl, 4, steps[s].action);
            db_bind_text(tl, 5, steps[s].from);
            db_bind_text(tl, 6, steps[s].to);
            db_bind_text(tl, 7, steps[s].tier);
            if (sqlite3_step(tl) != SQLITE_DONE)
                rc = -1;
        }
    }
    sqlite3_reset(ins);
    sqlite3_reset(party);
    sqlite3_reset(sess);
    sqlite3_reset(tl);
    free(p);
    if (rc < 0)
        fprintf(stderr, "demo disputes: %s\n", db_errmsg(db));
    return rc;
}
