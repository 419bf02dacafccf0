/*
 * durable.h - files that survive a crash whole or not at all.
 *
 * durable_write() puts bytes under a name so that after a crash the name
 * either does not exist or holds all of them: a temp file in the same
 * directory (O_EXCL, the mode given), write, fsync, then rename() (or link()
 * when the name must not be replaced), then fsync of the directory so the
 * name itself is on disk. Used by the key file (seal.c) and the attachment
 * store (store/files.c).
 */
#ifndef PINGAN_DURABLE_H
#define PINGAN_DURABLE_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* Returns 0 when written; 1 when noreplace and path already exists (nothing
 * changed); -1 with e (kind ERR_INTERNAL, the given code, the path and
 * strerror in the message). The temp file never outlives the call. */
int durable_write(const char *path, const void *data, size_t n, mode_t mode, int noreplace,
                  const char *code, struct err *e);

/* fsync()s a directory so that names created in it survive a crash. 0 or -1. */
int durable_sync_dir(const char *dir);

#include "banned.h"
#endif
