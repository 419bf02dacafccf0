#include "seal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "durable.h"
#include "xalloc.h"

#define KEY_BYTES 32
#define NONCE_BYTES 24
#define TAG_BYTES 16
#define REC_BYTES (1 + 2 * KEY_BYTES)
#define HEAD_BYTES 6
#define SUM_BYTES 32
#define MAX_GENS 255
#define FILE_MAX (HEAD_BYTES + MAX_GENS * REC_BYTES + SUM_BYTES)
#define FORMAT_VERSION 1
static const unsigned char magic[4] = {'P', 'G', 'S', 'K'};

_Static_assert(KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES, "aead key size");
_Static_assert(NONCE_BYTES == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, "nonce size");
_Static_assert(TAG_BYTES == crypto_aead_xchacha20poly1305_ietf_ABYTES, "tag size");
_Static_assert(KEY_BYTES == crypto_generichash_KEYBYTES, "index key size");
_Static_assert(SEAL_OVERHEAD == 1 + NONCE_BYTES + TAG_BYTES, "SEAL_OVERHEAD");
_Static_assert(SEAL_INDEX_BYTES <= crypto_generichash_BYTES_MAX, "index size");

struct gen {
    unsigned char id;
    unsigned char box[KEY_BYTES];
    unsigned char idx[KEY_BYTES];
};

struct seal {
    size_t n;
    struct gen *gen; /* sodium_malloc'd, read-only while open; gen[n - 1] is the newest */
};

static int crypto_ready(struct err *e)
{
    /* sodium_init is idempotent and thread-safe; 1 means "already done". */
    if (sodium_init() < 0)
        return err_set(e, ERR_INTERNAL, "crypto_init", NULL, "加密库初始化失败");
    return 0;
}

/* Key material lives in guarded, mlock'ed memory (sodium_malloc does the
 * mlock where RLIMIT_MEMLOCK allows; failure to lock is not fatal). */
static struct gen *gens_alloc(size_t n)
{
    struct gen *g = sodium_malloc(n * sizeof(*g));
    if (!g)
        BUG("sodium_malloc(%zu) failed", n * sizeof(*g));
    return g;
}

static void gens_free(struct gen *g, size_t n)
{
    if (!g)
        return;
    sodium_mprotect_readwrite(g);
    sodium_memzero(g, n * sizeof(*g));
    sodium_free(g); /* wipes and munlocks again; belt and braces */
}

static int io_error(struct err *e, const char *what, const char *path)
{
    return err_set(e, ERR_INTERNAL, "key_file_io", NULL, "密钥文件 %s %s失败：%s", path, what,
                   strerror(errno));
}

static void checksum(const unsigned char *p, size_t n, unsigned char out[SUM_BYTES])
{
    crypto_generichash(out, SUM_BYTES, p, n, NULL, 0);
}

/* Reads and parses the open key file fd. Returns the generations (sodium
 * memory, read-write; *n of them), or NULL with e set. */
static struct gen *load_fd(int fd, const char *path, size_t *n, struct err *e)
{
    struct stat st;
    if (fstat(fd, &st) < 0) {
        io_error(e, "读取属性", path);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        err_set(e, ERR_INTERNAL, "key_file_insecure", NULL, "密钥文件 %s 不是普通文件", path);
        return NULL;
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        err_set(e, ERR_INTERNAL, "key_file_insecure", NULL,
                "密钥文件 %s 的权限为 %04o，组或其他用户可以访问；请执行 chmod 600 %s", path,
                (unsigned)(st.st_mode & 07777), path);
        return NULL;
    }
    if (st.st_size < HEAD_BYTES + REC_BYTES + SUM_BYTES || st.st_size > FILE_MAX) {
        err_set(e, ERR_INTERNAL, "key_file_corrupt", NULL, "密钥文件 %s 长度 %lld 不对", path,
                (long long)st.st_size);
        return NULL;
    }

