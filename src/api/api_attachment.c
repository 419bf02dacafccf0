/* Photos on events: the upload (raw image body) and the download. Which
 * event a photo belongs to is decided by the intake or step that names it
 * (domain/attachment.h); the router checks a download's scope by it. */
#include "api/api.h"
#include "app.h"
#include "domain/attachment.h"
#include "store/files.h"
#include "util/clock.h"
#include "util/conf.h"
#include "util/image.h"
#include "util/log.h"

static const char LOG_TAG[] = "attachment";

int api_attachment_create(struct req *r)
{
    const char *declared = req_header(r, "Content-Type");
    if (image_type_of_mime(declared) == IMAGE_NONE)
        return req_fail(r, 415, "unsupported_media_type", "Content-Type",
                        "附件的 Content-Type 应为 image/jpeg、image/png 或 image/webp");
    struct attachment x;
    struct err e = ERR_INIT;
    int created = 0;
    if (attachment_create(r->db, r->app->files_dir, r->who.account_id, r->body.ptr, r->body.len,
                          clock_now_ms(), &x, &created, &e) < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "attachment:%lld", (long long)x.id);
    /* The type is the bytes' (a PNG sent as image/jpeg is stored as PNG). */
    r->audit_detail = json_pack("{s:s,s:s,s:I}", "sha256", x.sha256, "type", x.mime, "size",
                                (json_int_t)x.size);
    return reply_json(r, created ? 201 : 200, attachment_to_json(&x));
}

int api_attachment_get(struct req *r)
{
    long id = 0;
    conf_parse_long(req_param(r, "id"), &id);
    struct attachment x;
    if (attachment_get(r->db, id, &x) < 0)
        return req_fail(r, 404, "not_found", NULL, "附件不存在或不在您的管辖范围内");
    int fd = files_open(r->app->files_dir, x.sha256);
    if (fd < 0) {
        log_error("attachment %ld: file %s/%s is missing", id, r->app->files_dir, x.sha256);
        return req_fail(r, 500, "attachment_file_missing", NULL, "附件文件缺失，请联系管理员");
    }
    return reply_file(r, fd, x.mime,
                      arena_printf(&r->arena, "attachment-%ld.%s", id,
                                   image_ext(image_type_of_mime(x.mime))));
}
