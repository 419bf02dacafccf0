/*
 * The part of `pingan demo` that both scales share: a division table read
 * from an embedded TSV, the areas it names with grids and micro-grids spread
 * under its villages, their staff and grid-worker accounts, and boundaries
 * split from a real outline by geo/partition.c. Seeded, so every run builds
 * the same tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo.h"
#include "domain/account.h"
#include "domain/area.h"
#include "domain/boundary.h"
#include "geo/partition.h"
#include "store/db.h"
#include "util/embedded.h"
#include "util/rng.h"

/* The tree's random stream (util/rng.c), seeded per build. */
static struct rng tree_rng;
void demo_rng_seed(uint64_t seed)
{
    tree_rng.state = seed;
}
static unsigned tree_below(unsigned n)
{
    return (unsigned)rng_below(&tree_rng, n);
}

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
    "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
    "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾",
    "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜",
    "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康"};
static const char *const given[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "志", "红", "玉", "兰",
    "文", "辉", "鹏", "飞", "宇", "浩", "凯", "俊", "梅", "琳", "晨", "欣", "海", "波", "峰",
    "春", "雪", "新", "云", "林", "东", "亮", "倩", "婷", "慧", "永", "庆", "德", "福", "振"};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

void demo_random_name(char *out, size_t size)
{
    const char *s = surnames[tree_below(NELEM(surnames))];
    if (tree_below(3) == 0)
        snprintf(out, size, "%s%s", s, given[tree_below(NELEM(given))]);
    else
        snprintf(out, size, "%s%s%s", s, given[tree_below(NELEM(given))],
                 given[tree_below(NELEM(given))]);
}

/* "于庄村民委员会" -> "于庄村", "丰产河社区居民委员会" -> "丰产河社区". */
static void short_name(const char *full, char *out, size_t size)
{
    static const struct {
        const char *suffix, *repl;
    } rules[] = {{"社区居民委员会", "社区"}, {"村民委员会", "村"}, {"居民委员会", "居委会"}};
    size_t n = strlen(full);
    for (size_t i = 0; i < NELEM(rules); i++) {
        size_t k = strlen(rules[i].suffix);
        if (n > k && strcmp(full + n - k, rules[i].suffix) == 0) {
            snprintf(out, size, "%.*s%s", (int)(n - k), full, rules[i].repl);
            return;
        }
    }
    snprintf(out, size, "%s", full);
}

int demo_load_divisions(const char *embedded_name, struct division **out)
{
    const struct embedded_file *f = embedded_find(embedded_name);
    if (!f)
        return -1;
    int cap = 1024, n = 0;
    struct division *d = malloc(sizeof(*d) * (size_t)cap);
    const char *line = f->data;
    int first = 1;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (!first && len > 0) {
            if (n == cap)
                d = realloc(d, sizeof(*d) * (size_t)(cap *= 2));
            char tmp[256];
            snprintf(tmp, sizeof(tmp), "%.*s", (int)len, line);
            char *fields[4] = {0};
            char *p = tmp;
            for (int i = 0; i < 4 && p; i++) {
                fields[i] = p;
                p = strchr(p, '\t');
                if (p)
                    *p++ = '\0';
            }
            if (!fields[3]) {
                free(d);
                return -1;
            }
            snprintf(d[n].code, sizeof(d[n].code), "%s", fields[0]);
            snprintf(d[n].parent, sizeof(d[n].parent), "%s", fields[1]);
            snprintf(d[n].level, sizeof(d[n].level), "%s", fields[2]);
            snprintf(d[n].name, sizeof(d[n].name), "%s", fields[3]);
            n++;
        }
        first = 0;
        line += len + (nl ? 1 : 0);
    }
    *out = d;
    return n;
}

int *demo_spread(int n, int total, int min)
{
    int *c = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++)
        c[i] = min;
    for (int left = total - n * min; left > 0; left--)
        c[tree_below((unsigned)n)]++;
    return c;
}

static int add_area(struct db *db, struct arena *a, const char *code, const char *name,
                    const char *level, const char *parent_code, int64_t now, int64_t *id)
{
    struct area parent, *pp = NULL;
    struct err e = ERR_INIT;
    if (parent_code) {
        if (area_get(db, a, parent_code, &parent) < 0) {
            fprintf(stderr, "\npingan demo: parent %s of %s missing\n", parent_code, code);
            return -1;
        }
        pp = &parent;
    }
    struct area_input in = {code, name, level, "2023-06-30", parent_code};
    *id = area_create(db, a, pp, &in, now, &e);
    if (*id < 0) {
        fprintf(stderr, "\npingan demo: area %s: %s\n", code, e.message);
        return -1;
    }
    return 0;
}

