/*
 * files.h - the content-addressed file store (the bytes of attachments).
 *
 * Content lives outside the database, one file per distinct content in one
 * directory, named by the lowercase hex SHA-256 of its bytes: the same bytes
 * stored twice are one file, and a name says what its file must hold. Files
 * are written durably (util/durable.h) before the caller commits the row that
 * names them, so a committed row never points at a missing or partial file.
 * Files are never changed; nothing here deletes them.
 */
#ifndef PINGAN_FILES_H
#define PINGAN_FILES_H

#include <stddef.h>

#include "util/err.h"

#define FILES_HEX 65 /* 64 hex digits and the NUL */

/* The hex SHA-256 of the bytes. */
void files_hash(const void *data, size_t n, char hex[FILES_HEX]);

/* Stores the bytes under their hash in dir (created, mode 0700, if missing)
 * and sets hex. Content already there is not written again. Returns 0, or -1
 * with e (500 attachment_store_failed). */
int files_put(const char *dir, const void *data, size_t n, char hex[FILES_HEX], struct err *e);

/* Opens the content named hex for reading: a file descriptor, or -1 (no such
 * content, or hex is not 64 lowercase hex digits). */
int files_open(const char *dir, const char *hex);

/* Copies into dir `to` every content of dir `from` that `to` lacks (a file
 * of the same name and size counts as there), each durably. A missing
 * `from` is nothing to copy. *copied counts the files written. 0, or -1
 * with e (500 attachment_store_failed). */
int files_copy_all(const char *from, const char *to, size_t *copied, struct err *e);

#include "util/banned.h"
#endif
