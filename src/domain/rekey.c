#include "rekey.h"

#include <sodium.h>
#include <string.h>

#include "store/db.h"
#include "util/buf.h"
#include "util/seal.h"

/* One sealed column (with its blind index column, or NULL) of one table. */
struct sealed_col {
    const char *select; /* id, blob */
    const char *update; /* blob, index, id (index bound only when present) */
    const char *context;
    int indexed;
};

static const struct sealed_col cols[] = {
    {"SELECT id, id_enc FROM person WHERE id_enc IS NOT NULL",
     "UPDATE person SET id_enc = ?1, id_bidx = ?2 WHERE id = ?3", "person.id_number", 1},
    {"SELECT id, phone_enc FROM person WHERE phone_enc IS NOT NULL",
     "UPDATE person SET phone_enc = ?1, phone_bidx = ?2 WHERE id = ?3", "person.phone", 1},
    {"SELECT id, contact_phone_enc FROM org WHERE contact_phone_enc IS NOT NULL",
     "UPDATE org SET contact_phone_enc = ?1 WHERE id = ?3", "org.contact_phone", 0},
    /* Petitioners' identifiers (domain/petition.c). */
    {"SELECT id, id_enc FROM petitioner WHERE id_enc IS NOT NULL",
     "UPDATE petitioner SET id_enc = ?1 WHERE id = ?3", "petitioner.id_number", 0},
    {"SELECT id, phone_enc FROM petitioner WHERE phone_enc IS NOT NULL",
     "UPDATE petitioner SET phone_enc = ?1 WHERE id = ?3", "petitioner.phone", 0},
    /* Dispute parties entered by hand (domain/dispute.c). */
    {"SELECT id, id_enc FROM dispute_party WHERE id_enc IS NOT NULL",
     "UPDATE dispute_party SET id_enc = ?1 WHERE id = ?3", "dispute_party.id_number", 0},
    {"SELECT id, phone_enc FROM dispute_party WHERE phone_enc IS NOT NULL",
     "UPDATE dispute_party SET phone_enc = ?1 WHERE id = ?3", "dispute_party.phone", 0},
    /* A hotline caller's phone on the event (domain/event.c). */
    {"SELECT id, reporter_phone_enc FROM event WHERE reporter_phone_enc IS NOT NULL",
     "UPDATE event SET reporter_phone_enc = ?1 WHERE id = ?3", "event.reporter_phone", 0},
};

long rekey_all(struct db *db, const struct seal *seal, struct err *e)
{
    long n = 0;
    unsigned current = seal_current_id(seal);
    struct buf plain = BUF_INIT, blob = BUF_INIT;
    for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
        sqlite3_stmt *sel = db_prepare(db, cols[c].select);
        int rc;
        while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
            const void *b = sqlite3_column_blob(sel, 1);
            size_t len = (size_t)sqlite3_column_bytes(sel, 1);
            if (seal_blob_key_id(b, len) == (int)current)
                continue;
            buf_reset(&plain);
            buf_reset(&blob);
            if (seal_decrypt(seal, b, len, cols[c].context, &plain, e) < 0) {
                sqlite3_reset(sel);
                n = -1;
                goto out;
            }
            seal_encrypt(seal, plain.ptr, plain.len, cols[c].context, &blob);
            unsigned char idx[SEAL_INDEX_BYTES];
            seal_blind_index(seal, cols[c].context, plain.ptr, idx);
            sodium_memzero(plain.ptr, plain.len);
            sqlite3_stmt *up = db_prepare(db, cols[c].update);
            sqlite3_bind_blob(up, 1, blob.ptr, (int)blob.len, SQLITE_TRANSIENT);
            if (cols[c].indexed)
                sqlite3_bind_blob(up, 2, idx, sizeof(idx), SQLITE_TRANSIENT);
            db_bind_int(up, 3, sqlite3_column_int64(sel, 0));
            int urc = sqlite3_step(up);
            sqlite3_reset(up);
            if (urc != SQLITE_DONE) {
                sqlite3_reset(sel);
                err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
                n = -1;
                goto out;
            }
            n++;
        }
        sqlite3_reset(sel);
        if (rc != SQLITE_DONE) {
            err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
            n = -1;
            goto out;
        }
    }
out:
    buf_release(&plain);
    buf_release(&blob);
    return n;
}
