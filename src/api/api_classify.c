/* 智能分类 over HTTP: the same answer as pingan classify. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "domain/categorizer.h"
#include "util/jsonfield.h"

const struct classifier *api_classifier(struct req *r, struct err *e)
{
    char buf[1100];
    const char *path = r->app->cfg.classifier_model;
    if (!path[0]) {
        categorizer_default_path(r->app->cfg.db, buf, sizeof(buf));
        path = buf;
    }
    return categorizer_model(r->db, path, e);
}

int api_classify(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    static const char *const allowed[] = {"text", "top", NULL};
    struct err e = ERR_INIT;
    const char *text;
    int64_t top = 3;
    int has;
    if (jf_only(body, allowed, &e) < 0 || jf_str(body, "text", 1, 2000, &text, &e) < 0 ||
        jf_int(body, "top", 0, 1, 16, &top, &has, &e) < 0)
        return req_fail_err(r, &e);
    const struct classifier *m = api_classifier(r, &e);
    if (!m)
        return req_fail_err(r, &e);
    return reply_json(r, 200, categorizer_answer(r->db, m, text, (int)top,
                                                 r->app->cfg.classify_review_below / 100.0));
}
