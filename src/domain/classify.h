/*
 * classify.h - 智能分类: which minor category a report's text belongs to.
 *
 * Chinese needs no word segmentation for this: the text is normalised
 * (full-width forms to ASCII, ASCII lower case, every digit to one symbol,
 * punctuation and space dropped) and cut into character n-grams of length
 * 1 and 2 (with the text's start and end as marks). A multinomial logistic
 * regression (softmax) over those features, trained with AdaGrad and L2
 * weight decay, gives a probability per category; a temperature fitted on
 * held-out folds calibrates them, so that "0.9" means right about nine times
 * in ten. The features are 64-bit hashes of the n-grams (collisions are
 * negligible at this size), kept only if seen in training.
 *
 * Pure: no database. The model is a file (classifier_save / _load).
 */
#ifndef PINGAN_CLASSIFY_H
#define PINGAN_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct classifier;

struct classify_hit {
    int label; /* index into the model's labels */
    double score;
};

struct train_opts {
    int epochs;       /* passes over the examples (default 5; more did no better) */
    double rate;      /* AdaGrad step (default 0.5) */
    double l2;        /* weight decay per step (default 1e-3; measured by k-fold CV) */
    uint64_t seed;    /* shuffling (default 1) */
};

/* Trains on n examples (labels[i] a category code, texts[i] its text).
 * The model's labels are the distinct codes, sorted. NULL with e. */
struct classifier *classifier_train(const char *const *labels, const char *const *texts, size_t n,
                                    const struct train_opts *opts, struct err *e);
/* The best top hits for text, best first; returns how many (<= top). */
int classifier_predict(const struct classifier *m, const char *text, int top,
                       struct classify_hit *out);
int classifier_labels(const struct classifier *m);
const char *classifier_label(const struct classifier *m, int i);
/* The calibration temperature (1: none). */
double classifier_temperature(const struct classifier *m);
void classifier_set_temperature(struct classifier *m, double t);
/* A fingerprint of the model (its version, recorded on events). */
const char *classifier_version(const struct classifier *m);

int classifier_save(const struct classifier *m, const char *path, struct err *e);
struct classifier *classifier_load(const char *path, struct err *e);
void classifier_free(struct classifier *m);

/* k-fold cross-validation on the examples: the share right at the top, in
 * the top three, and right in its major (the first two digits of the code);
 * with the temperature that calibrates the held-out scores best. */
struct cv_result {
    size_t n;
    double top1, top3, major1;
    double temperature;
    double ece; /* expected calibration error of the top score, after it */
};
int classifier_cv(const char *const *labels, const char *const *texts, size_t n, int k,
                  const struct train_opts *opts, struct cv_result *out, struct err *e);

/* The normalised features of a text (for tests): their count, at most max
 * hashes into out. */
size_t classifier_features(const char *text, uint64_t *out, size_t max);
/* The same, sorted and without repeats (the set of a text's features). */
size_t classifier_features_unique(const char *text, uint64_t *out, size_t max);

#include "util/banned.h"
#endif
