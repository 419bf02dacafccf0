#include "classify.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/xalloc.h"

#define MAX_CHARS 512
/* Character 1- and 2-grams. Measured by 5-fold cross-validation on the
 * shipped examples: with 3-grams as well 57.7 % top-1, without 62.2 %
 * (they are too rare to generalise); skip-bigrams 54.8 %. */
#define NGRAM 2
#define MAX_FEATURES (NGRAM * MAX_CHARS + 4)
#define MAGIC "PINGANCLS1"

struct classifier {
    int nlabels;
    char **labels;
    size_t nfeat;
    uint64_t *keys;   /* feature hashes, open addressing (0 = empty) */
    uint32_t *slot;   /* feature index of each key */
    size_t cap;       /* size of keys/slot, a power of two */
    float *w;         /* nfeat x nlabels */
    float *bias;      /* nlabels */
    double temperature;
    char version[24];
};

/* ------------------------------------------------------------ features */

/* The code point as the classifier sees it, or 0 to drop it. */
static uint32_t fold(uint32_t c)
{
    if (c >= 0xFF01 && c <= 0xFF5E) /* full-width ASCII */
        c -= 0xFEE0;
    if (c == 0x3000)
        c = ' ';
    if (c >= 'A' && c <= 'Z')
        c += 32;
    if (c >= '0' && c <= '9')
        return '#';
    if (c < 0x80 && !((c >= 'a' && c <= 'z') || c == '#'))
        return 0; /* ASCII punctuation, space, controls */
    /* CJK punctuation and symbols, general punctuation, emoji: noise here. */
    if ((c >= 0x3000 && c <= 0x303F) || (c >= 0x2000 && c <= 0x206F) || (c >= 0xFE30 && c <= 0xFE4F) ||
        (c >= 0x1F000) || c == 0xFFFD || c == 0xFF5E || (c >= 0x2190 && c <= 0x2BFF))
        return 0;
    return c;
}

static uint64_t mix(uint64_t h, uint32_t c)
{
    h ^= c;
    h *= 0x100000001B3ull;
    return h;
}

size_t classifier_features(const char *text, uint64_t *out, size_t max)
{
    uint32_t cs[MAX_CHARS + 2];
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    const unsigned char *end = p + strlen((const char *)p);
    cs[n++] = 1; /* start mark */
    while (p < end && n < MAX_CHARS + 1) {
        uint32_t c;
        utf8_next(&p, end, &c);
        c = fold(c);
        /* Runs of one symbol (!!!!, ####) count once. */
        if (c && !(c == cs[n - 1] && (c == '#' || c < 0x80)))
            cs[n++] = c;
    }
    cs[n++] = 2; /* end mark */
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i++) {
        uint64_t h = 0xCBF29CE484222325ull;
        for (size_t len = 1; len <= NGRAM && i + len <= n && k < max; len++) {
            h = mix(h, cs[i + len - 1]);
            if (len == 1 && (cs[i] == 1 || cs[i] == 2))
                continue; /* the marks alone say nothing */
            out[k++] = mix(h, (uint32_t)len) | 1; /* never 0 */
        }
    }
    return k;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

size_t classifier_features_unique(const char *text, uint64_t *f, size_t max)
{
    size_t n = classifier_features(text, f, max);
    qsort(f, n, sizeof(*f), cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!k || f[k - 1] != f[i])
            f[k++] = f[i];
    return k;
}

static long find(const struct classifier *m, uint64_t key)
{
    size_t mask = m->cap - 1, i = (size_t)(key ^ (key >> 29)) & mask;
    while (m->keys[i]) {
        if (m->keys[i] == key)
            return m->slot[i];
        i = (i + 1) & mask;
    }
    return -1;
}

static void insert(struct classifier *m, uint64_t key, uint32_t index)
{
    size_t mask = m->cap - 1, i = (size_t)(key ^ (key >> 29)) & mask;
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & mask;
    m->keys[i] = key;
    m->slot[i] = index;
}

