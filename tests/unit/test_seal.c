/* Unit tests of util/seal: encryption at rest, blind indexes, the key file. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "util/seal.h"

static char dir[64];
static char key_path[128];

#define CODE_IS(e, c) ((e).code && strcmp((e).code, (c)) == 0)

static void fresh_dir(void)
{
    snprintf(dir, sizeof(dir), "/tmp/test_seal.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(2);
    }
    snprintf(key_path, sizeof(key_path), "%s/pingan.key", dir);
}

static void remove_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char p[512];
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
        unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static size_t dir_entries(void)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t n = 0;
    while (d && (de = readdir(d)))
        n += de->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static struct seal *open_ok(int create)
{
    struct err e = ERR_INIT;
    struct seal *s = seal_open(key_path, create, &e);
    if (!s)
        fprintf(stderr, "seal_open: %s: %s\n", e.code, e.message);
    return s;
}

static void test_round_trip(void)
{
    fresh_dir();
    struct seal *s = open_ok(1);
    CHECK(s != NULL);
    if (!s)
        return;
    struct stat st;
    CHECK(stat(key_path, &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK(dir_entries() == 1); /* no temp file left behind */

    const char *id = "11010519491231002X";
    struct buf blob = BUF_INIT, plain = BUF_INIT;
    CHECK(seal_encrypt(s, id, strlen(id), "person.id_number", &blob) == 0);
    CHECK(blob.len == strlen(id) + SEAL_OVERHEAD);
    CHECK(seal_blob_key_id(blob.ptr, blob.len) == 1 && seal_current_id(s) == 1);
    /* The ciphertext does not contain the plaintext, nor a long piece of it. */
    CHECK(memmem(blob.ptr, blob.len, id, strlen(id)) == NULL);
    CHECK(memmem(blob.ptr, blob.len, "19491231", 8) == NULL);

    struct err e = ERR_INIT;
    CHECK(seal_decrypt(s, blob.ptr, blob.len, "person.id_number", &plain, &e) == 0);
    CHECK_STR(plain.ptr, id);
    CHECK(plain.len == strlen(id));

    /* Two encryptions of one value differ (random nonce). */
    struct buf blob2 = BUF_INIT;
    CHECK(seal_encrypt(s, id, strlen(id), "person.id_number", &blob2) == 0);
    CHECK(blob2.len == blob.len && memcmp(blob.ptr, blob2.ptr, blob.len) != 0);

    /* Empty and binary plaintexts. */
    buf_reset(&blob2);
    buf_reset(&plain);
    CHECK(seal_encrypt(s, "", 0, "person.phone", &blob2) == 0 && blob2.len == SEAL_OVERHEAD);
    CHECK(seal_decrypt(s, blob2.ptr, blob2.len, "person.phone", &plain, &e) == 0 &&
          plain.len == 0);
    buf_reset(&blob2);
    CHECK(seal_encrypt(s, "a\0b", 3, "person.phone", &blob2) == 0);
    CHECK(seal_decrypt(s, blob2.ptr, blob2.len, "person.phone", &plain, &e) == 0 &&
          plain.len == 3 && memcmp(plain.ptr, "a\0b", 3) == 0);

    /* A capped output buffer: -1, nothing appended. */
    struct buf small;
    buf_init(&small, 10);
    CHECK(seal_encrypt(s, id, strlen(id), "person.id_number", &small) == -1 && small.len == 0);
    CHECK(seal_decrypt(s, blob.ptr, blob.len, "person.id_number", &small, &e) == -1 &&
          CODE_IS(e, "too_large") && small.len == 0);

    buf_release(&blob);
    buf_release(&blob2);
    buf_release(&plain);
    buf_release(&small);
    seal_close(s);
    remove_dir();
}

