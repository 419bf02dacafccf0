#include "attachment.h"

#include <string.h>

#include "domain/event.h"
#include "domain/petition.h"
#include "store/db.h"
#include "util/image.h"

#define COLS "id, sha256, mime, size, width, height, coalesce(event_id, 0), coalesce(timeline_id, 0) "

static const char *static_mime(const char *mime)
{
    enum image_type t = image_type_of_mime(mime);
    return t == IMAGE_NONE ? "application/octet-stream" : image_mime(t);
}

static void from_row(sqlite3_stmt *st, struct attachment *x)
{
    memset(x, 0, sizeof(*x));
    x->id = sqlite3_column_int64(st, 0);
    snprintf(x->sha256, sizeof(x->sha256), "%s", db_col_text(st, 1));
    x->mime = static_mime(db_col_text(st, 2));
    x->size = sqlite3_column_int64(st, 3);
    x->width = sqlite3_column_int64(st, 4);
    x->height = sqlite3_column_int64(st, 5);
    x->event_id = sqlite3_column_int64(st, 6);
    x->timeline_id = sqlite3_column_int64(st, 7);
}

/* The uploader's unlinked row of this content, if any. In a transaction. */
static int find_pending(struct db *db, int64_t account_id, const char *sha, struct attachment *out)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT " COLS "FROM attachment WHERE account_id = ? AND "
                                      "sha256 = ? AND event_id IS NULL");
    db_bind_int(st, 1, account_id);
    db_bind_text(st, 2, sha);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        from_row(st, out);
    sqlite3_reset(st);
    return found;
}

int attachment_create(struct db *db, const char *dir, int64_t account_id, const void *data,
                      size_t n, int64_t now, struct attachment *out, int *created, struct err *e)
{
    *created = 0;
    struct image_info info;
    const char *why;
    if (image_check(data, n, &info, &why) < 0)
        return err_set(e, ERR_INVALID, "invalid_image", "body",
                       "附件不是有效的 JPEG、PNG 或 WebP 图片：%s", why);
    /* The file first, durably: a committed row never names a missing file.
     * Outside the write lock, so a large photo's fsync holds no writer up. */
    char sha[FILES_HEX];
    if (files_put(dir, data, n, sha, e) < 0)
        return -1;
    if (db_begin(db, 1) < 0)
        return err_set(e, ERR_INTERNAL, "db_busy", NULL, "数据库繁忙，请稍后重试");
    if (find_pending(db, account_id, sha, out)) {
        db_rollback(db);
        return 0;
    }
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO attachment (sha256, mime, size, width, height, "
                                      "account_id, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
    db_bind_text(st, 1, sha);
    db_bind_text(st, 2, image_mime(info.type));
    db_bind_int(st, 3, (int64_t)n);
    db_bind_int(st, 4, info.width);
    db_bind_int(st, 5, info.height);
    db_bind_int(st, 6, account_id);
    db_bind_int(st, 7, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
        db_rollback(db);
        return -1;
    }
    memset(out, 0, sizeof(*out));
    out->id = sqlite3_last_insert_rowid(db_handle(db));
    memcpy(out->sha256, sha, sizeof(sha));
    out->mime = image_mime(info.type);
    out->size = (int64_t)n;
    out->width = info.width;
    out->height = info.height;
    if (db_commit(db) < 0) {
        db_rollback(db);
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "保存失败，未做任何修改");
    }
    *created = 1;
    return 0;
}

int attachment_get(struct db *db, int64_t id, struct attachment *out)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT " COLS "FROM attachment WHERE id = ?");
    db_bind_int(st, 1, id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        from_row(st, out);
    sqlite3_reset(st);
    return found ? 0 : -1;
}

