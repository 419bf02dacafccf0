#include "gridimport.h"

#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/boundary.h"
#include "store/db.h"
#include "util/strmap.h"
#include "util/xalloc.h"

/* The nodes handed to the tiling check, keyed by code. */
struct nodeset {
    struct tiling_node *v;
    size_t n, cap;
    struct strmap index;   /* code -> position in v */
    struct strmap visited; /* parents whose family is already added */
    struct strmap file;    /* code -> feature index in the import */
    struct strmap children_head; /* parent code -> first feature with that parent */
    size_t *next_sibling;        /* feature index -> next feature with the same parent */
    GEOSGeometry **owned; /* geometries loaded from the database */
    size_t nowned, capowned;
};

static struct tiling_node *node_find(struct nodeset *s, const char *code)
{
    size_t i;
    return strmap_get(&s->index, code, &i) ? &s->v[i] : NULL;
}

static struct tiling_node *node_add(struct nodeset *s, const char *code)
{
    struct tiling_node *n = node_find(s, code);
    if (n)
        return n;
    if (s->n == s->cap)
        s->v = xrealloc(s->v, sizeof(*s->v) * (s->cap = s->cap ? s->cap * 2 : 64));
    n = &s->v[s->n];
    memset(n, 0, sizeof(*n));
    n->code = code;
    strmap_put(&s->index, code, s->n++);
    return n;
}

static void own(struct nodeset *s, GEOSGeometry *g)
{
    if (!g)
        return;
    if (s->nowned == s->capowned)
        s->owned = xrealloc(s->owned, sizeof(*s->owned) * (s->capowned = s->capowned ? s->capowned * 2 : 64));
    s->owned[s->nowned++] = g;
}

static void nodeset_release(struct nodeset *s)
{
    GEOSContextHandle_t ctx = boundary_geos();
    for (size_t i = 0; i < s->nowned; i++)
        GEOSGeom_destroy_r(ctx, s->owned[i]);
    free(s->owned);
    free(s->v);
    strmap_release(&s->index);
    strmap_release(&s->visited);
    strmap_release(&s->file);
    strmap_release(&s->children_head);
    free(s->next_sibling);
    memset(s, 0, sizeof(*s));
}

static const struct geojson_feature *in_file(const struct geojson_features *fs,
                                             const struct strmap *file, const char *code)
{
    size_t i;
    return strmap_get(file, code, &i) ? &fs->items[i] : NULL;
}

/* Adds parent P (from the file or the database) and all its children as
 * they would be after the import. */
static void add_family(struct db *db, struct arena *a, const struct geojson_features *fs,
                       struct nodeset *s, const char *pcode)
{
    if (strmap_get(&s->visited, pcode, NULL))
        return;
    strmap_put(&s->visited, pcode, 1);
    struct tiling_node *p = node_add(s, pcode);
    const struct geojson_feature *pf = in_file(fs, &s->file, pcode);
    struct area par;
    int exists = area_get(db, a, pcode, &par) == 0;
    if (!p->geom) {
        if (pf)
            p->geom = pf->geom;
        else if (exists) {
            GEOSGeometry *g = boundary_get(db, par.id);
            own(s, g);
            p->geom = g;
        }
    }
    if (exists) {
        sqlite3_stmt *st = db_prepare(db, "SELECT id, code FROM area WHERE parent_id = ? "
                                          "AND retired_ms IS NULL ORDER BY code");
        db_bind_int(st, 1, par.id);
        while (sqlite3_step(st) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(st, 0);
            const char *code = arena_strdup(a, db_col_text(st, 1));
            struct tiling_node *c = node_add(s, code);
            c->parent_code = arena_strdup(a, pcode);
            const struct geojson_feature *cf = in_file(fs, &s->file, code);
            if (cf) {
                c->geom = cf->geom;
            } else if (!c->geom) {
                /* boundary_get uses its own statement; this one stays open */
                GEOSGeometry *g = boundary_get(db, id);
                own(s, g);
                c->geom = g;
            }
        }
        sqlite3_reset(st);
    }
    size_t first;
    /* New children from the file (children_of lists them per parent). */
    if (strmap_get(&s->children_head, pcode, &first)) {
        for (size_t i = first; i != (size_t)-1; i = s->next_sibling[i]) {
            const struct geojson_feature *f = &fs->items[i];
            struct tiling_node *c = node_add(s, f->code);
            c->parent_code = f->parent;
            c->geom = f->geom;
        }
    }
}