static int add_staff(struct db *db, int64_t area_id, const char *duty, const char *name,
                     int64_t account_id)
{
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO area_staff (area_id, duty, name, account_id) VALUES (?, ?, ?, ?)");
    db_bind_int(st, 1, area_id);
    db_bind_text(st, 2, duty);
    db_bind_text(st, 3, name);
    if (account_id)
        db_bind_int(st, 4, account_id);
    return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

int64_t demo_add_account(struct db *db, const char *username, const char *name, const char *role,
                         int64_t area_id, const char *dept, const char *hash, int64_t now)
{
    struct account_input in = {username, name, role, NULL, dept, NULL};
    struct err e = ERR_INIT;
    int64_t id = account_create(db, &in, area_id, NULL, 0, NULL, hash, now, &e);
    if (id < 0)
        fprintf(stderr, "\npingan demo: account %s: %s\n", username, e.message);
    return id;
}

int demo_build_tree(struct db *db, const struct division *d, int n, int grids, int micro,
                    const char *hash, int64_t now, demo_progress_fn progress,
                    struct demo_tree *out)
{
    struct arena a = ARENA_INIT;
    int villages = 0;
    for (int i = 0; i < n; i++)
        villages += strcmp(d[i].level, "village") == 0;
    int *grids_per_village = demo_spread(villages, grids, 1);
    int *micro_per_grid = demo_spread(grids, micro, 3);
    long total_areas = n + grids + micro, done = 0;
    int rc = -1, v = 0, g = 0;
    int64_t id;
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < n; i++) {
        const char *level = d[i].level;
        int is_root = i == 0; /* the table's first row: the county or the city */
        if (add_area(db, &a, d[i].code, d[i].name, level, is_root ? NULL : d[i].parent, now,
                     &id) < 0)
            goto out;
        progress("区域 areas", ++done, total_areas);
        if (is_root) {
            snprintf(out->root_code, sizeof(out->root_code), "%s", d[i].code);
            out->root_id = id;
            continue;
        }
        char leader[32];
        demo_random_name(leader, sizeof(leader));
        if (add_staff(db, id, "leader", leader, 0) < 0)
            goto out;
        if (strcmp(level, "village") != 0)
            continue;
        char vshort[96];
        short_name(d[i].name, vshort, sizeof(vshort));
        for (int k = 1; k <= grids_per_village[v]; k++, g++) {
            char code[32], name[160], username[40], worker[32];
            snprintf(code, sizeof(code), "%s%03d", d[i].code, k);
            snprintf(name, sizeof(name), "%s第%d网格", vshort, k);
            int64_t grid_id;
            if (add_area(db, &a, code, name, "grid", d[i].code, now, &grid_id) < 0)
                goto out;
            progress("区域 areas", ++done, total_areas);
            snprintf(username, sizeof(username), "g%s", code);
            demo_random_name(worker, sizeof(worker));
            int64_t acc =
                demo_add_account(db, username, worker, "grid_worker", grid_id, NULL, hash, now);
            if (acc < 0 || add_staff(db, grid_id, "worker", worker, acc) < 0)
                goto out;
            for (int m = 1; m <= micro_per_grid[g]; m++) {
                char mcode[48], mname[64], mworker[32];
                snprintf(mcode, sizeof(mcode), "%s%02d", code, m);
                snprintf(mname, sizeof(mname), "第%d微网格", m);
                if (add_area(db, &a, mcode, mname, "microgrid", code, now, &id) < 0)
                    goto out;
                progress("区域 areas", ++done, total_areas);
                demo_random_name(mworker, sizeof(mworker));
                if (add_staff(db, id, "worker", mworker, 0) < 0)
                    goto out;
            }
            arena_release(&a);
        }
        v++;
    }
    out->villages = villages;
    out->grids = grids;
    out->micro = micro;
    out->areas = done;
    rc = out->root_id ? 0 : -1;
out:
    arena_release(&a);
    free(grids_per_village);
    free(micro_per_grid);
    return rc;
}

int demo_shape(struct db *db, int64_t area_id, const GEOSGeometry *geom, long *done, long total,
               demo_progress_fn progress)
{
    GEOSContextHandle_t ctx = boundary_geos();
    int64_t *kids = NULL;
    int n = 0, cap = 0, rc = -1;
    sqlite3_stmt *st = db_prepare(db, "SELECT id FROM area WHERE parent_id = ? ORDER BY code");
    db_bind_int(st, 1, area_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap)
            kids = realloc(kids, sizeof(*kids) * (size_t)(cap = cap ? cap * 2 : 16));
        kids[n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (n == 0) {
        free(kids);
        return 0;
    }
    GEOSGeometry **cells = calloc((size_t)n, sizeof(*cells));
    /* A generator per parent: the same parent always gets the same cells. */
    uint64_t rng = 0x5EED411624ull * 1000003u + (uint64_t)area_id;
    int k = partition_split(ctx, geom, n, &rng, cells);
    if (k != n) {
        fprintf(stderr, "\npingan demo: could not split area %lld into %d cells (%d)\n",
                (long long)area_id, n, k);
        goto out;
    }
    for (int i = 0; i < n; i++) {
        struct err e = ERR_INIT;
        if (boundary_set(db, kids[i], cells[i], &e) < 0) {
            fprintf(stderr, "\npingan demo: boundary: %s\n", e.message);
            goto out;
        }
        progress("边界 boundaries", ++*done, total);
        if (demo_shape(db, kids[i], cells[i], done, total, progress) < 0)
            goto out;
    }
    rc = 0;
out:
    for (int i = 0; i < (k > 0 ? k : 0); i++)
        GEOSGeom_destroy_r(ctx, cells[i]);
    free(cells);
    free(kids);
    return rc;
}
