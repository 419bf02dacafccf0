/*
 * attachment.h - photos on events: upload, link to a timeline entry, list.
 *
 * An upload (attachment_create) is checked by its bytes (util/image.h), its
 * content stored once under its SHA-256 outside the database
 * (store/files.h), and recorded as a row that belongs to the uploader alone
 * until an intake or a step names it in `attachments: [id, …]`: then it is
 * linked, once and for good, to the event and to that timeline entry, and
 * seen by whoever may see the event. The same bytes uploaded again by the
 * same account before they are used return the same id (a phone retrying);
 * any other upload of the same bytes is a new row over the same file.
 */
#ifndef PINGAN_ATTACHMENT_H
#define PINGAN_ATTACHMENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "store/files.h"
#include "util/arena.h"
#include "util/err.h"

struct db;

/* Photos one timeline entry may carry. */
#define ATTACHMENT_MAX_PER_ENTRY 9

struct attachment {
    int64_t id;
    char sha256[FILES_HEX];
    const char *mime; /* static: image/jpeg, image/png or image/webp */
    int64_t size;
    int64_t width, height;
    int64_t event_id, timeline_id; /* 0 while unlinked */
};

/*
 * Records an upload by account_id. Runs outside any transaction: the bytes
 * are checked, stored durably in dir, and only then is the row written and
 * committed in a write transaction of its own. Returns 0 and fills out
 * (*created = 0 when the uploader's unused upload of the same bytes is given
 * back), or -1 with e: 400 invalid_image (field "body"), 500
 * attachment_store_failed, db_error or db_busy (the lock not had in busy_timeout).
 */
int attachment_create(struct db *db, const char *dir, int64_t account_id, const void *data,
                      size_t n, int64_t now, struct attachment *out, int *created, struct err *e);

/* The row, linked or not. 0, or -1 if there is none. */
int attachment_get(struct db *db, int64_t id, struct attachment *out);

/* {"id","type","size","width","height","sha256","url"} of one attachment. */
json_t *attachment_to_json(const struct attachment *x);

/*
 * The member "attachments" of a request body: absent or null is none (*n =
 * 0); else an array of 1..ATTACHMENT_MAX_PER_ENTRY distinct positive
 * integers (arena memory in *ids). Pure. -1 with e (400, field attachments).
 */
int attachment_ids_from_json(json_t *body, struct arena *a, int64_t **ids, size_t *n,
                             struct err *e);

/*
 * Links the attachments to the event's timeline entry. Each must be an
 * unlinked upload of account_id: anything else is 404 attachment_not_found
 * (field attachments) and nothing is linked by this call (the caller's
 * transaction is rolled back on its error). 0 or -1.
 */
int attachment_link(struct db *db, int64_t account_id, int64_t event_id, int64_t timeline_id,
                    const int64_t *ids, size_t n, struct err *e);

/* The event's attachments in timeline order, each with its "timeline_id". */
json_t *attachment_list_json(struct db *db, int64_t event_id);

/* Who asks for an attachment, as far as its visibility depends on it. */
struct attachment_reader {
    int64_t account_id;
    const char *scope_path;
    int64_t department_id;
    int petitions; /* may read petitions (P_PETITION_READ) */
};

/*
 * The area path the router checks the caller's scope against: a linked
 * attachment's event's path (for a department's account only if the
 * department is on the event, as event_area_path); a petition's attachment
 * its petition's path, for those who may read petitions; an unlinked upload's
 * is the caller's own scope_path when the caller uploaded it, else none.
 * 0, or -1 (no such attachment, or not visible).
 */
int attachment_area_path(struct db *db, struct arena *a, int64_t id,
                         const struct attachment_reader *who, const char **path);

#include "util/banned.h"
#endif