static const char *field_of(struct arena *a, size_t i, const char *rest)
{
    return arena_printf(a, "features[%zu].%s", i, rest);
}

/* Validates every feature against the database and the scope. */
static int validate(struct db *db, struct arena *a, const struct geojson_features *fs,
                    const struct strmap *file, const char *scope, int allow_roots, struct err *e)
{
    for (size_t i = 0; i < fs->n; i++) {
        const struct geojson_feature *f = &fs->items[i];
        struct area cur, par;
        if (!f->geom)
            return err_set(e, ERR_INVALID, "missing_field", field_of(a, i, "geometry"),
                           "区域 %s 缺少边界", f->code);
        if (area_get(db, a, f->code, &cur) == 0) {
            if (scope && !area_path_within(scope, cur.path))
                return err_set(e, ERR_NOT_FOUND, "area_not_found",
                               field_of(a, i, "properties.code"),
                               "区域 %s 不存在或不在您的管辖范围内", f->code);
            /* One's own outline is shared with neighbours outside one's
             * scope: it is set from the level above. */
            if (scope && strcmp(scope, cur.path) == 0)
                return err_set(e, ERR_FORBIDDEN, "own_scope_root", field_of(a, i, "properties.code"),
                               "区域 %s 是您管辖范围的最上级，其边界须由上级修改", f->code);
            if (cur.retired_ms)
                return err_set(e, ERR_CONFLICT, "area_retired", field_of(a, i, "properties.code"),
                               "区域 %s 已撤销", f->code);
            if (f->level && strcmp(f->level, cur.level) != 0)
                return err_set(e, ERR_INVALID, "level_mismatch",
                               field_of(a, i, "properties.level"),
                               "区域 %s 的层级是 %s，文件中为 %s", f->code, cur.level, f->level);
            if (f->parent) {
                struct area up;
                if (!cur.parent_id || area_get_by_id(db, a, cur.parent_id, &up) < 0 ||
                    strcmp(up.code, f->parent) != 0)
                    return err_set(e, ERR_INVALID, "parent_mismatch",
                                   field_of(a, i, "properties.parent"),
                                   "区域 %s 的上级不是 %s（移动区域请使用修改接口）", f->code,
                                   f->parent);
            }
            continue;
        }
        if (area_check_code(f->code, e) < 0) {
            e->field = field_of(a, i, "properties.code");
            return -1;
        }
        if (!f->level)
            return err_set(e, ERR_INVALID, "missing_field", field_of(a, i, "properties.level"),
                           "新区域 %s 必须有层级 level", f->code);
        if (!f->parent) {
            if (!allow_roots)
                return err_set(e, ERR_INVALID, "root_not_allowed",
                               field_of(a, i, "properties.parent"),
                               "新区域 %s 必须有上级 parent（新的根区域只能用命令行导入）",
                               f->code);
            continue;
        }
        if (in_file(fs, file, f->parent))
            continue;
        if (area_get(db, a, f->parent, &par) < 0 ||
            (scope && !area_path_within(scope, par.path)))
            return err_set(e, ERR_NOT_FOUND, "area_not_found", field_of(a, i, "properties.parent"),
                           "上级区域 %s 不存在或不在您的管辖范围内", f->parent);
    }
    return 0;
}

static int write_all(struct db *db, struct arena *a, const struct geojson_features *fs, int64_t now,
                     struct grid_import_result *res, struct err *e)
{
    char *done = xcalloc(fs->n ? fs->n : 1, 1);
    int rc = -1;
    /* Existing areas first, then new ones in passes so parents come first. */
    for (size_t i = 0; i < fs->n; i++) {
        const struct geojson_feature *f = &fs->items[i];
        struct area cur;
        if (area_get(db, a, f->code, &cur) < 0)
            continue;
        if (boundary_set(db, cur.id, f->geom, e) < 0)
            goto out;
        if (f->name && strcmp(f->name, cur.name) != 0) {
            struct area_input in = {0};
            in.name = f->name;
            if (area_update(db, a, &cur, &in, NULL, now, e) < 0)
                goto out;
        }
        done[i] = 1;
        res->updated++;
    }
    for (int progress = 1; progress;) {
        progress = 0;
        for (size_t i = 0; i < fs->n; i++) {
            const struct geojson_feature *f = &fs->items[i];
            struct area par, *pp = NULL;
            if (done[i])
                continue;
            if (f->parent) {
                if (area_get(db, a, f->parent, &par) < 0)
                    continue; /* its parent is created in a later pass */
                pp = &par;
            }
            struct area_input in = {f->code, f->name, f->level, NULL, f->parent};
            int64_t id = area_create(db, a, pp, &in, now, e);
            if (id < 0) {
                e->field = e->field ? field_of(a, i, arena_printf(a, "properties.%s", e->field))
                                    : field_of(a, i, "properties");
                goto out;
            }
            if (boundary_set(db, id, f->geom, e) < 0)
                goto out;
            done[i] = 1;
            res->created++;
            progress = 1;
        }
    }
    for (size_t i = 0; i < fs->n; i++)
        if (!done[i]) {
            err_set(e, ERR_INVALID, "parent_cycle", field_of(a, i, "properties.parent"),
                    "区域 %s 的上级链无法建立", fs->items[i].code);
            goto out;
        }
    rc = 0;
out:
    free(done);
    return rc;
}