/* The indices of a text's known features; returns their count. */
static size_t indices(const struct classifier *m, const char *text, uint32_t *idx)
{
    uint64_t f[MAX_FEATURES];
    size_t n = classifier_features_unique(text, f, MAX_FEATURES), k = 0;
    for (size_t i = 0; i < n; i++) {
        long j = find(m, f[i]);
        if (j >= 0)
            idx[k++] = (uint32_t)j;
    }
    return k;
}

/* Softmax of the scores at temperature t, in place. */
static void softmax(double *s, int n, double t)
{
    double mx = -INFINITY, sum = 0;
    for (int i = 0; i < n; i++)
        if (s[i] > mx)
            mx = s[i];
    for (int i = 0; i < n; i++)
        sum += s[i] = exp((s[i] - mx) / t);
    for (int i = 0; i < n; i++)
        s[i] /= sum;
}

/* The weight of each of a text's features: all the same, the vector
 * scaled to length 1 (so long complaints and terse logs weigh the same).
 * Measured: weighting by idf did no better on the shipped examples. */
static double weight(size_t k)
{
    return k ? 1.0 / sqrt((double)k) : 0;
}

static void scores(const struct classifier *m, const uint32_t *idx, size_t k, double *s)
{
    double x = weight(k);
    for (int c = 0; c < m->nlabels; c++)
        s[c] = m->bias[c];
    for (size_t i = 0; i < k; i++) {
        const float *row = m->w + (size_t)idx[i] * (size_t)m->nlabels;
        for (int c = 0; c < m->nlabels; c++)
            s[c] += x * row[c];
    }
}

/* ------------------------------------------------------------ training */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int label_index(const struct classifier *m, const char *code)
{
    int lo = 0, hi = m->nlabels;
    while (lo < hi) {
        int mid = (lo + hi) / 2, c = strcmp(m->labels[mid], code);
        if (!c)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void fingerprint(struct classifier *m)
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 8);
    for (int c = 0; c < m->nlabels; c++)
        crypto_generichash_update(&st, (const unsigned char *)m->labels[c], strlen(m->labels[c]) + 1);
    crypto_generichash_update(&st, (const unsigned char *)m->w,
                              m->nfeat * (size_t)m->nlabels * sizeof(float));
    crypto_generichash_update(&st, (const unsigned char *)m->bias, (size_t)m->nlabels * sizeof(float));
    unsigned char h[8];
    crypto_generichash_final(&st, h, sizeof(h));
    snprintf(m->version, sizeof(m->version), "%02x%02x%02x%02x%02x%02x%02x%02x", h[0], h[1], h[2],
             h[3], h[4], h[5], h[6], h[7]);
}

/* Drops the features seen in one example only: they cannot generalise
 * (measured: no loss in cross-validation) and they are most of the model's
 * size. Renumbers the rest and the examples' lists. */
static void prune_rare(struct classifier *m, uint32_t **ex, size_t *exn, size_t n)
{
    uint32_t *df = xcalloc(m->nfeat ? m->nfeat : 1, sizeof(*df));
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < exn[i]; j++)
            df[ex[i][j]]++;
    uint32_t *renum = xmalloc((m->nfeat ? m->nfeat : 1) * sizeof(*renum));
    uint32_t kept = 0;
    for (size_t f = 0; f < m->nfeat; f++)
        renum[f] = df[f] >= 2 ? kept++ : UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        for (size_t j = 0; j < exn[i]; j++)
            if (renum[ex[i][j]] != UINT32_MAX)
                ex[i][k++] = renum[ex[i][j]];
        exn[i] = k;
    }
    struct classifier old = *m;
    m->keys = xcalloc(m->cap, sizeof(*m->keys));
    m->slot = xcalloc(m->cap, sizeof(*m->slot));
    for (size_t q = 0; q < old.cap; q++)
        if (old.keys[q] && renum[old.slot[q]] != UINT32_MAX)
            insert(m, old.keys[q], renum[old.slot[q]]);
    m->nfeat = kept;
    free(old.keys);
    free(old.slot);
    free(df);
    free(renum);
}

