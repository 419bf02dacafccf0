/* pingan classify / pingan train: the event classifier on the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cli/cli.h"
#include "domain/categorizer.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/conf.h"

/* The model path: --model, else the setting, else DB.model. */
static const char *model_path(struct app *app, const char *flag, char *buf, size_t size)
{
    if (flag)
        return flag;
    if (app->cfg.classifier_model[0])
        return app->cfg.classifier_model;
    categorizer_default_path(app->cfg.db, buf, size);
    return buf;
}

int cli_classify(int argc, char **argv)
{
    static struct app app;
    if (cli_take_flag(&argc, argv, "help")) {
        fputs("usage: pingan classify [--db DB] [--top N] [--model FILE] < texts\n"
              "Reads one report per line on standard input and writes one JSON object per\n"
              "line: the proposed minor category, its major, department and level, the\n"
              "calibrated score, the next N-1 alternatives, and needs_review when the score\n"
              "is below classify_review_below. Without a model file, one is trained first.\n",
              stdout);
        return 0;
    }
    const char *top_s = cli_take(&argc, argv, "top");
    const char *model_flag = cli_take(&argc, argv, "model");
    if (cli_config_load(&app, argc, argv) < 0)
        return 2;
    long top = 3;
    if (top_s && (conf_parse_long(top_s, &top) < 0 || top < 1 || top > 16)) {
        fprintf(stderr, "pingan classify: --top must be a number from 1 to 16\n");
        return 2;
    }
    struct db *db = cli_open_store(&app);
    if (!db)
        return 1;
    char buf[1100];
    struct err e = ERR_INIT;
    const struct classifier *m = categorizer_model(db, model_path(&app, model_flag, buf, sizeof(buf)), 1, &e);
    if (!m) {
        fprintf(stderr, "pingan classify: %s\n", e.message);
        db_close(db);
        return 1;
    }
    char line[8192];
    while (fgets(line, sizeof(line), stdin)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        json_t *o = categorizer_answer(db, m, line, (int)top, app.cfg.classify_review_below / 100.0);
        char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(4) | JSON_PRESERVE_ORDER);
        puts(s ? s : "{}");
        free(s);
        json_decref(o);
    }
    categorizer_done();
    db_close(db);
    return 0;
}

int cli_train(int argc, char **argv)
{
    static struct app app;
    if (cli_take_flag(&argc, argv, "help")) {
        fputs("usage: pingan train [--db DB] [--model FILE] [--folds K]\n"
              "Trains the classifier from the shipped examples and the categories that\n"
              "dispatchers confirmed or corrected, reports K-fold cross-validation (default\n"
              "5; 0 for none), calibrates the scores, writes the model and records its\n"
              "version. A running server uses it after its next start.\n",
              stdout);
        return 0;
    }
    const char *folds_s = cli_take(&argc, argv, "folds");
    const char *model_flag = cli_take(&argc, argv, "model");
    if (cli_config_load(&app, argc, argv) < 0)
        return 2;
    long folds = 5;
    if (folds_s && (conf_parse_long(folds_s, &folds) < 0 || folds < 0 || folds == 1 || folds > 20)) {
        fprintf(stderr, "pingan train: --folds must be 0 or a number from 2 to 20\n");
        return 2;
    }
    struct db *db = cli_open_store(&app);
    if (!db)
        return 1;
    char buf[1100];
    const char *path = model_path(&app, model_flag, buf, sizeof(buf));
    struct cv_result cv;
    size_t n, shipped;
    struct err e = ERR_INIT;
    int64_t t0 = clock_mono_us();
    int rc = categorizer_train(db, path, (int)folds, &cv, &n, &shipped, &e);
    if (rc < 0) {
        fprintf(stderr, "pingan train: %s\n", e.message);
    } else {
        printf("trained on %zu examples (%zu shipped, %zu confirmed) in %.1f s: %s\n", n, shipped,
               n - shipped, (double)(clock_mono_us() - t0) / 1e6, path);
        if (folds > 1)
            printf("%ld-fold cross-validation: top-1 minor %.1f %%, top-3 minor %.1f %%, top-1 "
                   "major %.1f %%; temperature %.2f, calibration error %.3f\n",
                   folds, 100 * cv.top1, 100 * cv.top3, 100 * cv.major1, cv.temperature, cv.ece);
    }
    db_close(db);
    return rc < 0 ? 1 : 0;
}
