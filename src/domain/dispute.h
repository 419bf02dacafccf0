/*
 * dispute.h - the dispute ledger (矛盾纠纷排查化解): a dispute from screening,
 * from an event of a 矛盾纠纷 category, or entered directly; its parties
 * (registry persons or organisations, or entered with sealed identifiers);
 * the tiers "网格首诊、村坐诊、镇接诊、县会诊" with a clock each; mediation
 * sessions; the outcome (agreement, failure with the routes told, or kept
 * under control); court confirmation and the follow-up visit as due items;
 * the risk flags (民转刑, mass incident); an append-only timeline.
 *
 * Place: a dispute keeps its area (a village or a micro-grid) and that
 * area's whole path, so scope checks, lists and figures are index ranges.
 *
 * Tiers and clocks (tables dispute_tier, dispute_setting): a dispute starts
 * at the tier of its place (grid for a grid or micro-grid, village for a
 * village) with that tier's limit in natural days. "上交" moves it one tier
 * up by hand; dispute_sweep moves what is still open when its tier's time
 * is up (the "三级过滤网"). At the top tier it stays, over its limit. A
 * dispute kept under control (稳控) has no tier clock.
 *
 * Statuses: open → controlled ↔ open; open/controlled → resolved
 * (agreement) or failed. Resolved and failed are closed; the follow-up
 * visit is due followup_days after closing; a written agreement marked for
 * 司法确认 is due court_confirm_days after the agreement.
 */
#ifndef PINGAN_DISPUTE_H
#define PINGAN_DISPUTE_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;
struct seal;

#define DISPUTE_MAX_PARTIES 20

struct dispute_party_input {
    const char *side; /* applicant, respondent, other */
    int64_t person_id, org_id; /* 0: none */
    const char *name;
    char id_number[19]; /* normalised, "" if none */
    char phone[24];     /* normalised, "" if none */
};

struct dispute_input {
    const char *origin, *source, *type, *title, *summary, *scale, *area, *address, *mediator;
    int64_t people_count, org_id, event_id, occurred_ms;
    int risk_criminal, risk_mass;
    struct dispute_party_input parties[DISPUTE_MAX_PARTIES];
    size_t n_parties;
};

/* Who acts: from the session, or the sweep (account_id 0, "system"). */
struct dispute_actor {
    int64_t account_id;
    const char *username;
    const char *scope_path;
};

/* Validates a create body (the type, the registry links and the area are
 * checked against the database by dispute_create). today: YYYY-MM-DD for
 * ID-number birth dates. Pure. */
int dispute_from_json(json_t *body, const char *today, struct dispute_input *in, struct err *e);
/* Creates the dispute at the tier of its place. Linked persons and
 * organisations must lie inside who->scope_path; event_id must be an event
 * of a 矛盾纠纷 category (its place is the default place). Returns the id,
 * or -1 with e. */
int64_t dispute_create(struct db *db, struct arena *a, const struct seal *seal,
                       const struct dispute_actor *who, const struct dispute_input *in, int64_t now,
                       struct err *e);
/* Takes an action: session, escalate, agree, fail, control, resume, risk,
 * joint, court, followup. Returns 0, or -1 with e (409 illegal_transition
 * when the dispute's state does not allow it). */
int dispute_apply(struct db *db, struct arena *a, const struct dispute_actor *who, int64_t id,
                  const char *action, json_t *body, int64_t now, struct err *e);
/* One dispute with parties (masked), sessions, timeline and due items; NULL
 * if none. */
json_t *dispute_to_json(struct db *db, struct arena *a, int64_t id, int64_t now);
/* A party's identifiers in clear (the caller audits the reveal). */
json_t *dispute_party_reveal_json(struct db *db, const struct seal *seal, int64_t dispute_id,
                                  int64_t party_id, struct err *e);

struct dispute_query {
    const char *scope;   /* area path (subtree) */
    const char *status;  /* open, controlled, resolved, failed, active (open+controlled) */
    const char *tier, *type;
    int risk;            /* 1: flagged only */
    const char *due;     /* over_limit, followup, court: what is due or overdue */
    int64_t event_id;    /* 0: any */
    long limit, offset;
};
/* {"items","total"}: flagged open disputes first, then newest. */
json_t *dispute_list_json(struct db *db, struct arena *a, const struct dispute_query *q,
                          int64_t now);
/* What the event stream needs of a dispute: its area path, status and
 * whether it is flagged at risk now. 0, or -1 if there is none. */
int dispute_brief(struct db *db, int64_t id, char *area_path, size_t path_size, char *status,
                  size_t status_size, int *flagged);
/* The path the router compares with the caller's scope. 0, or -1. */
int dispute_area_path(struct db *db, struct arena *a, int64_t id, const char **path);
/* Moves up one tier what is open past its tier's time (at most max; ids
 * receive them). Returns how many, or -1 with e. */
int dispute_sweep(struct db *db, struct arena *a, int64_t now, int64_t *ids, int max,
                  struct err *e);
/* The types, tiers with their limits, sources and settings. */
json_t *dispute_meta_json(struct db *db);
/* Sets tier limits ({"tiers":{"grid":3,…}}) and settings ({"followup_days":…}). */
int dispute_settings_set(struct db *db, json_t *body, struct err *e);

/* For "三零" creation: disputes of a subject in a period [from_ms, to_ms)
 * by their registration time. The subject is an area subtree (area_path,
 * org_id 0) or an organisation (area_path NULL, org_id > 0). */
struct dispute_counts {
    long total;        /* registered in the period */
    long open_at_risk; /* of them, still open or under control and flagged 民转刑 or mass */
};
int dispute_count(struct db *db, struct arena *a, const char *area_path, int64_t org_id,
                  int64_t from_ms, int64_t to_ms, struct dispute_counts *out);

/* Names for the vocabularies (NULL if unknown). */
const char *dispute_status_name(const char *status);
const char *dispute_source_name(const char *source);
const char *dispute_scale_name(const char *scale);

#include "util/banned.h"
#endif
