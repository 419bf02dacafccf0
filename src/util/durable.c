#include "durable.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include "buf.h"
#include "xalloc.h"

static int io_error(struct err *e, const char *code, const char *what, const char *path)
{
    return err_set(e, ERR_INTERNAL, code, NULL, "文件 %s %s失败：%s", path, what,
                   strerror(errno));
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int durable_sync_dir(const char *dir)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return -1;
    int rc = fsync(dfd);
    close(dfd);
    return rc;
}

int durable_write(const char *path, const void *data, size_t n, mode_t mode, int noreplace,
                  const char *code, struct err *e)
{
    int rc = -1, fd = -1, tmp_made = 0;
    char *dir = dir_of(path);
    struct buf tmp = BUF_INIT;
    unsigned char rnd[8];
    randombytes_buf(rnd, sizeof(rnd));
    buf_addf(&tmp, "%s.tmp-", path);
    for (size_t i = 0; i < sizeof(rnd); i++)
        buf_addf(&tmp, "%02x", rnd[i]);

    fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0) {
        io_error(e, code, "创建临时文件", tmp.ptr);
        goto out;
    }
    tmp_made = 1;
    if (write_all(fd, data, n) < 0 || fsync(fd) < 0) {
        io_error(e, code, "写入", tmp.ptr);
        goto out;
    }
    if (close(fd) < 0) {
        fd = -1;
        io_error(e, code, "写入", tmp.ptr);
        goto out;
    }
    fd = -1;
    if (noreplace) {
        if (link(tmp.ptr, path) < 0) {
            if (errno == EEXIST) {
                rc = 1;
                goto out;
            }
            io_error(e, code, "创建", path);
            goto out;
        }
        /* The temp name is removed below; path keeps the inode. */
    } else {
        if (rename(tmp.ptr, path) < 0) {
            io_error(e, code, "替换", path);
            goto out;
        }
        tmp_made = 0;
    }
    if (durable_sync_dir(dir) < 0) {
        io_error(e, code, "同步目录", dir);
        goto out;
    }
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    if (tmp_made)
        unlink(tmp.ptr);
    buf_release(&tmp);
    free(dir);
    return rc;
}
