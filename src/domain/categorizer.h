/*
 * categorizer.h - the classifier in use (domain/classify.h): its model
 * file beside the database (DB + ".model", or the classifier_model
 * setting), trained from the shipped examples (data/classify/examples.tsv,
 * embedded) and the categories dispatchers confirmed or corrected, and the
 * answers it gives in the shape of `pingan classify` and the API.
 *
 * The model is loaded once per process and shared by every thread; when
 * there is no file yet, the first caller that may train trains it (a second
 * or so) and saves it. pingan train builds a new one (with k-fold figures)
 * and records its version; a running server retrains on its schedule
 * (train_every_h) and puts the new model in use.
 */
#ifndef PINGAN_CATEGORIZER_H
#define PINGAN_CATEGORIZER_H

#include <jansson.h>
#include <stdint.h>

#include "domain/classify.h"
#include "util/err.h"

struct db;

/* The model for model_path (loaded, or — if train — trained from db's
 * examples and saved when there is no file), or NULL with e. Borrowed: the
 * caller uses it, then calls categorizer_done() (a retrained model replaces
 * it only when no caller holds it). */
const struct classifier *categorizer_model(struct db *db, const char *model_path, int train,
                                           struct err *e);
void categorizer_done(void);
/* Loads model_path anew and puts it in use (after pingan train or a
 * scheduled training). 0, or -1 with e. */
int categorizer_reload(const char *model_path, struct err *e);
/* Trains from the shipped and the confirmed examples, cross-validates with
 * folds (0: no figures), saves to model_path and records the version.
 * Returns 0, or -1 with e. */
int categorizer_train(struct db *db, const char *model_path, int folds, struct cv_result *cv,
                      size_t *examples, size_t *shipped, struct err *e);
/* The answer for one text: {"minor","major","department","level","score",
 * "alternatives":[{"minor","score"}…],"needs_review","model"}. needs_review
 * when the top score is below review_below. */
json_t *categorizer_answer(struct db *db, const struct classifier *m, const char *text, int top,
                           double review_below);
/* Retrains and puts the new model in use if categories were settled since
 * the newest model: the number of new examples (0: nothing to do), or -1. */
int categorizer_retrain(struct db *db, const char *model_path, struct err *e);
/* Keeps the category a person confirmed or chose for an event, with the
 * event's text, as an example (corrected: other than the one proposed). */
int categorizer_keep(struct db *db, int64_t event_id, const char *minor, int64_t now);
/* The default model path for a database: DB + ".model" (into out). */
void categorizer_default_path(const char *db_path, char *out, size_t size);

#include "util/banned.h"
#endif
