/* domain/classify: features, training, prediction, the model file, k-fold. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"
#include "domain/classify.h"
#include "domain/duplicates.h"

static void test_features(void)
{
    uint64_t a[64], b[64];
    /* Full-width forms, case, digits and punctuation do not change the features. */
    size_t na = classifier_features("ＡＢ路灯坏了１２３！！", a, 64);
    size_t nb = classifier_features("ab路灯坏了9。", b, 64);
    CHECK(na == nb && na > 0);
    CHECK(memcmp(a, b, na * sizeof(*a)) == 0);
    size_t nc = classifier_features("路灯坏了", b, 64);
    CHECK(nc > 0 && nc < na);
    CHECK(classifier_features("", a, 64) == 1); /* the start and end marks only */
    CHECK(classifier_features(NULL, a, 64) == 1);
    /* Invalid UTF-8 does not stop it. */
    CHECK(classifier_features("\xff\xfe垃圾", a, 64) > 2);
    CHECK(classifier_features("很长的文本很长的文本", a, 4) == 4);
}

static const char *const L[] = {"2901", "2901", "2901", "2901", "2201", "2201", "2201", "2201",
                                "3002", "3002", "3002", "3002"};
static const char *const T[] = {
    "村口垃圾堆了好几天没人清理", "小区门口垃圾成堆臭气熏天", "巡查发现路边垃圾堆积约三方",
    "垃圾桶满了溢出来一地垃圾",   "闻到很浓的煤气味道可能漏气了", "厨房燃气管道漏气嘶嘶响",
    "楼道里有燃气泄漏的味道",     "燃气表附近闻到臭鸡蛋味",   "门口有车乱停堵住了通道",
    "消防通道被私家车占了",       "路边违章停车一排挡住路",   "车停在人行道上没法走"};

static void test_train_predict(void)
{
    struct err e = ERR_INIT;
    struct classifier *m = classifier_train(L, T, 12, NULL, &e);
    CHECK(m != NULL);
    CHECK(classifier_labels(m) == 3);
    CHECK_STR(classifier_label(m, 0), "2201"); /* sorted */
    CHECK(classifier_label(m, 3) == NULL);
    struct classify_hit h[3];
    CHECK(classifier_predict(m, "路边垃圾没人清理", 3, h) == 3);
    CHECK_STR(classifier_label(m, h[0].label), "2901");
    CHECK(h[0].score > h[1].score && h[1].score >= h[2].score);
    CHECK(h[0].score + h[1].score + h[2].score > 0.999 && h[0].score + h[1].score + h[2].score < 1.001);
    CHECK(classifier_predict(m, "家里煤气漏了", 1, h) == 1);
    CHECK_STR(classifier_label(m, h[0].label), "2201");
    CHECK(classifier_predict(m, "一辆车停在消防通道", 1, h) == 1);
    CHECK_STR(classifier_label(m, h[0].label), "3002");
    CHECK(strlen(classifier_version(m)) == 16);

    /* The file: the same answers after a round trip; a damaged file refused. */
    char path[] = "/tmp/pingan-model-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    classifier_set_temperature(m, 0.5);
    CHECK(classifier_save(m, path, &e) == 0);
    struct classifier *back = classifier_load(path, &e);
    CHECK(back != NULL);
    struct classify_hit g[3];
    classifier_predict(m, "小区门口的垃圾", 3, h);
    classifier_predict(back, "小区门口的垃圾", 3, g);
    CHECK(h[0].label == g[0].label && h[0].score == g[0].score);
    CHECK(classifier_temperature(back) == 0.5);
    CHECK_STR(classifier_version(back), classifier_version(m));
    FILE *f = fopen(path, "r+b");
    fseek(f, -3, SEEK_END);
    fputc(0x7f, f);
    fputc(0x7f, f);
    fputc(0x7f, f);
    fputc(1, f); /* one byte too many */
    fclose(f);
    struct err bad = ERR_INIT;
    CHECK(classifier_load(path, &bad) == NULL);
    CHECK_STR(bad.code, "bad_model");
    unlink(path);
    struct err none = ERR_INIT;
    CHECK(classifier_load(path, &none) == NULL);
    CHECK_STR(none.code, "no_model");
    classifier_free(back);
    classifier_free(m);
    CHECK(classifier_train(L, T, 0, NULL, &e) == NULL);
}

static void test_cv(void)
{
    struct err e = ERR_INIT;
    struct cv_result r;
    CHECK(classifier_cv(L, T, 12, 4, NULL, &r, &e) == 0);
    CHECK(r.n == 12);
    CHECK(r.top1 >= 0 && r.top1 <= 1 && r.top3 >= r.top1 && r.major1 >= 0);
    CHECK(r.top3 == 1.0); /* three labels: always in the top three */
    CHECK(r.temperature > 0);
    CHECK(classifier_cv(L, T, 12, 1, NULL, &r, &e) < 0);
}

static void test_similarity(void)
{
    CHECK(dup_similarity("村口垃圾堆积没人清理", "村口垃圾堆积没人清理") == 1.0);
    CHECK(dup_similarity("村口垃圾堆积没人清理！！", "村口垃圾堆积，没人清理。") == 1.0);
    double near = dup_similarity("村口垃圾堆积好几天没人清理", "村口的垃圾堆了好几天了没人管");
    double far = dup_similarity("村口垃圾堆积好几天没人清理", "楼道燃气泄漏有很大的味道");
    CHECK(near > 0.2 && near < 1.0);
    CHECK(far < near && far < 0.1);
    CHECK(dup_similarity("", "") == 1.0); /* two empty texts are the same text */
    CHECK(dup_similarity("abc", "") < 0.5);
}

UNIT_MAIN(test_features, test_train_predict, test_cv, test_similarity)