    struct gen *ret = NULL;
    size_t size = (size_t)st.st_size, got = 0, count = 0;
    unsigned char *raw = sodium_malloc(FILE_MAX + 1);
    struct gen *g = NULL;
    if (!raw)
        BUG("sodium_malloc failed");
    /* Read one byte more than fstat said, to notice a file that grew. */
    while (got <= size) {
        ssize_t r = read(fd, raw + got, size + 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            io_error(e, "读取", path);
            goto out;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    unsigned char sum[SUM_BYTES];
    if (got != size || size < HEAD_BYTES || memcmp(raw, magic, 4) != 0 ||
        raw[4] != FORMAT_VERSION || raw[5] == 0 ||
        size != HEAD_BYTES + (size_t)raw[5] * REC_BYTES + SUM_BYTES) {
        err_set(e, ERR_INTERNAL, "key_file_corrupt", NULL,
                "密钥文件 %s 格式不对（文件头或长度），不是平安密钥文件或已损坏", path);
        goto out;
    }
    checksum(raw, size - SUM_BYTES, sum);
    if (sodium_memcmp(sum, raw + size - SUM_BYTES, SUM_BYTES) != 0) {
        err_set(e, ERR_INTERNAL, "key_file_corrupt", NULL, "密钥文件 %s 校验和不符，已损坏", path);
        goto out;
    }
    count = raw[5];
    g = gens_alloc(count);
    for (size_t i = 0; i < count; i++) {
        const unsigned char *r = raw + HEAD_BYTES + i * REC_BYTES;
        g[i].id = r[0];
        memcpy(g[i].box, r + 1, KEY_BYTES);
        memcpy(g[i].idx, r + 1 + KEY_BYTES, KEY_BYTES);
        int dup = 0;
        for (size_t j = 0; j < i; j++)
            dup |= g[j].id == g[i].id;
        if (g[i].id == 0 || dup) {
            err_set(e, ERR_INTERNAL, "key_file_corrupt", NULL, "密钥文件 %s 的密钥编号 %u 无效或重复",
                    path, g[i].id);
            goto out;
        }
    }
    *n = count;
    ret = g;
    g = NULL;
out:
    gens_free(g, count);
    sodium_free(raw);
    return ret;
}

/*
 * Writes gens to key_path durably (durable.h), mode 0600. With noreplace a
 * concurrent creator that won is not overwritten: returns 1.
 */
static int write_atomic(const char *path, const struct gen *g, size_t n, int noreplace,
                        struct err *e)
{
    BUG_ON(n == 0 || n > MAX_GENS);
    size_t size = HEAD_BYTES + n * REC_BYTES + SUM_BYTES;
    unsigned char *raw = sodium_malloc(size);
    if (!raw)
        BUG("sodium_malloc failed");
    memcpy(raw, magic, 4);
    raw[4] = FORMAT_VERSION;
    raw[5] = (unsigned char)n;
    for (size_t i = 0; i < n; i++) {
        unsigned char *r = raw + HEAD_BYTES + i * REC_BYTES;
        r[0] = g[i].id;
        memcpy(r + 1, g[i].box, KEY_BYTES);
        memcpy(r + 1 + KEY_BYTES, g[i].idx, KEY_BYTES);
    }
    checksum(raw, size - SUM_BYTES, raw + size - SUM_BYTES);
    int rc = durable_write(path, raw, size, 0600, noreplace, "key_file_io", e);
    sodium_free(raw);
    return rc;
}

static void gen_fresh(struct gen *g, unsigned char id)
{
    g->id = id;
    crypto_aead_xchacha20poly1305_ietf_keygen(g->box);
    crypto_generichash_keygen(g->idx);
}

struct seal *seal_open(const char *key_path, int create, struct err *e)
{
    if (crypto_ready(e) < 0)
        return NULL;
    int fd = open(key_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        struct gen *g = gens_alloc(1);
        gen_fresh(g, 1);
        int rc = write_atomic(key_path, g, 1, 1, e);
        gens_free(g, 1);
        if (rc < 0)
            return NULL;
        /* Created, or created meanwhile by someone else: read it back either
         * way, which also checks what was written. */
        fd = open(key_path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        if (errno == ENOENT)
            err_set(e, ERR_INTERNAL, "key_file_missing", NULL, "密钥文件 %s 不存在", key_path);
        else
            io_error(e, "打开", key_path);
        return NULL;
    }
    size_t n = 0;
    struct gen *g = load_fd(fd, key_path, &n, e);
    close(fd);
    if (!g)
        return NULL;
    sodium_mprotect_readonly(g);
    struct seal *s = xmalloc(sizeof(*s));
    s->n = n;
    s->gen = g;
    return s;
}

void seal_close(struct seal *s)
{
    if (!s)
        return;
    gens_free(s->gen, s->n);
    free(s);
}

static const struct gen *find_gen(const struct seal *s, unsigned id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->gen[i].id == id)
            return &s->gen[i];
    return NULL;
}

/* Associated data: key id byte, then the context. */
static unsigned char *make_ad(unsigned char id, const char *context, size_t *adlen)
{
    size_t cl = strlen(context);
    unsigned char *ad = xmalloc(cl + 1);
    ad[0] = id;
    memcpy(ad + 1, context, cl);
    *adlen = cl + 1;
    return ad;
}

int seal_encrypt(const struct seal *s, const char *plain, size_t len, const char *context,
                 struct buf *out)
{
    BUG_ON(!context || !*context);
    if (len > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX ||
        len > (size_t)-1 / 2 - SEAL_OVERHEAD)
        return -1;
    const struct gen *g = &s->gen[s->n - 1];
    size_t total = SEAL_OVERHEAD + len, adlen;
    unsigned char *blob = xmalloc(total);
    unsigned char *ad = make_ad(g->id, context, &adlen);
    blob[0] = g->id;
    randombytes_buf(blob + 1, NONCE_BYTES);
    unsigned long long clen;
    crypto_aead_xchacha20poly1305_ietf_encrypt(blob + 1 + NONCE_BYTES, &clen,
                                               (const unsigned char *)plain, len, ad, adlen, NULL,
                                               blob + 1, g->box);
    BUG_ON(clen != len + TAG_BYTES);
    int rc = buf_add(out, blob, total);
    free(ad);
    free(blob);
    return rc;
}

int seal_decrypt(const struct seal *s, const void *blob, size_t len, const char *context,
                 struct buf *out, struct err *e)
{
    BUG_ON(!context || !*context);
    const unsigned char *b = blob;
    if (len < SEAL_OVERHEAD)
        return err_set(e, ERR_INTERNAL, "decrypt_failed", NULL, "密文长度 %zu 太短，无法解密",
                       len);
    const struct gen *g = find_gen(s, b[0]);
    if (!g)
        return err_set(e, ERR_INTERNAL, "decrypt_failed", NULL,
                       "密文使用的密钥编号 %u 不在密钥文件中，无法解密", b[0]);
    size_t plen = len - SEAL_OVERHEAD, adlen;
    unsigned char *plain = xmalloc(plen + 1);
    unsigned char *ad = make_ad(b[0], context, &adlen);
    unsigned long long got;
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &got, NULL, b + 1 + NONCE_BYTES,
                                                        len - 1 - NONCE_BYTES, ad, adlen, b + 1,
                                                        g->box);
    if (rc != 0) {
        rc = err_set(e, ERR_INTERNAL, "decrypt_failed", NULL,
                     "解密失败：密文被改动，或不属于字段 %s", context);
    } else if (buf_add(out, plain, plen) < 0) {
        rc = err_set(e, ERR_INTERNAL, "too_large", NULL, "解密结果超过缓冲区上限");
    }
    sodium_memzero(plain, plen + 1);
    free(plain);
    free(ad);
    return rc;
}

static void index_with(const struct gen *g, const char *context, const char *value,
                       unsigned char out[SEAL_INDEX_BYTES])
{
    BUG_ON(!context || !*context || !value);
    crypto_generichash_state st;
    crypto_generichash_init(&st, g->idx, KEY_BYTES, SEAL_INDEX_BYTES);
    /* The context's NUL ends it, so (context, value) pairs cannot collide. */
    crypto_generichash_update(&st, (const unsigned char *)context, strlen(context) + 1);
    crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
    crypto_generichash_final(&st, out, SEAL_INDEX_BYTES);
    sodium_memzero(&st, sizeof(st));
}

void seal_blind_index(const struct seal *s, const char *context, const char *normalised_value,
                      unsigned char out[SEAL_INDEX_BYTES])
{
    index_with(&s->gen[s->n - 1], context, normalised_value, out);
}

int seal_blind_index_gen(const struct seal *s, unsigned key_id, const char *context,
                         const char *normalised_value, unsigned char out[SEAL_INDEX_BYTES])
{
    const struct gen *g = find_gen(s, key_id);
    if (!g)
        return -1;
    index_with(g, context, normalised_value, out);
    return 0;
}

unsigned seal_current_id(const struct seal *s)
{
    return s->gen[s->n - 1].id;
}

size_t seal_key_ids(const struct seal *s, unsigned char ids[255])
{
    for (size_t i = 0; i < s->n; i++)
        ids[i] = s->gen[i].id;
    return s->n;
}

int seal_blob_key_id(const void *blob, size_t len)
{
    if (len < SEAL_OVERHEAD)
        return -1;
    return ((const unsigned char *)blob)[0];
}

/*
 * Opens key_path and takes an exclusive flock on it. A rotation replaces the
 * file by rename, so a waiter may end up holding the lock on the old inode:
 * after locking, check that the path still names the locked file, else retry.
 */
static int lock_key_file(const char *path, struct err *e)
{
    for (int tries = 0; tries < 100; tries++) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            if (errno == ENOENT)
                return err_set(e, ERR_INTERNAL, "key_file_missing", NULL, "密钥文件 %s 不存在",
                               path);
            return io_error(e, "打开", path);
        }
        struct stat a, b;
        while (flock(fd, LOCK_EX) < 0) {
            if (errno != EINTR) {
                close(fd);
                return io_error(e, "加锁", path);
            }
        }
        if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
            a.st_ino == b.st_ino)
            return fd;
        close(fd);
    }
    return err_set(e, ERR_INTERNAL, "key_file_io", NULL, "密钥文件 %s 一直在被替换，无法加锁",
                   path);
}