json_t *attachment_to_json(const struct attachment *x)
{
    char url[64];
    snprintf(url, sizeof(url), "/api/v1/attachments/%lld", (long long)x->id);
    return json_pack("{s:I,s:s,s:I,s:I,s:I,s:s,s:s}", "id", (json_int_t)x->id, "type", x->mime,
                     "size", (json_int_t)x->size, "width", (json_int_t)x->width, "height",
                     (json_int_t)x->height, "sha256", x->sha256, "url", url);
}

int attachment_ids_from_json(json_t *body, struct arena *a, int64_t **ids, size_t *n,
                             struct err *e)
{
    *ids = NULL;
    *n = 0;
    json_t *v = json_object_get(body, "attachments");
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_array(v))
        return err_set(e, ERR_INVALID, "invalid_type", "attachments",
                       "字段 attachments 必须是附件编号的数组");
    size_t count = json_array_size(v);
    if (count == 0 || count > ATTACHMENT_MAX_PER_ENTRY)
        return err_set(e, ERR_INVALID, "out_of_range", "attachments",
                       "字段 attachments 应有 1 到 %d 个附件编号", ATTACHMENT_MAX_PER_ENTRY);
    int64_t *out = arena_alloc(a, count * sizeof(*out));
    for (size_t i = 0; i < count; i++) {
        json_t *x = json_array_get(v, i);
        if (!json_is_integer(x) || json_integer_value(x) < 1)
            return err_set(e, ERR_INVALID, "invalid_type", "attachments",
                           "字段 attachments 的第 %zu 项应为正整数的附件编号", i + 1);
        out[i] = json_integer_value(x);
        for (size_t k = 0; k < i; k++)
            if (out[k] == out[i])
                return err_set(e, ERR_INVALID, "duplicate_attachment", "attachments",
                               "附件 %lld 重复出现", (long long)out[i]);
    }
    *ids = out;
    *n = count;
    return 0;
}

int attachment_link(struct db *db, int64_t account_id, int64_t event_id, int64_t timeline_id,
                    const int64_t *ids, size_t n, struct err *e)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = db_prepare(db, "UPDATE attachment SET event_id = ?1, timeline_id = ?2 "
                                          "WHERE id = ?3 AND account_id = ?4 AND event_id IS NULL");
        db_bind_int(st, 1, event_id);
        db_bind_int(st, 2, timeline_id);
        db_bind_int(st, 3, ids[i]);
        db_bind_int(st, 4, account_id);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
        if (sqlite3_changes(db_handle(db)) != 1)
            return err_set(e, ERR_NOT_FOUND, "attachment_not_found", "attachments",
                           "附件 %lld 不存在、不是您上传的或已被使用", (long long)ids[i]);
    }
    return 0;
}

json_t *attachment_list_json(struct db *db, int64_t event_id)
{
    json_t *out = json_array();
    sqlite3_stmt *st = db_prepare(db, "SELECT " COLS "FROM attachment WHERE event_id = ? "
                                      "ORDER BY timeline_id, id");
    db_bind_int(st, 1, event_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct attachment x;
        from_row(st, &x);
        json_t *o = attachment_to_json(&x);
        json_object_set_new(o, "timeline_id", json_integer(x.timeline_id));
        json_array_append_new(out, o);
    }
    sqlite3_reset(st);
    return out;
}

int attachment_area_path(struct db *db, struct arena *a, int64_t id,
                         const struct attachment_reader *who, const char **path)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT coalesce(event_id, 0), account_id FROM attachment WHERE id = ?");
    db_bind_int(st, 1, id);
    int64_t event_id = 0, uploader = 0;
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        event_id = sqlite3_column_int64(st, 0);
        uploader = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (!found)
        return -1;
    if (event_id)
        return event_area_path(db, a, event_id, who->department_id, path);
    /* A petition's papers: for petition officers of its place, not for
     * every reader of events there. */
    int64_t petition_id = petition_of_attachment(db, id);
    if (petition_id && who->petitions && petition_area_path(db, a, petition_id, path) == 0)
        return 0;
    if (uploader != who->account_id || !who->scope_path)
        return -1;
    *path = who->scope_path;
    return 0;
}