struct classifier *classifier_train(const char *const *labels, const char *const *texts, size_t n,
                                    const struct train_opts *opts, struct err *e)
{
    struct train_opts o = {5, 0.5, 1e-3, 1};
    if (opts) {
        if (opts->epochs > 0)
            o.epochs = opts->epochs;
        if (opts->rate > 0)
            o.rate = opts->rate;
        if (opts->l2 > 0)
            o.l2 = opts->l2;
        o.seed = opts->seed;
    }
    if (n == 0) {
        err_set(e, ERR_INVALID, "no_examples", NULL, "没有训练样本");
        return NULL;
    }
    struct classifier *m = xcalloc(1, sizeof(*m));
    m->temperature = 1.0;
    /* The labels: the distinct codes, sorted. */
    char **ls = xmalloc(n * sizeof(*ls));
    for (size_t i = 0; i < n; i++)
        ls[i] = (char *)labels[i];
    qsort(ls, n, sizeof(*ls), cmp_str);
    m->labels = xmalloc(n * sizeof(*m->labels));
    for (size_t i = 0; i < n; i++)
        if (!m->nlabels || strcmp(m->labels[m->nlabels - 1], ls[i]) != 0)
            m->labels[m->nlabels++] = xstrdup(ls[i]);
    free(ls);
    /* The features: every n-gram seen in training. */
    uint32_t **ex = xmalloc(n * sizeof(*ex));
    size_t *exn = xmalloc(n * sizeof(*exn));
    int *y = xmalloc(n * sizeof(*y));
    m->cap = 1024;
    while (m->cap < n * 64)
        m->cap *= 2;
    m->keys = xcalloc(m->cap, sizeof(*m->keys));
    m->slot = xcalloc(m->cap, sizeof(*m->slot));
    uint64_t f[MAX_FEATURES];
    for (size_t i = 0; i < n; i++) {
        size_t k = classifier_features_unique(texts[i], f, MAX_FEATURES);
        ex[i] = xmalloc((k ? k : 1) * sizeof(**ex));
        exn[i] = k;
        y[i] = label_index(m, labels[i]);
        for (size_t j = 0; j < k; j++) {
            long at = find(m, f[j]);
            if (at < 0) {
                if (2 * (m->nfeat + 1) > m->cap) { /* grow: rehash */
                    struct classifier old = *m;
                    m->cap *= 2;
                    m->keys = xcalloc(m->cap, sizeof(*m->keys));
                    m->slot = xcalloc(m->cap, sizeof(*m->slot));
                    for (size_t q = 0; q < old.cap; q++)
                        if (old.keys[q])
                            insert(m, old.keys[q], old.slot[q]);
                    free(old.keys);
                    free(old.slot);
                }
                at = (long)m->nfeat++;
                insert(m, f[j], (uint32_t)at);
            }
            ex[i][j] = (uint32_t)at;
        }
    }
    prune_rare(m, ex, exn, n);
    size_t nw = m->nfeat * (size_t)m->nlabels;
    m->w = xcalloc(nw ? nw : 1, sizeof(*m->w));
    m->bias = xcalloc((size_t)m->nlabels, sizeof(*m->bias));
    float *g2 = xcalloc(nw ? nw : 1, sizeof(*g2));
    double *gb = xcalloc((size_t)m->nlabels, sizeof(*gb));
    double *s = xmalloc((size_t)m->nlabels * sizeof(*s));
    size_t *order = xmalloc(n * sizeof(*order));
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    int *act = xmalloc((size_t)m->nlabels * sizeof(*act));
    float *gact = xmalloc((size_t)m->nlabels * sizeof(*gact));
    uint64_t rs = o.seed;
    for (int ep = 0; ep < o.epochs; ep++) {
        for (size_t i = n; i > 1; i--) { /* Fisher–Yates */
            size_t j = (size_t)(next_rand(&rs) % i);
            size_t t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        for (size_t r = 0; r < n; r++) {
            size_t i = order[r];
            scores(m, ex[i], exn[i], s);
            softmax(s, m->nlabels, 1.0);
            s[y[i]] -= 1.0; /* the gradient of the loss by each score */
            double x = weight(exn[i]);
            /* The classes with something to learn from this example (a
             * class far from it has a gradient near 0), then each feature's
             * row of weights in one pass (rows are contiguous). */
            int nact = 0;
            for (int c = 0; c < m->nlabels; c++) {
                double g = s[c];
                if (fabs(g) < 1e-4)
                    continue;
                gb[c] += g * g;
                m->bias[c] -= (float)(o.rate * g / sqrt(gb[c] + 1e-8));
                act[nact] = c;
                gact[nact++] = (float)(g * x);
            }
            for (size_t j = 0; j < exn[i]; j++) {
                float *w = m->w + (size_t)ex[i][j] * (size_t)m->nlabels;
                float *acc = g2 + (size_t)ex[i][j] * (size_t)m->nlabels;
                for (int q = 0; q < nact; q++) {
                    int c = act[q];
                    float gw = gact[q] + (float)o.l2 * w[c];
                    acc[c] += gw * gw;
                    w[c] -= (float)o.rate * gw / sqrtf(acc[c] + 1e-8f);
                }
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        free(ex[i]);
    free(ex);
    free(exn);
    free(y);
    free(g2);
    free(gb);
    free(s);
    free(act);
    free(gact);
    free(order);
    fingerprint(m);
    return m;
}

int classifier_predict(const struct classifier *m, const char *text, int top,
                       struct classify_hit *out)
{
    uint32_t idx[MAX_FEATURES];
    size_t k = indices(m, text, idx);
    double *s = xmalloc((size_t)m->nlabels * sizeof(*s));
    scores(m, idx, k, s);
    softmax(s, m->nlabels, m->temperature);
    int got = 0;
    for (int c = 0; c < m->nlabels; c++) {
        /* Insert into the sorted top list. */
        int at = got < top ? got : top;
        while (at > 0 && out[at - 1].score < s[c])
            at--;
        if (at >= top)
            continue;
        int last = got < top ? got : top - 1;
        for (int q = last; q > at; q--)
            out[q] = out[q - 1];
        out[at].label = c;
        out[at].score = s[c];
        if (got < top)
            got++;
    }
    free(s);
    return got;
}

int classifier_labels(const struct classifier *m)
{
    return m->nlabels;
}

const char *classifier_label(const struct classifier *m, int i)
{
    return i >= 0 && i < m->nlabels ? m->labels[i] : NULL;
}

double classifier_temperature(const struct classifier *m)
{
    return m->temperature;
}

void classifier_set_temperature(struct classifier *m, double t)
{
    m->temperature = t > 0 ? t : 1.0;
}

const char *classifier_version(const struct classifier *m)
{
    return m->version;
}

void classifier_free(struct classifier *m)
{
    if (!m)
        return;
    for (int c = 0; c < m->nlabels; c++)
        free(m->labels[c]);
    free(m->labels);
    free(m->keys);
    free(m->slot);
    free(m->w);
    free(m->bias);
    free(m);
}

/* ------------------------------------------------------------ the file */

/* MAGIC, nlabels, nfeat, temperature, the labels (NUL-terminated), the
 * feature hashes in index order, the biases, the weights; little-endian
 * as the machine writes it (the file is rebuilt by pingan train, not moved
 * between architectures). */
int classifier_save(const struct classifier *m, const char *path, struct err *e)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return err_set(e, ERR_INTERNAL, "cannot_write", NULL, "无法写入模型文件 %s", path);
    uint64_t *hashes = xcalloc(m->nfeat ? m->nfeat : 1, sizeof(*hashes));
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i])
            hashes[m->slot[i]] = m->keys[i];
    int32_t nl = m->nlabels;
    uint64_t nf = m->nfeat;
    int ok = fwrite(MAGIC, 1, sizeof(MAGIC), f) == sizeof(MAGIC) && fwrite(&nl, sizeof(nl), 1, f) == 1 &&
             fwrite(&nf, sizeof(nf), 1, f) == 1 &&
             fwrite(&m->temperature, sizeof(m->temperature), 1, f) == 1;
    for (int c = 0; ok && c < m->nlabels; c++)
        ok = fwrite(m->labels[c], 1, strlen(m->labels[c]) + 1, f) == strlen(m->labels[c]) + 1;
    ok = ok && fwrite(hashes, sizeof(*hashes), m->nfeat, f) == m->nfeat &&
         fwrite(m->bias, sizeof(*m->bias), (size_t)nl, f) == (size_t)nl &&
         fwrite(m->w, sizeof(*m->w), m->nfeat * (size_t)nl, f) == m->nfeat * (size_t)nl;
    free(hashes);
    ok = fflush(f) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return err_set(e, ERR_INTERNAL, "cannot_write", NULL, "无法写入模型文件 %s", path);
    }
    return 0;
}