static void test_tamper(void)
{
    fresh_dir();
    struct seal *s = open_ok(1);
    CHECK(s != NULL);
    if (!s)
        return;
    const char *phone = "13800138000";
    struct buf blob = BUF_INIT, plain = BUF_INIT;
    CHECK(seal_encrypt(s, phone, strlen(phone), "person.phone", &blob) == 0);

    struct err e = ERR_INIT;
    CHECK(seal_decrypt(s, blob.ptr, blob.len, "person.id_number", &plain, &e) == -1);
    CHECK(CODE_IS(e, "decrypt_failed") && e.kind == ERR_INTERNAL && plain.len == 0);

    /* Every single flipped bit, in key id, nonce, ciphertext or tag, fails. */
    int all_failed = 1;
    for (size_t i = 0; i < blob.len * 8; i++) {
        blob.ptr[i / 8] ^= (char)(1u << (i % 8));
        e = (struct err)ERR_INIT;
        if (seal_decrypt(s, blob.ptr, blob.len, "person.phone", &plain, &e) != -1 ||
            !CODE_IS(e, "decrypt_failed") || plain.len != 0)
            all_failed = 0;
        blob.ptr[i / 8] ^= (char)(1u << (i % 8));
    }
    CHECK(all_failed);

    /* Unknown key id, truncated and empty blobs. */
    e = (struct err)ERR_INIT;
    blob.ptr[0] = 9;
    CHECK(seal_decrypt(s, blob.ptr, blob.len, "person.phone", &plain, &e) == -1 &&
          CODE_IS(e, "decrypt_failed") && strstr(e.message, "9") != NULL);
    blob.ptr[0] = 1;
    e = (struct err)ERR_INIT;
    CHECK(seal_decrypt(s, blob.ptr, blob.len - 1, "person.phone", &plain, &e) == -1 &&
          CODE_IS(e, "decrypt_failed"));
    e = (struct err)ERR_INIT;
    CHECK(seal_decrypt(s, blob.ptr, SEAL_OVERHEAD - 1, "person.phone", &plain, &e) == -1 &&
          CODE_IS(e, "decrypt_failed"));
    e = (struct err)ERR_INIT;
    CHECK(seal_decrypt(s, "", 0, "person.phone", &plain, &e) == -1 && CODE_IS(e, "decrypt_failed"));
    CHECK(seal_blob_key_id("", 0) == -1);
    e = (struct err)ERR_INIT;
    CHECK(seal_decrypt(s, blob.ptr, blob.len, "person.phone", &plain, &e) == 0);
    CHECK_STR(plain.ptr, phone);

    buf_release(&blob);
    buf_release(&plain);
    seal_close(s);
    remove_dir();
}