/* Loads the locked key file, lets edit() build the new generation list and
 * writes it. Returns edit's result or -1. */
static int rewrite(const char *path, int (*edit)(const struct gen *old, size_t n,
                                                 struct gen *out, size_t *nout, struct err *e),
                   struct err *e)
{
    if (crypto_ready(e) < 0)
        return -1;
    int fd = lock_key_file(path, e);
    if (fd < 0)
        return -1;
    struct gen *neu = NULL;
    size_t n = 0, nout = 0;
    int rc = -1;
    struct gen *old = load_fd(fd, path, &n, e);
    if (!old)
        goto out;
    neu = gens_alloc(MAX_GENS);
    rc = edit(old, n, neu, &nout, e);
    if (rc < 0 || nout == n) /* nothing to change */
        goto out;
    if (write_atomic(path, neu, nout, 0, e) < 0)
        rc = -1;
out:
    gens_free(old, n);
    gens_free(neu, MAX_GENS);
    close(fd); /* releases the lock */
    return rc;
}

static int edit_rotate(const struct gen *old, size_t n, struct gen *out, size_t *nout,
                       struct err *e)
{
    if (n >= MAX_GENS)
        return err_set(e, ERR_CONFLICT, "key_ids_exhausted", NULL,
                       "密钥文件已有 %d 代密钥；请先完成重新加密并删除旧密钥", MAX_GENS);
    /* The next id after the newest, wrapping 255 -> 1, skipping ids in use. */
    unsigned id = old[n - 1].id;
    for (;;) {
        id = id % MAX_GENS + 1;
        int used = 0;
        for (size_t i = 0; i < n; i++)
            used |= old[i].id == id;
        if (!used)
            break;
    }
    memcpy(out, old, n * sizeof(*old));
    gen_fresh(&out[n], (unsigned char)id);
    *nout = n + 1;
    return (int)id;
}

static int edit_drop(const struct gen *old, size_t n, struct gen *out, size_t *nout,
                     struct err *e)
{
    (void)e;
    out[0] = old[n - 1];
    *nout = 1;
    return (int)(n - 1);
}

int seal_rotate(const char *key_path, struct err *e)
{
    return rewrite(key_path, edit_rotate, e);
}

int seal_drop_old(const char *key_path, struct err *e)
{
    return rewrite(key_path, edit_drop, e);
}
