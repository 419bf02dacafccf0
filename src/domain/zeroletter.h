/*
 * zeroletter.h - 警示函 (warning letter, to a subject that broke zero) and
 * 督办函 (supervision letter, to its leading department, or for a village to
 * its township), generated from the subject's breaking events, numbered per
 * kind and year (三零警示〔2026〕第N号), recorded, and rendered as a
 * printable A4 HTML page.
 */
#ifndef PINGAN_ZEROLETTER_H
#define PINGAN_ZEROLETTER_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

struct db;

/* Validates {kind: warning|supervision, deadline?: YYYY-MM-DD, note?} and
 * issues the letter for the subject's breaking events of this year; 409
 * not_broken when it has none. Returns the letter's id, or -1 with e. */
int64_t zero_letter_create(struct db *db, struct arena *a, int64_t subject_id, json_t *body,
                           const char *by, int64_t now, struct err *e);
/* The letter of subject_id with id letter_id, or NULL. */
json_t *zero_letter_json(struct db *db, struct arena *a, int64_t subject_id, int64_t letter_id);
/* The printable page (a whole HTML document) into out. 0, or -1 if none. */
int zero_letter_html(struct db *db, struct arena *a, int64_t subject_id, int64_t letter_id,
                     struct buf *out);

#include "util/banned.h"
#endif
