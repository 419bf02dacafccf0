/*
 * seal.h - personal data at rest: authenticated encryption and blind
 * indexes (libsodium), keys kept in a file outside the database.
 *
 * PIPL 第51条 and GB/T 22239 数据保密性/完整性 ask for important personal
 * information (ID numbers, phone numbers) to be encrypted at rest. A column
 * holds seal_encrypt()'s blob; exact look-up ("who has this ID number?")
 * goes through a second column holding seal_blind_index() of the
 * normalised value, so the database never needs the plaintext to search.
 *
 * Cipher: XChaCha20-Poly1305 (crypto_aead_xchacha20poly1305_ietf). Chosen
 * over crypto_secretbox because it is an AEAD: the context ("table.column")
 * and the key id are bound as associated data, so a blob copied into another
 * column, or with its key id byte changed, fails to decrypt instead of
 * decrypting. Its 192-bit nonce is safe to draw at random for every value.
 *
 * Blob layout (SEAL_OVERHEAD = 41 bytes more than the plaintext):
 *     key id (1) | nonce (24) | ciphertext (len) + Poly1305 tag (16)
 * Associated data: the key id byte followed by the context string.
 *
 * Blind index: keyed BLAKE2b-256 (crypto_generichash) over
 * context || 0x00 || value, keyed with the index key of the NEWEST key
 * generation. Deterministic for one generation and one context, different
 * across contexts and across generations. An ID number has little entropy,
 * so the index is only as safe as the key file: keep the key file out of
 * database backups (back it up separately), or a stolen backup can be
 * searched by brute force.
 *
 * Key file (binary, written only by this module):
 *     offset 0    4   magic "PGSK"
 *            4    1   format version, 1
 *            5    1   n, the number of generations (1..255)
 *            6  65n   n records, oldest first, the last is the newest:
 *                       key id (1, 1..255, unique) | AEAD key (32) | index key (32)
 *       6+65n    32   BLAKE2b-256 of all preceding bytes (catches truncation
 *                     and corruption; it is not a MAC)
 * The file is created with O_CREAT|O_EXCL and mode 0600 and always replaced
 * atomically (temp file 0600, fsync, rename, fsync of the directory). A key
 * file whose mode lets the group or others read or write it is refused.
 *
 * Rotation procedure (docs/operations.md repeats it):
 *   1. seal_rotate(path): appends a new generation, which from then on
 *      encrypts and indexes in every process that (re)opens the key file;
 *      restart or reload the server.
 *   2. In batches (one transaction each), for every row whose blob's key id
 *      (seal_blob_key_id) is not seal_current_id(): decrypt, encrypt again,
 *      recompute the blind index. Until this is finished, look-ups must try
 *      the index of every generation (seal_key_ids, seal_blind_index_gen),
 *      since rows not yet re-indexed carry an older generation's index.
 *   3. When no row uses an old generation any more: seal_drop_old(path),
 *      after a backup of the key file. Data still sealed under a dropped
 *      generation can never be decrypted again.
 *
 * Memory: keys live in sodium_malloc'd memory (guard pages, mlock'ed where
 * the system allows), read-only while the seal is open, and are wiped by
 * seal_close. After seal_open the seal is never written, so one seal may be
 * used from many threads at once.
 */
#ifndef PINGAN_SEAL_H
#define PINGAN_SEAL_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define SEAL_OVERHEAD 41    /* blob length = plaintext length + SEAL_OVERHEAD */
#define SEAL_INDEX_BYTES 32 /* length of a blind index */

struct seal;

/*
 * Opens the key file at key_path and loads every generation. If it does not
 * exist and create is non-zero, creates it (mode 0600) with one fresh
 * generation, key id 1; concurrent creators agree on one file.
 * Returns the seal (free with seal_close) or NULL with e set:
 *   key_file_missing  the file does not exist and create is 0
 *   key_file_insecure not a regular file, or group/other permission bits set
 *   key_file_corrupt  bad magic, version, length, checksum or key ids
 *   key_file_io       any other system error (message names it)
 *   crypto_init       libsodium could not initialise
 */
struct seal *seal_open(const char *key_path, int create, struct err *e);
/* Wipes and frees the keys. NULL is a no-op. */
void seal_close(struct seal *s);

/*
 * Encrypts len bytes of plain with the newest generation, binding context
 * (a non-empty constant such as "person.id_number"), and APPENDS the blob
 * (SEAL_OVERHEAD + len bytes) to out. Returns 0, or -1 when out's size cap
 * would be exceeded (out unchanged).
 */
int seal_encrypt(const struct seal *s, const char *plain, size_t len, const char *context,
                 struct buf *out);
/*
 * Checks and decrypts a blob made by seal_encrypt with the same context and
 * APPENDS the plaintext to out (a buf keeps it NUL-terminated). Returns 0,
 * or -1 with e set and out unchanged:
 *   decrypt_failed  too short, unknown key id (dropped or from another key
 *                   file), wrong context, or any modified byte
 *   too_large       out's size cap would be exceeded
 * The caller owns the plaintext in out; for long-lived buffers wipe it with
 * sodium_memzero(out->ptr, out->len) before buf_release.
 */
int seal_decrypt(const struct seal *s, const void *blob, size_t len, const char *context,
                 struct buf *out, struct err *e);

/*
 * Writes the blind index of normalised_value (NUL-terminated; normalise
 * first, e.g. upper-case the ID number's check letter X) under context into
 * out, with the NEWEST generation's index key. Rotation therefore changes
 * every index: see the rotation procedure above.
 */
void seal_blind_index(const struct seal *s, const char *context, const char *normalised_value,
                      unsigned char out[SEAL_INDEX_BYTES]);
/* The same with the index key of generation key_id. Returns 0, or -1 if the
 * key file has no such generation (out untouched). */
int seal_blind_index_gen(const struct seal *s, unsigned key_id, const char *context,
                         const char *normalised_value, unsigned char out[SEAL_INDEX_BYTES]);

/* The key id that seal_encrypt and seal_blind_index use now (1..255). */
unsigned seal_current_id(const struct seal *s);
/* Copies the key ids of all generations, oldest first, into ids (room for
 * 255) and returns their number. */
size_t seal_key_ids(const struct seal *s, unsigned char ids[255]);
/* The key id a blob was sealed with, or -1 if len is too short to be a blob.
 * Says nothing about whether the blob is authentic. */
int seal_blob_key_id(const void *blob, size_t len);

/*
 * Appends a new generation (fresh random keys, the next key id after the
 * newest, wrapping from 255 to 1 past ids still in use) to the key file,
 * atomically and under an exclusive lock, so concurrent rotations do not
 * lose one another. Open seals are not changed: reopen to use the new key.
 * Returns the new key id (> 0), or -1 with e set (the codes of seal_open,
 * and key_ids_exhausted when 255 generations are in use).
 */
int seal_rotate(const char *key_path, struct err *e);
/*
 * Rewrites the key file keeping only the newest generation (step 3 of the
 * rotation procedure). Blobs and indexes of the dropped generations become
 * useless for ever. Returns the number of generations dropped (0 if there
 * was only one), or -1 with e set (the codes of seal_open).
 */
int seal_drop_old(const char *key_path, struct err *e);

#include "banned.h"
#endif
