/* Unit tests of pure domain rules and of the area tree on a real SQLite file. */
#include <unistd.h>

#include "unit.h"
#include "domain/area.h"
#include "domain/level.h"
#include "domain/password.h"
#include "domain/role.h"
#include "store/db.h"
#include "util/clock.h"

static void test_password_policy(void)
{
    const char *why;
    CHECK(password_check_policy("Pingan@2026", "admin", &why) == 0);
    CHECK(password_check_policy("Ab1!", "u", &why) == -1);
    CHECK(password_check_policy("abcdefghij", "u", &why) == -1);
    CHECK(password_check_policy("abcdefgh12", "u", &why) == -1); /* two classes */
    CHECK(password_check_policy("abcdef12!!", "u", &why) == 0);   /* three classes */
    CHECK(password_check_policy("xAdmin@2026", "admin", &why) == -1);
    CHECK(strstr(why, "用户名") != NULL);
    CHECK(password_check_policy("网格员密码Ab1", "u", &why) == 0); /* 8+ characters */
    char longpw[200];
    memset(longpw, 'A', sizeof(longpw) - 1);
    longpw[sizeof(longpw) - 1] = '\0';
    longpw[0] = 'a';
    longpw[1] = '1';
    CHECK(password_check_policy(longpw, "u", &why) == -1);
    char hash[PASSWORD_HASH_MAX];
    CHECK(password_hash("Pingan@2026", 1, 8192, hash) == 0);
    CHECK(strncmp(hash, "$argon2id$", 10) == 0);
    CHECK(password_verify(hash, "Pingan@2026") == 1);
    CHECK(password_verify(hash, "pingan@2026") == 0);
}

static void test_roles(void)
{
    CHECK(role_find("admin") != NULL);
    CHECK(role_find("emperor") == NULL);
    CHECK(role_allows("admin", P_AUDIT_READ | P_AREA_WRITE));
    CHECK(!role_allows("leader", P_AREA_WRITE));
    CHECK(role_allows("leader", P_ACCOUNT_READ));
    CHECK(!role_allows("grid_worker", P_ACCOUNT_READ));
    CHECK(role_allows("grid_worker", 0));
    CHECK(role_may_grant("admin", "grid_worker"));
    CHECK(role_may_grant("admin", "admin"));
    CHECK(!role_may_grant("leader", "grid_worker")); /* no account rights */
    CHECK(!role_may_grant("dispatcher", "dispatcher"));
    CHECK(role_find("handler")->needs_department);
}

static void test_paths(void)
{
    struct arena a = ARENA_INIT;
    CHECK(area_path_within("/1/", "/1/5/9/"));
    CHECK(area_path_within("/1/5/", "/1/5/"));
    CHECK(!area_path_within("/1/5/", "/1/50/"));
    CHECK(!area_path_within("/1/5/", "/1/"));
    CHECK(!area_path_within(NULL, "/1/"));
    CHECK_STR(area_path_upper(&a, "/1/5/"), "/1/50");
    /* Every path of the subtree sorts inside [path, upper); siblings do not. */
    const char *lo = "/1/5/", *hi = area_path_upper(&a, "/1/5/");
    CHECK(strcmp("/1/5/9/", lo) >= 0 && strcmp("/1/5/9/", hi) < 0);
    CHECK(strcmp("/1/5/99999/7/", hi) < 0);
    CHECK(!(strcmp("/1/50/", lo) >= 0 && strcmp("/1/50/", hi) < 0));
    CHECK(!(strcmp("/1/6/", lo) >= 0 && strcmp("/1/6/", hi) < 0));
    arena_release(&a);
}

static struct db *temp_db(char *path, size_t size)
{
    snprintf(path, size, "/tmp/pingan-unit-%d.db", (int)getpid());
    unlink(path);
    char err[256];
    struct db *db = db_open(path, 0, 1, err, sizeof(err));
    CHECK(db != NULL);
    return db;
}

static void cleanup(const char *path)
{
    char p[300];
    unlink(path);
    snprintf(p, sizeof(p), "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", path);
    unlink(p);
}

static void test_levels(void)
{
    char path[128];
    struct db *db = temp_db(path, sizeof(path));
    struct err e = ERR_INIT;
    CHECK(db_schema_version(db) == db_schema_known());
    CHECK(level_sync(db, "county=县,town=镇,grid=网格", &e) == 0);
    CHECK(level_depth(db, "town") == 1 && level_depth(db, "grid") == 2);
    CHECK(level_depth(db, "village") == -1);
    CHECK(level_sync(db, "county=县,county=镇", &e) == -1 && strcmp(e.code, "invalid_config") == 0);
    e = (struct err)ERR_INIT;
    CHECK(level_sync(db, "county", &e) == -1);
    e = (struct err)ERR_INIT;
    CHECK(level_sync(db, "", &e) == -1);
    e = (struct err)ERR_INIT;
    /* A level in use cannot be dropped. */
    struct arena a = ARENA_INIT;
    struct area_input in = {"411624", "沈丘县", "county", NULL, NULL};
    CHECK(area_create(db, &a, NULL, &in, clock_now_ms(), &e) > 0);
    CHECK(level_sync(db, "town=镇,grid=网格", &e) == -1 && strcmp(e.code, "level_in_use") == 0);
    /* Deeper trees are configuration too. */
    e = (struct err)ERR_INIT;
    CHECK(level_sync(db, "county=县,town=镇,village=村,grid=网格,micro=微网格,building=楼栋", &e) == 0);
    CHECK(level_depth(db, "building") == 5);
    arena_release(&a);
    db_close(db);
    cleanup(path);
}