static void test_key_file(void)
{
    fresh_dir();
    struct err e = ERR_INIT;
    /* Missing with create = 0. */
    CHECK(seal_open(key_path, 0, &e) == NULL && CODE_IS(e, "key_file_missing"));
    CHECK(access(key_path, F_OK) != 0);

    struct seal *a = open_ok(1);
    CHECK(a != NULL);
    if (!a)
        return;
    /* Reopen (create = 1 must not overwrite) gives the same keys. */
    struct seal *b = open_ok(1);
    struct seal *c = open_ok(0);
    CHECK(b != NULL && c != NULL);
    if (!b || !c)
        return;
    unsigned char ia[SEAL_INDEX_BYTES], ib[SEAL_INDEX_BYTES], ic[SEAL_INDEX_BYTES];
    seal_blind_index(a, "person.id_number", "110105194912310029", ia);
    seal_blind_index(b, "person.id_number", "110105194912310029", ib);
    seal_blind_index(c, "person.id_number", "110105194912310029", ic);
    CHECK(memcmp(ia, ib, sizeof(ia)) == 0 && memcmp(ia, ic, sizeof(ia)) == 0);
    struct buf blob = BUF_INIT, plain = BUF_INIT;
    CHECK(seal_encrypt(a, "张三", strlen("张三"), "person.name", &blob) == 0);
    CHECK(seal_decrypt(c, blob.ptr, blob.len, "person.name", &plain, &e) == 0);
    CHECK_STR(plain.ptr, "张三");
    seal_close(b);
    seal_close(c);

    /* A group/world-readable key file is refused, by open and by rotate. */
    CHECK(chmod(key_path, 0644) == 0);
    e = (struct err)ERR_INIT;
    CHECK(seal_open(key_path, 1, &e) == NULL && CODE_IS(e, "key_file_insecure"));
    CHECK(strstr(e.message, "0644") != NULL);
    e = (struct err)ERR_INIT;
    CHECK(seal_rotate(key_path, &e) == -1 && CODE_IS(e, "key_file_insecure"));
    CHECK(chmod(key_path, 0640) == 0);
    e = (struct err)ERR_INIT;
    CHECK(seal_open(key_path, 0, &e) == NULL && CODE_IS(e, "key_file_insecure"));
    CHECK(chmod(key_path, 0400) == 0); /* owner read-only is fine */
    c = open_ok(0);
    CHECK(c != NULL);
    seal_close(c);
    CHECK(chmod(key_path, 0600) == 0);

    /* A corrupted key file is refused, not used. */
    int fd = open(key_path, O_RDWR);
    unsigned char byte = 0;
    CHECK(fd >= 0 && pread(fd, &byte, 1, 20) == 1);
    byte ^= 1;
    CHECK(pwrite(fd, &byte, 1, 20) == 1);
    e = (struct err)ERR_INIT;
    CHECK(seal_open(key_path, 0, &e) == NULL && CODE_IS(e, "key_file_corrupt"));
    byte ^= 1;
    CHECK(pwrite(fd, &byte, 1, 20) == 1);
    CHECK(ftruncate(fd, 50) == 0);
    e = (struct err)ERR_INIT;
    CHECK(seal_open(key_path, 0, &e) == NULL && CODE_IS(e, "key_file_corrupt"));
    close(fd);

    /* Not a regular file. */
    char sub[192];
    snprintf(sub, sizeof(sub), "%s/adir", dir);
    CHECK(mkdir(sub, 0700) == 0);
    e = (struct err)ERR_INIT;
    CHECK(seal_open(sub, 0, &e) == NULL && e.code != NULL);
    rmdir(sub);

    buf_release(&blob);
    buf_release(&plain);
    seal_close(a);
    remove_dir();
}

static void test_blind_index(void)
{
    fresh_dir();
    struct seal *s = open_ok(1);
    CHECK(s != NULL);
    if (!s)
        return;
    unsigned char x[SEAL_INDEX_BYTES], y[SEAL_INDEX_BYTES], z[SEAL_INDEX_BYTES];
    seal_blind_index(s, "person.id_number", "13800138000", x);
    seal_blind_index(s, "person.id_number", "13800138000", y);
    CHECK(memcmp(x, y, sizeof(x)) == 0);                       /* deterministic */
    seal_blind_index(s, "person.phone", "13800138000", z);
    CHECK(memcmp(x, z, sizeof(x)) != 0);                       /* per context */
    seal_blind_index(s, "person.id_number", "13800138001", z);
    CHECK(memcmp(x, z, sizeof(x)) != 0);                       /* per value */
    /* The context/value boundary is unambiguous. */
    seal_blind_index(s, "a", "bc", y);
    seal_blind_index(s, "ab", "c", z);
    CHECK(memcmp(y, z, sizeof(y)) != 0);
    CHECK(seal_blind_index_gen(s, 1, "person.id_number", "13800138000", y) == 0 &&
          memcmp(x, y, sizeof(x)) == 0);
    CHECK(seal_blind_index_gen(s, 2, "person.id_number", "13800138000", y) == -1);
    seal_close(s);
    remove_dir();
}

