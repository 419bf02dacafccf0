/*
 * phone.h - telephone numbers as residents write them.
 *
 * Accepted and normalised:
 * - mainland mobile numbers, 11 digits 1[3-9]xxxxxxxxx, optionally preceded
 *   by +86, 86 or 0086, with spaces or hyphens anywhere between digits
 *   ("+86 138-1234-5678", "0086 13812345678") → "13812345678";
 * - landlines: area code + local number, optionally an extension
 *   → "0394-8123456" or "0394-8123456-123".
 *   The area code is 010 or 020-029 (0 + 2 digits), otherwise 0 + 3 digits:
 *   that is the mainland numbering plan, so "03948123456" splits without a
 *   separator, and a written split that contradicts it ("039-48123456") is
 *   refused. The local number has 7 or 8 digits and starts with 2-9; it may
 *   be written in parts ("010-6552 1234"). The area code may stand in ASCII
 *   or full-width parentheses: "(0394)8123456", "（0394）8123456".
 *   An extension is a last group of 1-6 digits after "-", a space or "转"
 *   ("0394-8123456-123", "0394-8123456转123"); it is kept.
 * Refused: other country codes, landlines written with +86, service numbers
 * (110, 12345, 95xxx, 400/800), anything else. Surrounding spaces are
 * ignored; other characters are an error.
 *
 * Stable error code: invalid_phone (kind ERR_INVALID, field = the caller's
 * field name); the message says what was expected.
 */
#ifndef PINGAN_PHONE_H
#define PINGAN_PHONE_H

#include <stddef.h>

#include "util/err.h"

/*
 * Parses in (NUL-terminated; NULL is treated as "") and writes the
 * normalised form into out (at most 20 characters + NUL). Returns 0, or -1
 * with e set (first error sticks) and out = "". field may be NULL.
 */
int phone_parse(const char *in, char out[24], const char *field, struct err *e);

/*
 * Writes the display mask of a normalised number into out (size bytes,
 * always NUL-terminated when size > 0, truncated if too small): a mobile
 * keeps 3 + 4 digits (138****5678); a landline keeps its area code and the
 * last 4 digits of the number, the extension is masked (0394-***3456-***).
 * Anything else (or NULL) becomes all '*', so nothing leaks.
 */
void phone_mask(const char *normalised, char *out, size_t size);

#include "util/banned.h"
#endif