struct classifier *classifier_load(const char *path, struct err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(e, ERR_NOT_FOUND, "no_model", NULL, "模型文件 %s 不存在", path);
        return NULL;
    }
    struct classifier *m = xcalloc(1, sizeof(*m));
    char magic[sizeof(MAGIC)];
    int32_t nl = 0;
    uint64_t nf = 0;
    int ok = fread(magic, 1, sizeof(magic), f) == sizeof(magic) && memcmp(magic, MAGIC, sizeof(MAGIC)) == 0 &&
             fread(&nl, sizeof(nl), 1, f) == 1 && fread(&nf, sizeof(nf), 1, f) == 1 &&
             fread(&m->temperature, sizeof(m->temperature), 1, f) == 1 && nl > 0 && nl < 100000 &&
             nf < (1ull << 28) && m->temperature > 0 && m->temperature < 100;
    if (ok) {
        m->labels = xcalloc((size_t)nl, sizeof(*m->labels));
        for (int c = 0; ok && c < nl; c++) {
            char buf[64];
            size_t k = 0;
            int ch;
            while ((ch = fgetc(f)) > 0 && k < sizeof(buf) - 1)
                buf[k++] = (char)ch;
            buf[k] = '\0';
            ok = ch == 0 && k > 0;
            m->labels[c] = xstrdup(buf);
            m->nlabels = c + 1;
        }
    }
    uint64_t *hashes = NULL;
    if (ok) {
        m->nfeat = nf;
        hashes = xcalloc(nf ? nf : 1, sizeof(*hashes));
        m->bias = xcalloc((size_t)nl, sizeof(*m->bias));
        size_t nw = nf * (size_t)nl;
        m->w = xcalloc(nw ? nw : 1, sizeof(*m->w));
        ok = fread(hashes, sizeof(*hashes), nf, f) == nf &&
             fread(m->bias, sizeof(*m->bias), (size_t)nl, f) == (size_t)nl &&
             fread(m->w, sizeof(*m->w), nf * (size_t)nl, f) == nf * (size_t)nl && fgetc(f) == EOF;
    }
    fclose(f);
    if (ok) {
        m->cap = 1024;
        while (m->cap < 2 * nf + 2)
            m->cap *= 2;
        m->keys = xcalloc(m->cap, sizeof(*m->keys));
        m->slot = xcalloc(m->cap, sizeof(*m->slot));
        for (uint64_t i = 0; ok && i < nf; i++) {
            ok = hashes[i] != 0 && find(m, hashes[i]) < 0;
            if (ok)
                insert(m, hashes[i], (uint32_t)i);
        }
    }
    free(hashes);
    if (!ok) {
        classifier_free(m);
        err_set(e, ERR_INVALID, "bad_model", NULL, "模型文件 %s 已损坏或格式不对", path);
        return NULL;
    }
    fingerprint(m);
    return m;
}

