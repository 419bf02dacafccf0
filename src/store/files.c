#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/durable.h"
#include "util/xalloc.h"

static const char CODE[] = "attachment_store_failed";

void files_hash(const void *data, size_t n, char hex[FILES_HEX])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, n);
    sodium_bin2hex(hex, FILES_HEX, h, sizeof(h));
}

static int valid_hex(const char *hex)
{
    size_t i = 0;
    for (; hex[i]; i++)
        if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
            return 0;
    return i == FILES_HEX - 1;
}

/* The directory, made on first use; its new name is made durable too. */
static int ensure_dir(const char *dir, struct err *e)
{
    if (mkdir(dir, 0700) == 0) {
        struct buf parent = BUF_INIT;
        const char *slash = strrchr(dir, '/');
        buf_add(&parent, dir, slash ? (size_t)(slash - dir) : 0);
        int rc = durable_sync_dir(parent.len ? parent.ptr : (slash ? "/" : "."));
        buf_release(&parent);
        if (rc < 0)
            return err_set(e, ERR_INTERNAL, CODE, NULL, "同步目录 %s 失败：%s", dir,
                           strerror(errno));
        return 0;
    }
    struct stat st;
    if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    return err_set(e, ERR_INTERNAL, CODE, NULL, "无法创建附件目录 %s：%s", dir, strerror(errno));
}

int files_put(const char *dir, const void *data, size_t n, char hex[FILES_HEX], struct err *e)
{
    files_hash(data, n, hex);
    if (ensure_dir(dir, e) < 0)
        return -1;
    struct buf path = BUF_INIT;
    buf_addf(&path, "%s/%s", dir, hex);
    struct stat st;
    int rc = 0;
    /* A file of the right size under this name holds these bytes (it was
     * renamed into place whole); one of another size is damaged: replace it.
     * A name found may be one a concurrent writer has just renamed into place
     * and not yet synced: sync the directory before the caller commits. */
    if (stat(path.ptr, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != n)
        rc = durable_write(path.ptr, data, n, 0600, 0, CODE, e) < 0 ? -1 : 0;
    else if (durable_sync_dir(dir) < 0)
        rc = err_set(e, ERR_INTERNAL, CODE, NULL, "同步目录 %s 失败：%s", dir, strerror(errno));
    buf_release(&path);
    return rc;
}

/* Reads the whole regular file fd into a heap buffer of st_size bytes. */
static unsigned char *read_whole(int fd, size_t *n)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    *n = (size_t)st.st_size;
    unsigned char *p = xmalloc(*n ? *n : 1);
    size_t got = 0;
    while (got < *n) {
        ssize_t r = read(fd, p + got, *n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(p);
            return NULL;
        }
        got += (size_t)r;
    }
    return p;
}

int files_copy_all(const char *from, const char *to, size_t *copied, struct err *e)
{
    *copied = 0;
    DIR *d = opendir(from);
    if (!d)
        return errno == ENOENT ? 0
                               : err_set(e, ERR_INTERNAL, CODE, NULL, "无法读取附件目录 %s：%s",
                                         from, strerror(errno));
    int rc = ensure_dir(to, e);
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (!valid_hex(de->d_name))
            continue; /* temp files of writes in progress, anything else */
        int fd = files_open(from, de->d_name);
        size_t n = 0;
        unsigned char *p = fd >= 0 ? read_whole(fd, &n) : NULL;
        if (fd >= 0)
            close(fd);
        if (!p) {
            rc = err_set(e, ERR_INTERNAL, CODE, NULL, "无法读取附件 %s/%s：%s", from, de->d_name,
                         strerror(errno));
            break;
        }
        char hex[FILES_HEX];
        struct buf path = BUF_INIT;
        buf_addf(&path, "%s/%s", to, de->d_name);
        struct stat st;
        int have = stat(path.ptr, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == n;
        buf_release(&path);
        if (!have) {
            rc = files_put(to, p, n, hex, e);
            if (rc == 0 && strcmp(hex, de->d_name) != 0)
                rc = err_set(e, ERR_INTERNAL, CODE, NULL, "附件 %s/%s 的内容与其散列不符（已损坏）",
                             from, de->d_name);
            if (rc == 0)
                (*copied)++;
        }
        free(p);
    }
    closedir(d);
    return rc;
}

int files_open(const char *dir, const char *hex)
{
    if (!valid_hex(hex))
        return -1;
    struct buf path = BUF_INIT;
    buf_addf(&path, "%s/%s", dir, hex);
    int fd = open(path.ptr, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    buf_release(&path);
    return fd;
}
