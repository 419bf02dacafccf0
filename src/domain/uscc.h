/*
 * uscc.h - 统一社会信用代码 (GB 32100-2015): parse and make.
 *
 * 18 characters: 登记管理部门码 1 | 机构类别码 1 | 登记管理机关行政区划码 6 |
 * 主体标识码 9 (= 组织机构代码 GB 11714, its 9th character a check) | 校验码 1.
 * Alphabet (31 characters): 0-9 A-H J-N P-R T U W-Y (no I O S V Z).
 *
 * Decisions (see also the .c):
 * - Letters must be upper case. A lower-case letter is an error
 *   (invalid_characters), not silently upper-cased: the code is printed on
 *   the licence in capitals, and a lower-case one was typed by hand, so the
 *   person should look at it again. No trimming of spaces either.
 * - 登记管理部门码 and 机构类别码 follow the GB 32100-2015 table with its
 *   "9 其他" rows, plus the values assigned since 2015 that are in use
 *   (3-6 商事调解组织, 5-4 村民委员会, 5-5 居民委员会, 8-2 非法人工会组织,
 *   9-9 其他, and the departments G 公安 (境外非政府组织代表机构),
 *   J 住房城乡建设 (业主大会) and Q 侨联). Rejecting a real registered
 *   organisation is the worse failure, so the table errs on accepting.
 * - Region: 6 digits whose first two are a GB/T 2260 province-level code or
 *   10 (100000 = registered by a national authority).
 *
 * Stable error codes (kind ERR_INVALID, field = the caller's field name), in
 * the order they are checked: invalid_length, invalid_characters,
 * invalid_department, invalid_category, invalid_region, invalid_org_code
 * (the GB 11714 check character of characters 9-17), invalid_check_digit
 * (the final MOD 31 character; the message names the expected one).
 */
#ifndef PINGAN_USCC_H
#define PINGAN_USCC_H

#include "util/err.h"

/*
 * Validates in (NUL-terminated; NULL is treated as "") and copies it into
 * out. Returns 0, or -1 with e set (first error sticks) and out = "".
 * field names the input in e->field and in the message; it may be NULL.
 */
int uscc_parse(const char *in, char out[19], const char *field, struct err *e);

/*
 * Makes a valid code for demo data from dept and cat (a valid pair of the
 * table above), region6 (6 digits passing the region rule) and org8 (the
 * first 8 characters of the 主体标识码, from the alphabet above): the GB 11714
 * check character and the final check character are computed. Invalid
 * arguments are a caller bug: BUG().
 */
void uscc_make(char dept, char cat, const char *region6, const char *org8, char out[19]);

#include "util/banned.h"
#endif
