/* 智能分类 over HTTP: the same answer as pingan classify. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "domain/categorizer.h"
#include "domain/duplicates.h"
#include "domain/event.h"
#include "util/conf.h"
#include "util/jsonfield.h"

const struct classifier *api_classifier(struct req *r, int train, struct err *e)
{
    char buf[1100];
    const char *path = r->app->cfg.classifier_model;
    if (!path[0]) {
        categorizer_default_path(r->app->cfg.db, buf, sizeof(buf));
        path = buf;
    }
    return categorizer_model(r->db, path, train, e);
}

void api_event_propose(struct req *r, int64_t id, const char *text)
{
    /* Only with a model at hand: intake never waits for a training. */
    struct err e = ERR_INIT;
    const struct classifier *m = api_classifier(r, 0, &e);
    struct classify_hit h;
    if (!m)
        return;
    if (classifier_predict(m, text, 1, &h) == 1)
        event_set_proposal(r->db, id, classifier_label(m, h.label), h.score, classifier_version(m));
    categorizer_done();
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
    const struct classifier *m = api_classifier(r, 1, &e);
    if (!m)
        return req_fail_err(r, &e);
    json_t *answer = categorizer_answer(r->db, m, text, (int)top,
                                        r->app->cfg.classify_review_below / 100.0);
    categorizer_done();
    return reply_json(r, 200, answer);
}

int api_event_duplicates(struct req *r)
{
    /* A department works on what it is sent; finding duplicates is the
     * centre's and the grid's, over everything in their scope. */
    if (r->who.department_id)
        return req_fail(r, 403, "forbidden", NULL, "部门账号不进行重复事件查找");
    long id = 0;
    conf_parse_long(req_param(r, "id"), &id);
    const struct config *c = &r->app->cfg;
    struct dup_opts o = {(double)c->dup_radius_m, c->dup_window_h * 3600000LL,
                         c->dup_min_similarity / 100.0, r->who.scope_path, 10};
    return reply_json(r, 200, json_pack("{s:o}", "items", dup_candidates_json(r->db, &r->arena, id, &o)));
}

int api_test_train(struct req *r)
{
    char buf[1100];
    const char *path = r->app->cfg.classifier_model;
    if (!path[0]) {
        categorizer_default_path(r->app->cfg.db, buf, sizeof(buf));
        path = buf;
    }
    struct err e = ERR_INIT;
    int n = categorizer_retrain(r->db, path, &e);
    if (n < 0)
        return req_fail_err(r, &e);
    return reply_json(r, 200, json_pack("{s:i}", "new_examples", n));
}
