/*
 * zerorules.h - the pure parts of "三零" creation: periods, the metrics a
 * subject is measured by, the four-colour rules and their evaluation, the
 * creation standard's eight headings, the letters' numbers. No database.
 *
 * Colours: none (达标, no warning) < blue 蓝 < yellow 黄 < orange 橙 < red 红.
 * No national rule exists (standards.md §8), so the rules are the county's
 * configuration: "metric >= threshold → colour, reason"; a subject takes the
 * highest colour among the rules it meets, and every met rule's reason is
 * shown, the most severe first.
 */
#ifndef PINGAN_ZERORULES_H
#define PINGAN_ZERORULES_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

/* What a subject is measured by. The first three are the "three zeros"
 * counted over a period; the others are the subject's state now. */
enum zero_metric {
    ZM_PETITIONS,         /* 信访 attributable to the subject in the period */
    ZM_ACCIDENTS,         /* accidents with casualties in the period */
    ZM_CASES,             /* criminal and major public-order cases in the period */
    ZM_CRIMINAL_RISKS,    /* open 民转刑 risks (disputes flagged, events of that category) */
    ZM_MASS_INCIDENTS,    /* open mass-incident risks */
    ZM_OVERDUE_PETITIONS, /* petitions open past their deadline */
    ZM_OVERDUE_EVENTS,    /* events of the subject open past their deadline */
    ZM_OVERDUE_VISITS,    /* special-group members whose visit is overdue (villages) */
    ZM_COUNT
};

/* Stable key ("petitions") and Chinese label of a metric. */
const char *zero_metric_key(int m);
const char *zero_metric_label(int m);
/* The metric of a key, or -1. */
int zero_metric_of(const char *key);

/* Colour rank 0 (none) .. 4 (red), or -1 for an unknown key. */
int zero_colour_rank(const char *colour);
/* The key of a rank ("none" .. "red") and its Chinese name (正常, 蓝色 …). */
const char *zero_colour_key(int rank);
const char *zero_colour_name(const char *colour);

struct zero_rule {
    int metric;
    int64_t threshold;
    int colour;         /* rank 1..4 */
    const char *kind;   /* "village", "unit" or NULL (both) */
    const char *reason; /* template: {n} is the metric's value */
};

/* Validates a rules array [{metric, threshold, colour, kind?, reason}]
 * (1..100 rules); names the field at fault ("rules[2].colour"). Strings
 * live in a. Returns the number of rules, or -1 with e. */
int zero_rules_from_json(json_t *arr, struct arena *a, struct zero_rule **out, struct err *e);
/* [{metric, metric_name, threshold, colour, colour_name, kind, reason}] */
json_t *zero_rules_to_json(const struct zero_rule *r, int n);

/* Evaluates the rules for a subject of kind with metrics m[ZM_COUNT].
 * Returns the colour rank and sets *reasons to a new JSON array of the
 * filled-in reasons, most severe first. */
int zero_evaluate(const struct zero_rule *r, int n, const char *kind, const int64_t *m,
                  json_t **reasons);

/* A period: "2026" (year), "2026-Q3" (quarter) or "2026-07" (month), in
 * Asia/Shanghai. Sets [from, to) in UTC ms. 0, or -1 with e (field). */
int zero_period_parse(const char *s, const char *field, int64_t *from, int64_t *to, struct err *e);
/* The year of an instant in Asia/Shanghai ("2026"); out size >= 5. */
void zero_period_year(int64_t ms, char *out, size_t size);

/* The creation standard's eight headings (standards.md §8), in order. */
#define ZERO_HEADINGS 8
const char *zero_heading_key(int i);
const char *zero_heading_name(int i);
/* A review's pass mark: every heading scored, total (mean) >= this. */
#define ZERO_REVIEW_PASS 80.0

/* A comma-separated list of minor codes (4 digits each, at most 200):
 * 0, or -1 with e naming field. */
int zero_minors_check(const char *list, const char *field, struct err *e);
/* 1 if minor is in the comma-separated list. */
int zero_minor_in(const char *list, const char *minor);

/* "三零警示〔2026〕第3号" / "三零督办〔2026〕第3号" (arena). */
const char *zero_letter_number(struct arena *a, const char *kind, int year, int seq);

#include "util/banned.h"
#endif
