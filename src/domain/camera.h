/*
 * camera.h - the camera network (雪亮工程 / 数字乡村): the registry of
 * cameras, their status as the video platform reports it, the rates by
 * area, the outage sweep and video alarms. Owns tables camera and
 * camera_alarm (sql/014_cameras.sql).
 *
 * Counting (domain.md's 鹿邑 figures: 10,520 planned, 10,048 installed
 * = 95.51 %, 9,896 online = 98.49 %): planned = every registered camera,
 * installed = with an installed date, online = installed and last reported
 * online. install rate = installed / planned; online rate = online /
 * installed.
 *
 * Outages. A camera is offline when the platform says so, or when the
 * platform keeps reporting other cameras but has not reported this one for
 * camera_offline_h hours (measured against the newest report of all, so a
 * platform that stops sending altogether does not turn the county dark:
 * that is the platform's failure, shown by the rates' newest_report_ms, not
 * 10,000 events). A connected,
 * installed camera offline for longer than the threshold is raised ONCE per
 * outage, and cameras of one grid (网格, the level above the micro-grid)
 * that go past the threshold together make one event, not one each; a
 * camera whose grid already has an open outage event joins that event. The
 * event comes in through event_create with source "video", category 5302
 * (电力通信线路破坏: a dark camera is most often its power or line), at the
 * camera's point for one camera, at the grid for several. A camera reported
 * online again ends its outage; the event stays in the loop to be closed.
 */
#ifndef PINGAN_CAMERA_H
#define PINGAN_CAMERA_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;
struct area;
struct event_ctx;
struct actor;
struct ledger_opts;
struct import_stats;

/* The minor category of an outage event. */
#define CAMERA_OUTAGE_MINOR "5302"

struct camera_input {
    const char *code, *name, *kind, *operator_name;
    const char *planned_date, *installed_date, *connected_date; /* YYYY-MM-DD or NULL */
    double lng, lat;                                            /* WGS-84 */
};

/* The Chinese name of a kind (public → 公共区域), or NULL if unknown. */
const char *camera_kind_name(const char *kind);
/* Validates a create body; pure. */
int camera_from_json(json_t *body, struct camera_input *in, struct err *e);
/* Locates the point to its micro-grid (inside scope, else 404
 * area_not_found at lng) and inserts; -1 with e (409 camera_exists). */
int64_t camera_create(struct db *db, struct arena *a, const struct camera_input *in,
                      const char *scope, int64_t now, struct err *e);
/* Changes what a camera's life changes — name, kind, operator and its
 * planned, installed and connected dates ({...} of those members; null
 * clears a date) — under the create rules; the point and code stay.
 * -1 with e. */
int camera_update(struct db *db, struct arena *a, int64_t id, json_t *body, int64_t now,
                  struct err *e);
/* The camera's micro-grid path, for the router. 0, or -1. */
int camera_area_path(struct db *db, struct arena *a, int64_t id, const char **path);
/* One camera with its area chain's names and its alarms; NULL if none. */
json_t *camera_to_json(struct db *db, struct arena *a, int64_t id);

struct camera_query {
    const char *scope;             /* area path */
    const char *kind, *status, *q; /* status: online, offline, unknown, not_installed */
    long limit, offset;
};
/* {"items","total"} ordered by code; items carry the point (the map). */
json_t *camera_list_json(struct db *db, struct arena *a, const struct camera_query *q);
/* Rates of the subtree of ar, its children's rates and the grids (level
 * grid) of the subtree without an installed camera (at most max_uncovered
 * listed, all counted). */
json_t *camera_rates_json(struct db *db, struct arena *a, const struct area *ar,
                          long max_uncovered);

/* One status report of the video platform. */
struct camera_report {
    const char *code;
    int online; /* 1 online, 0 offline */
    int64_t at; /* when the platform saw it */
};
/* Validates one JSON report {code, status|online, at}; pure except for
 * now (a report more than 10 minutes in the future is refused). */
int camera_report_from_json(json_t *row, int64_t now, struct camera_report *out, struct err *e);
/* Parses a time: epoch milliseconds, or ISO 8601 (a time without Z is
 * Asia/Shanghai, as Chinese platforms write it). 0 or -1. */
int camera_parse_time(const char *s, int64_t *ms);
/* Applies a report to the camera with that code inside scope (else 404
 * camera_not_found at field code: unknown and out-of-scope look the same).
 * A report older than the camera's last one changes nothing (*stale = 1). */
int camera_report_apply(struct db *db, const char *scope, const struct camera_report *rp,
                        int64_t now, int *stale, struct err *e);
/* Reads a CSV of reports (编码/code, 状态/status, 时间/at; UTF-8 or GBK)
 * through the ledger reader and applies them (ledger_import_fn contract:
 * created counts applied reports, updated the stale ones). */
int camera_report_csv(const struct ledger_opts *opt, const char *data, size_t len,
                      struct import_stats *stats, json_t **errors_json, struct err *e);

/* The sweep: marks silent cameras offline and raises outages past
 * threshold_ms (see above). Event ids created go to ids (at most max).
 * Returns the number of events created, or -1 with e. */
int camera_sweep(struct db *db, struct arena *a, const struct event_ctx *ctx, int64_t threshold_ms,
                 int64_t *ids, int max, struct err *e);

/* A video alarm. */
struct camera_alarm_input {
    const char *alarm_id, *kind, *note;
    int64_t at;
    int64_t attachment; /* 0: none */
};
/* The alarm kinds, their Chinese names and categories. */
const char *camera_alarm_kind_name(const char *kind);
int camera_alarm_from_json(json_t *body, int64_t now, struct camera_alarm_input *in, struct err *e);
/* Makes the event of an alarm at the camera's point (source video), or
 * finds the one made for the same alarm id (*created = 0; another alarm
 * under the same id — another kind, time or snapshot — is 409
 * alarm_id_reused). Returns the event id or -1. */
int64_t camera_alarm_create(struct db *db, struct arena *a, const struct event_ctx *ctx,
                            const struct actor *who, int64_t camera_id,
                            const struct camera_alarm_input *in, int *created, struct err *e);

#include "util/banned.h"
#endif
