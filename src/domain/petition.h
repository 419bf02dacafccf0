/*
 * petition.h - the petition ledger (信访台账): registration by channel with
 * its petitioners, the steps of petitionflow.h on the statutory clock of
 * petitionclock.h, the append-only timeline, lists with lights and overdue
 * work, repeat petitions, and the rule of 第36条 that a matter closed by
 * 复核 is not accepted again.
 *
 * Place: each petition keeps the area where the matter arises (a village,
 * grid or micro-grid) with its materialised path, so scope checks and
 * figures are one index range; and optionally the registry organisation it
 * concerns (org_id).
 *
 * Petitioners: up to five (the representatives of a group visit, 第20条),
 * linked to registry persons where possible (by person_id, or found by the
 * ID number given). An ID number or phone entered is sealed and masked;
 * petition_reveal_json() opens them (the API audits it).
 *
 * "Same matter": the same registry person among the petitioners and a
 * matter whose text is alike (the shingle similarity of duplicates.h,
 * PETITION_SAME_MATTER or more), or an explicit repeat_of. Registering a
 * matter that a 复核 closed is refused (409 matter_closed_after_review,
 * naming the earlier petition); a matter alike to an earlier one of the
 * same person otherwise is registered as a repeat (repeat_of).
 */
#ifndef PINGAN_PETITION_H
#define PINGAN_PETITION_H

#include <jansson.h>
#include <stdint.h>

#include "domain/workclock.h"
#include "util/arena.h"
#include "util/err.h"

struct db;
struct seal;

#define PETITION_MAX_PETITIONERS    5
#define PETITION_MAX_ATTACHMENTS    10
#define PETITION_SAME_MATTER        0.4 /* similarity at which a matter is the same */
#define PETITION_REPEAT             0.3 /* similarity at which a petition repeats another */
#define PETITION_OBJECTION_WORKDAYS 5

struct petition_ctx {
    const struct seal *seal;
    int64_t now;
    int yellow_percent;
    struct workcal cal; /* working days, for the 5-day objection (第23条) */
};

struct petition_actor {
    int64_t account_id;
    const char *username;
    const char *scope_path;
};

struct petitioner_input {
    int64_t person_id; /* 0: none given */
    const char *name, *address;
    const char *id_number; /* normalised 18 characters, or NULL */
    const char *phone;     /* normalised, or NULL */
};

struct petition_input {
    const char *channel, *category, *title, *content, *concerns, *area, *level;
    int64_t org_id, repeat_of, reception_id;
    int64_t group_size;
    int64_t received_ms; /* 0: now */
    struct petitioner_input petitioners[PETITION_MAX_PETITIONERS];
    int n_petitioners;
    int64_t attachments[PETITION_MAX_ATTACHMENTS];
    int n_attachments;
};

/* Validates a registration body; today (YYYY-MM-DD) for ID numbers. Pure. */
int petition_from_json(json_t *body, struct arena *a, const char *today, struct petition_input *in,
                       struct err *e);
/* Registers the petition; its id, or -1 with e (409
 * matter_closed_after_review with *earlier set to the petition that closed
 * the matter). */
int64_t petition_create(struct db *db, struct arena *a, const struct petition_ctx *ctx,
                        const struct petition_actor *who, const struct petition_input *in,
                        int64_t *earlier, struct err *e);
/* Takes a step; a step not allowed now is 409 illegal_transition with
 * *allowed the steps that are (or a more precise 409 for the petitioner's
 * window and the one extension). */
int petition_apply(struct db *db, struct arena *a, const struct petition_ctx *ctx,
                   const struct petition_actor *who, int64_t id, const char *action, json_t *body,
                   json_t **allowed, struct err *e);
/* One petition with petitioners (masked), clock, light, allowed steps and
 * timeline; NULL if none. */
json_t *petition_to_json(struct db *db, struct arena *a, const struct petition_ctx *ctx,
                         int64_t id);
/* The unmasked identifiers of its petitioners: [{seq, name, id_number,
 * phone}], or NULL with e. */
json_t *petition_reveal_json(struct db *db, const struct seal *seal, int64_t id, struct err *e);

struct petition_query {
    const char *scope;      /* area path */
    const char *statuses;   /* comma-separated, or NULL */
    const char *light;      /* green, yellow, red, or NULL */
    const char *q;          /* in title or content */
    int overdue;            /* 1: only those whose clock is over (oldest deadline first) */
    int supervised;         /* 1: only 督办 */
    int64_t from_ms, to_ms; /* received in [from, to); 0: open */
    long limit, offset;
};
/* {"items", "total", "counts": {green, yellow, red}}. */
json_t *petition_list_json(struct db *db, struct arena *a, const struct petition_ctx *ctx,
                           const struct petition_query *q);
/* Earlier or later petitions in scope alike to this one (repeat candidates):
 * [{id, track_code, title, similarity, same_person, status}], most alike first. */
json_t *petition_similar_json(struct db *db, struct arena *a, int64_t id, const char *scope,
                              double min_similarity, int limit);
/* Links a petition to an earlier one as its repeat (a proposed pair confirmed). */
int petition_mark_repeat(struct db *db, const struct petition_ctx *ctx,
                         const struct petition_actor *who, int64_t id, int64_t earlier,
                         struct err *e);
/* The area path of a petition, for the router's scope check; 0 or -1. */
int petition_area_path(struct db *db, struct arena *a, int64_t id, const char **path);
/* The petition an upload is attached to; 0 if none. */
int64_t petition_of_attachment(struct db *db, int64_t attachment_id);
/* The petition with this (normalised) tracking code; 0 if none. */
int64_t petition_find_by_code(struct db *db, const char *code);

/*
 * For "三零" creation: the petitions of one subject in a period — those
 * whose area lies in the subtree of area_path (when not NULL), or that
 * concern org_id (when > 0; both: both must hold) — received in
 * [from_ms, to_ms); *received counts them, *overdue those among them whose
 * statutory clock ran out (a node finished late, or one running past its
 * deadline at now). 0, or -1 on a database error.
 */
int petition_count_subject(struct db *db, const char *area_path, int64_t org_id, int64_t from_ms,
                           int64_t to_ms, int64_t now, long *received, long *overdue);

/* zh-CN names of the enumerations (NULL if unknown). */
const char *petition_channel_name(const char *channel);
const char *petition_category_name(const char *category);
const char *petition_level_name(const char *level);
const char *petition_rating_name(const char *rating);

#include "util/banned.h"
#endif