static void test_tree(void)
{
    char path[128];
    struct db *db = temp_db(path, sizeof(path));
    struct err e = ERR_INIT;
    struct arena a = ARENA_INIT;
    CHECK(level_sync(db, "county=县,township=乡镇,village=村,grid=网格", &e) == 0);
    int64_t now = clock_now_ms();
    struct area c, t1, t2, v1, g1, moved;
    struct area_input in = {"411624", "沈丘县", "county", NULL, NULL};
    CHECK(area_create(db, &a, NULL, &in, now, &e) > 0 && area_get(db, &a, "411624", &c) == 0);
    CHECK_STR(c.path, "/1/");
    in = (struct area_input){"411624001", "东城街道", "township", NULL, NULL};
    CHECK(area_create(db, &a, &c, &in, now, &e) > 0 && area_get(db, &a, "411624001", &t1) == 0);
    in = (struct area_input){"411624002", "北城街道", "township", NULL, NULL};
    CHECK(area_create(db, &a, &c, &in, now, &e) > 0 && area_get(db, &a, "411624002", &t2) == 0);
    in = (struct area_input){"411624001200", "于庄村", "village", NULL, NULL};
    CHECK(area_create(db, &a, &t1, &in, now, &e) > 0 && area_get(db, &a, "411624001200", &v1) == 0);
    in = (struct area_input){"411624001200001", "网格一", "grid", NULL, NULL};
    CHECK(area_create(db, &a, &v1, &in, now, &e) > 0 &&
          area_get(db, &a, "411624001200001", &g1) == 0);
    CHECK(g1.depth == 3);
    CHECK(area_path_within(t1.path, g1.path) && !area_path_within(t2.path, g1.path));
    /* Rules: code under the parent, level below it, unique code. */
    in = (struct area_input){"411624002200", "x", "village", NULL, NULL};
    CHECK(area_create(db, &a, &t1, &in, now, &e) < 0 && strcmp(e.code, "code_not_under_parent") == 0);
    e = (struct err)ERR_INIT;
    in = (struct area_input){"411624001999", "x", "township", NULL, NULL};
    CHECK(area_create(db, &a, &t1, &in, now, &e) < 0 && strcmp(e.code, "level_not_below_parent") == 0);
    e = (struct err)ERR_INIT;
    /* Move the village with its grid to the other township. */
    struct area_input up = {0};
    CHECK(area_update(db, &a, &v1, &up, &t2, now, &e) == 0);
    CHECK(area_get(db, &a, "411624001200001", &moved) == 0);
    CHECK(area_path_within(t2.path, moved.path) && !area_path_within(t1.path, moved.path));
    CHECK(moved.depth == 3);
    char expect[64];
    snprintf(expect, sizeof(expect), "%s%lld/%lld/", t2.path, (long long)v1.id, (long long)g1.id);
    CHECK_STR(moved.path, expect);
    /* Not into its own subtree. */
    CHECK(area_get(db, &a, "411624001200", &v1) == 0);
    CHECK(area_update(db, &a, &c, &up, &g1, now, &e) == -1); /* root cannot move */
    e = (struct err)ERR_INIT;
    CHECK(area_update(db, &a, &v1, &up, &moved, now, &e) == -1);
    CHECK(strcmp(e.code, "move_into_own_subtree") == 0);
    e = (struct err)ERR_INIT;
    /* Retire bottom-up only. */
    CHECK(area_retire(db, &v1, now, &e) == -1 && strcmp(e.code, "area_has_active_children") == 0);
    e = (struct err)ERR_INIT;
    CHECK(area_retire(db, &moved, now, &e) == 0);
    CHECK(area_get(db, &a, "411624001200", &v1) == 0 && area_retire(db, &v1, now, &e) == 0);
    json_t *counts = area_count_by_level(db, &a, c.path);
    CHECK(json_integer_value(json_object_get(counts, "township")) == 2);
    CHECK(json_object_get(counts, "grid") == NULL); /* retired areas are not counted */
    json_decref(counts);
    json_t *found = area_search(db, &a, t2.path, "网格", 10);
    CHECK(json_array_size(found) == 1);
    json_decref(found);
    found = area_search(db, &a, t1.path, "网格", 10);
    CHECK(json_array_size(found) == 0);
    json_decref(found);
    arena_release(&a);
    db_close(db);
    cleanup(path);
}

UNIT_MAIN(test_password_policy, test_roles, test_paths, test_levels, test_tree)
