/*
 * idnumber.h - 公民身份号码 (GB 11643-1999): parse, cross-check, mask, make.
 *
 * An 18-character number is 地址码 6 | 出生日期 8 (YYYYMMDD) | 顺序码 3
 * (odd = male, even = female) | 校验码 1 (ISO 7064 MOD 11-2, "10X98765432").
 * A 15-digit legacy number (地址码 6 | YYMMDD | 顺序码 3) is accepted and
 * upgraded: "19" goes before the birth date and the check digit is computed.
 *
 * Decisions (see also the .c):
 * - Input is taken as is: no trimming of spaces; a lower-case x in the last
 *   place is accepted and normalised to X (letter case only, never a digit).
 * - Region: the first two digits must be a province-level code of GB/T 2260
 *   (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82, 83). For the
 *   mainland provinces digits 3-6 must not all be zero; for 71/81/82/83 any
 *   four digits are accepted, because the residence permits of Hong Kong,
 *   Macao and Taiwan residents use exactly 810000, 820000 and 830000.
 * - Birth date: a real calendar date from 1800-01-01 up to and including
 *   "today". The lower bound is 1800, not 1900: the standard's own example
 *   440524188001010014 is born in 1880.
 *
 * Stable error codes (kind ERR_INVALID, field = the caller's field name):
 *   invalid_length, invalid_characters, invalid_region, invalid_birth_date,
 *   invalid_check_digit (the message names the expected check digit);
 *   idnumber_crosscheck adds gender_mismatch, birth_date_mismatch,
 *   invalid_gender and invalid_birth_date (fields "gender" / "birth_date").
 */
#ifndef PINGAN_IDNUMBER_H
#define PINGAN_IDNUMBER_H

#include "util/err.h"

struct idnumber {
    char id[19];    /* normalised 18-character number, upper-case X */
    char birth[11]; /* YYYY-MM-DD */
    char gender;    /* 'M' (顺序码 odd) or 'F' (even) */
    char region[7]; /* the 6-digit 地址码 */
};

/*
 * Parses in (NUL-terminated; NULL is treated as "") into *out, checking the
 * birth date against today, "YYYY-MM-DD" in Asia/Shanghai as the caller
 * sees it (pass clock_format_date_cn(clock_now_ms()) so the test clock is
 * honoured). Returns 0, or -1 with e set (first error sticks) and *out
 * cleared. field names the input in e->field and in the message; it may be
 * NULL. A today that is not a real YYYY-MM-DD date is a caller bug: BUG().
 */
int idnumber_parse_at(const char *in, const char *today, struct idnumber *out, const char *field,
                      struct err *e);
/*
 * idnumber_parse_at with today taken from the system's wall clock in
 * Asia/Shanghai (UTC+8). It does not see the test-mode clock offset; code
 * that must follow clock_now_ms() calls idnumber_parse_at.
 */
int idnumber_parse(const char *in, struct idnumber *out, const char *field, struct err *e);

/*
 * Checks values entered beside the number against what the number says.
 * gender: "M", "F" or NULL (not checked); birth: "YYYY-MM-DD" or NULL.
 * Returns 0 if both agree, else -1 with e: gender_mismatch (field "gender"),
 * birth_date_mismatch (field "birth_date"), or invalid_gender /
 * invalid_birth_date when the given value is not of the expected form.
 * Never prefers one side silently; the caller decides what to correct.
 */
int idnumber_crosscheck(const struct idnumber *id, const char *gender, const char *birth,
                        struct err *e);

/*
 * Writes the display mask of an 18-character number: first 6 and last 4
 * visible, the 8 in between '*' (411624********123X). Anything that is not
 * 18 characters long (or NULL) becomes 18 '*', so nothing leaks.
 */
void idnumber_mask(const char *id18, char out[19]);

/*
 * Makes a valid 18-character number for demo data: region6 (6 digits that
 * pass the region rule above), the birth date, the 顺序码 seq (0..999;
 * odd = male) and the computed check digit. Arguments out of range (a bad
 * region, not a real date in 1800..9999, seq outside 0..999) are a caller
 * bug: BUG(). (idnumber_parse_at still rejects a birth date after today.)
 */
void idnumber_make(const char *region6, int year, int month, int day, int seq, char out[19]);

#include "util/banned.h"
#endif