/* ------------------------------------------------------------ evaluation */

int classifier_cv(const char *const *labels, const char *const *texts, size_t n, int k,
                  const struct train_opts *opts, struct cv_result *out, struct err *e)
{
    memset(out, 0, sizeof(*out));
    if (k < 2 || (size_t)k > n)
        return err_set(e, ERR_INVALID, "bad_folds", NULL, "折数应在 2 与样本数之间");
    /* Folds by a deterministic shuffle. */
    size_t *order = xmalloc(n * sizeof(*order));
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    uint64_t rs = 0xC0FFEE;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(next_rand(&rs) % i), t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    /* Held-out raw scores, to fit the temperature afterwards. */
    double *logits = NULL;
    int *truth = xmalloc(n * sizeof(*truth));
    int nl = 0;
    size_t right1 = 0, right3 = 0, rightmaj = 0;
    const char **tl = xmalloc(n * sizeof(*tl)), **tt = xmalloc(n * sizeof(*tt));
    for (int fold = 0; fold < k; fold++) {
        size_t nt = 0;
        for (size_t r = 0; r < n; r++)
            if ((int)(r % (size_t)k) != fold) {
                tl[nt] = labels[order[r]];
                tt[nt++] = texts[order[r]];
            }
        struct classifier *m = classifier_train(tl, tt, nt, opts, e);
        if (!m) {
            free(order), free(truth), free(tl), free(tt), free(logits);
            return -1;
        }
        if (!logits) {
            nl = m->nlabels;
            logits = xcalloc(n * (size_t)(nl + 1), sizeof(*logits));
        }
        for (size_t r = (size_t)fold; r < n; r += (size_t)k) {
            size_t i = order[r];
            uint32_t idx[MAX_FEATURES];
            size_t kk = indices(m, texts[i], idx);
            double *s = logits + r * (size_t)(nl + 1);
            if (m->nlabels == nl) {
                scores(m, idx, kk, s);
                truth[r] = label_index(m, labels[i]);
            } else {
                truth[r] = -1; /* a label missing from this fold's training */
            }
            struct classify_hit hit[3];
            int got = classifier_predict(m, texts[i], 3, hit);
            for (int q = 0; q < got; q++) {
                const char *code = m->labels[hit[q].label];
                if (strcmp(code, labels[i]) == 0) {
                    right3++;
                    right1 += q == 0;
                }
                if (q == 0 && strncmp(code, labels[i], 2) == 0)
                    rightmaj++;
            }
        }
        classifier_free(m);
    }
    out->n = n;
    out->top1 = (double)right1 / (double)n;
    out->top3 = (double)right3 / (double)n;
    out->major1 = (double)rightmaj / (double)n;
    /* The temperature with the least held-out log loss. */
    double best_t = 1.0, best_nll = INFINITY;
    double *p = xmalloc((size_t)nl * sizeof(*p));
    for (double t = 0.25; t <= 4.0; t *= 1.1) {
        double nll = 0;
        size_t cnt = 0;
        for (size_t r = 0; r < n; r++) {
            if (truth[r] < 0)
                continue;
            memcpy(p, logits + r * (size_t)(nl + 1), (size_t)nl * sizeof(*p));
            softmax(p, nl, t);
            nll -= log(p[truth[r]] + 1e-12);
            cnt++;
        }
        if (cnt && nll / (double)cnt < best_nll) {
            best_nll = nll / (double)cnt;
            best_t = t;
        }
    }
    out->temperature = best_t;
    /* Expected calibration error of the top score at that temperature, in
     * ten bins. */
    double bin_conf[10] = {0}, bin_acc[10] = {0};
    size_t bin_n[10] = {0}, cnt = 0;
    for (size_t r = 0; r < n; r++) {
        if (truth[r] < 0)
            continue;
        memcpy(p, logits + r * (size_t)(nl + 1), (size_t)nl * sizeof(*p));
        softmax(p, nl, best_t);
        int arg = 0;
        for (int c = 1; c < nl; c++)
            if (p[c] > p[arg])
                arg = c;
        int b = (int)(p[arg] * 10);
        if (b > 9)
            b = 9;
        bin_conf[b] += p[arg];
        bin_acc[b] += arg == truth[r];
        bin_n[b]++;
        cnt++;
    }
    for (int b = 0; b < 10; b++)
        if (bin_n[b])
            out->ece += fabs(bin_conf[b] - bin_acc[b]) / (double)(cnt ? cnt : 1);
    free(p);
    free(order);
    free(truth);
    free(tl);
    free(tt);
    free(logits);
    return 0;
}