int grid_import(struct db *db, struct arena *a, const struct geojson_features *fs,
                const char *scope, int allow_roots, const struct tiling_opts *opts, int64_t now,
                struct grid_import_result *res, struct err *e)
{
    memset(res, 0, sizeof(*res));
    if (fs->n == 0)
        return err_set(e, ERR_INVALID, "empty_import", "features", "文件中没有任何区域");
    struct nodeset s = {0};
    s.next_sibling = xcalloc(fs->n, sizeof(size_t));
    for (size_t i = fs->n; i-- > 0;) {
        const struct geojson_feature *f = &fs->items[i];
        strmap_put(&s.file, f->code, i);
        size_t head = (size_t)-1;
        if (f->parent) {
            strmap_get(&s.children_head, f->parent, &head);
            strmap_put(&s.children_head, f->parent, i);
        }
        s.next_sibling[i] = head;
    }
    if (validate(db, a, fs, &s.file, scope, allow_roots, e) < 0) {
        nodeset_release(&s);
        return -1;
    }
    for (size_t i = 0; i < fs->n; i++) {
        const struct geojson_feature *f = &fs->items[i];
        struct area cur;
        const char *parent = f->parent;
        if (!parent && area_get(db, a, f->code, &cur) == 0 && cur.parent_id) {
            struct area up;
            if (area_get_by_id(db, a, cur.parent_id, &up) == 0)
                parent = up.code;
        }
        if (parent)
            add_family(db, a, fs, &s, parent);
        add_family(db, a, fs, &s, f->code);
    }
    struct tiling_violations v = TILING_VIOLATIONS_INIT;
    GEOSContextHandle_t ctx = boundary_geos();
    int rc = tiling_check(ctx, s.v, s.n, opts, &v, e);
    if (rc == 0 && v.n > 0) {
        res->violations = tiling_violations_to_json(ctx, &v, 0);
        rc = -2;
    }
    tiling_violations_release(ctx, &v);
    nodeset_release(&s);
    if (rc != 0)
        return rc;
    return write_all(db, a, fs, now, res, e);
}

int grid_check_all(struct db *db, const struct tiling_opts *opts, json_t **violations,
                   struct err *e)
{
    struct arena a = ARENA_INIT;
    struct nodeset s = {0};
    GEOSContextHandle_t ctx = boundary_geos();
    sqlite3_stmt *st = db_prepare(
        db, "SELECT a.code, p.code, a.boundary FROM area a LEFT JOIN area p ON p.id = a.parent_id "
            "WHERE a.retired_ms IS NULL ORDER BY a.path");
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct tiling_node *n = node_add(&s, arena_strdup(&a, db_col_text(st, 0)));
        const char *pc = db_col_text_or_null(st, 1);
        n->parent_code = pc ? arena_strdup(&a, pc) : NULL;
        GEOSGeometry *g = geo_from_wkb(ctx, sqlite3_column_blob(st, 2),
                                       (size_t)sqlite3_column_bytes(st, 2));
        own(&s, g);
        n->geom = g;
    }
    sqlite3_reset(st);
    struct tiling_violations v = TILING_VIOLATIONS_INIT;
    int rc = tiling_check(ctx, s.v, s.n, opts, &v, e);
    if (rc == 0) {
        *violations = tiling_violations_to_json(ctx, &v, 0);
        rc = (int)v.n;
    }
    tiling_violations_release(ctx, &v);
    nodeset_release(&s);
    arena_release(&a);
    return rc;
}