static void test_rotate(void)
{
    fresh_dir();
    struct err e = ERR_INIT;
    CHECK(seal_rotate(key_path, &e) == -1 && CODE_IS(e, "key_file_missing"));
    struct seal *s1 = open_ok(1);
    CHECK(s1 != NULL);
    if (!s1)
        return;
    struct buf old = BUF_INIT, neu = BUF_INIT, plain = BUF_INIT;
    CHECK(seal_encrypt(s1, "13800138000", 11, "person.phone", &old) == 0);
    unsigned char i1[SEAL_INDEX_BYTES], i2[SEAL_INDEX_BYTES], t[SEAL_INDEX_BYTES];
    seal_blind_index(s1, "person.phone", "13800138000", i1);

    e = (struct err)ERR_INIT;
    CHECK(seal_rotate(key_path, &e) == 2);
    struct stat st;
    CHECK(stat(key_path, &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK(dir_entries() == 1);

    struct seal *s2 = open_ok(0);
    CHECK(s2 != NULL);
    if (!s2)
        return;
    unsigned char ids[255];
    CHECK(seal_key_ids(s2, ids) == 2 && ids[0] == 1 && ids[1] == 2);
    CHECK(seal_current_id(s2) == 2);
    /* Old blobs still decrypt; new blobs use the new key id. */
    CHECK(seal_decrypt(s2, old.ptr, old.len, "person.phone", &plain, &e) == 0);
    CHECK_STR(plain.ptr, "13800138000");
    CHECK(seal_encrypt(s2, "13800138000", 11, "person.phone", &neu) == 0);
    CHECK(seal_blob_key_id(neu.ptr, neu.len) == 2);
    /* A seal opened before the rotation does not know key 2. */
    e = (struct err)ERR_INIT;
    buf_reset(&plain);
    CHECK(seal_decrypt(s1, neu.ptr, neu.len, "person.phone", &plain, &e) == -1 &&
          CODE_IS(e, "decrypt_failed"));
    /* The blind index changes with the generation; the old one is still
     * reachable for look-ups during re-indexing. */
    seal_blind_index(s2, "person.phone", "13800138000", i2);
    CHECK(memcmp(i1, i2, sizeof(i1)) != 0);
    CHECK(seal_blind_index_gen(s2, 1, "person.phone", "13800138000", t) == 0 &&
          memcmp(t, i1, sizeof(t)) == 0);

    /* A second rotation, then drop the old generations. */
    e = (struct err)ERR_INIT;
    CHECK(seal_rotate(key_path, &e) == 3);
    e = (struct err)ERR_INIT;
    CHECK(seal_drop_old(key_path, &e) == 2);
    e = (struct err)ERR_INIT;
    CHECK(seal_drop_old(key_path, &e) == 0); /* nothing left to drop */
    CHECK(dir_entries() == 1);
    struct seal *s3 = open_ok(0);
    CHECK(s3 != NULL);
    if (!s3)
        return;
    CHECK(seal_key_ids(s3, ids) == 1 && ids[0] == 3 && seal_current_id(s3) == 3);
    e = (struct err)ERR_INIT;
    buf_reset(&plain);
    CHECK(seal_decrypt(s3, old.ptr, old.len, "person.phone", &plain, &e) == -1 &&
          CODE_IS(e, "decrypt_failed"));
    e = (struct err)ERR_INIT;
    CHECK(seal_rotate(key_path, &e) == 4);

    buf_release(&old);
    buf_release(&neu);
    buf_release(&plain);
    seal_close(s1);
    seal_close(s2);
    seal_close(s3);
    remove_dir();
}

/* Key ids wrap from 255 to 1 and never collide with one in use. */
static void test_rotate_wrap(void)
{
    fresh_dir();
    struct seal *s = open_ok(1);
    seal_close(s);
    struct err e = ERR_INIT;
    int id = 0;
    for (int i = 0; i < 254 && id >= 0; i++)
        id = seal_rotate(key_path, &e);
    CHECK(id == 255);
    e = (struct err)ERR_INIT;
    CHECK(seal_rotate(key_path, &e) == -1 && CODE_IS(e, "key_ids_exhausted"));
    e = (struct err)ERR_INIT;
    CHECK(seal_drop_old(key_path, &e) == 254);
    e = (struct err)ERR_INIT;
    CHECK(seal_rotate(key_path, &e) == 1);
    s = open_ok(0);
    CHECK(s != NULL && seal_current_id(s) == 1);
    seal_close(s);
    remove_dir();
}

UNIT_MAIN(test_round_trip, test_tamper, test_key_file, test_blind_index, test_rotate,
          test_rotate_wrap)
