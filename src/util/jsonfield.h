/*
 * jsonfield.h - typed, validated access to the members of a JSON object.
 *
 * Every getter names the field in its error, in Chinese, with a stable code:
 *   missing_field, invalid_type, empty_field, too_long, invalid_text,
 *   unknown_field, out_of_range.
 * Strings with NUL or other control characters are refused (they would be
 * silently truncated or corrupt ledgers), never "fixed".
 */
#ifndef PINGAN_JSONFIELD_H
#define PINGAN_JSONFIELD_H

#include <jansson.h>
#include <stdint.h>

#include "err.h"

/* Refuses members not in allowed (NULL-terminated). */
int jf_only(json_t *obj, const char *const allowed[], struct err *e);
/* String member. Absent: error if required, else *out = NULL and 0.
 * max_chars counts Unicode code points. Leading/trailing spaces are an error
 * only if the value is all spaces (empty_field). */
int jf_str(json_t *obj, const char *key, int required, size_t max_chars, const char **out,
           struct err *e);
/* Integer member within [min, max]. Absent: error if required, else *present = 0. */
int jf_int(json_t *obj, const char *key, int required, int64_t min, int64_t max, int64_t *out,
           int *present, struct err *e);
/* Boolean member. */
int jf_bool(json_t *obj, const char *key, int required, int *out, int *present, struct err *e);
/* Optional members lng and lat, given together as numbers in range.
 * *present = 0 when both are absent or null. */
int jf_point(json_t *obj, double *lng, double *lat, int *present, struct err *e);
/* Checks text (from anywhere) the same way jf_str does. */
int jf_check_text(const char *s, size_t len, const char *field, size_t max_chars, struct err *e);

#include "banned.h"
#endif
