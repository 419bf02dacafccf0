/*
 * csv.h - reading the ledgers (台账) that counties keep in Excel.
 *
 * Input is first brought to UTF-8, then parsed as RFC 4180 with libcsv:
 *
 * Encoding. A UTF-8 byte order mark is stripped and the rest must be
 * UTF-8. Without one, input that is valid UTF-8 (plain ASCII included) is
 * taken as it is; anything else is decoded as GB18030 (a superset of GBK and
 * GB2312: what Chinese Excel writes for "CSV (逗号分隔)") with glibc iconv.
 * A UTF-16 byte order mark ("Unicode 文本") is refused. NUL bytes are
 * refused in every encoding, so a field never holds one and the NUL that
 * ends each field agrees with its length.
 *
 * Parsing. Strict RFC 4180 (libcsv CSV_STRICT | CSV_STRICT_FINI): fields
 * separated by commas, rows by CRLF, LF or CR; a field in double quotes may
 * hold commas, newlines and doubled quotes (""). A quote inside an unquoted
 * field, text after a closing quote, or a quote never closed is an error
 * (malformed_csv) with its line, rather than a guess: for personal data a
 * guessed split silently shifts values into the wrong columns. Spaces are
 * part of fields (libcsv's trimming is switched off); callers trim. Blank
 * lines are skipped; a row of empty fields (",,,") is delivered.
 *
 * Lines are physical lines of the file, 1-based, the way an editor or Excel's
 * row number counts them when no cell holds a line break; a row's line is the
 * line it starts on, so an error report can point at it.
 */
#ifndef PINGAN_CSV_H
#define PINGAN_CSV_H

#include <stddef.h>

#include "err.h"

struct csv_limits {
    size_t max_bytes;  /* whole input; default 64 MiB */
    size_t max_field;  /* bytes in one field, after decoding to UTF-8; default 4096 */
    size_t max_fields; /* fields in one row; default 256 */
};
/* Zero members (or a NULL limits pointer) take the defaults. */
#define CSV_LIMITS_DEFAULT {0, 0, 0}

enum csv_encoding {
    CSV_ENC_UTF8 = 0, /* valid UTF-8 without a byte order mark (ASCII too) */
    CSV_ENC_UTF8_BOM, /* UTF-8 after a stripped byte order mark */
    CSV_ENC_GB18030,  /* decoded from GB18030 / GBK / GB2312 */
};
/* "UTF-8", "UTF-8 (BOM)" or "GB18030": static strings. */
const char *csv_encoding_name(enum csv_encoding enc);

struct csv_info {
    enum csv_encoding encoding; /* set once the encoding is known */
    size_t rows;                /* rows passed to the callback (header included) */
    size_t lines;               /* physical lines read */
    size_t error_line;          /* on a csv error: its line (see csv_read_buffer); else 0 */
};

/*
 * Called once per row, in order. line: the 1-based line the row starts on.
 * fields[i] is NUL-terminated UTF-8 of lens[i] bytes; fields, lens and the
 * strings are valid only during the call (copy what you keep). nfields is
 * what the row holds, whatever the header had: the caller decides what a
 * short or long row means. Return 0 to go on, anything else to stop.
 */
typedef int (*csv_row_fn)(void *ctx, size_t line, size_t nfields, const char *const *fields,
                          const size_t *lens);

/*
 * Decodes and parses len bytes of data (an upload), calling row for every
 * row. info may be NULL. Returns:
 *   0   every row was delivered;
 *   the callback's non-zero value, if it stopped the reading (e untouched);
 *   -1  with e set (kind ERR_INVALID, field NULL) and info->error_line:
 *       file_too_large        more than max_bytes
 *       unsupported_encoding  UTF-16 (line 1)
 *       invalid_encoding      not UTF-8 and not GB18030, or a NUL byte; the
 *                             message gives the line and byte offset
 *       malformed_csv         a misplaced quote (the line it is on), or a
 *                             quoted field never closed (the row's line)
 *       field_too_long        a field over max_field (the row's line; the
 *                             message names the column)
 *       too_many_fields       a row over max_fields (the row's line)
 *       iconv_failed          (ERR_INTERNAL) the system iconv lacks GB18030
 * Rows before the error have already been delivered; callers that must be
 * all-or-nothing collect first and commit after a 0 return.
 */
int csv_read_buffer(const char *data, size_t len, const struct csv_limits *lim, csv_row_fn row,
                    void *ctx, struct csv_info *info, struct err *e);
/* The same for a file, read whole (at most max_bytes). Adds the error
 * read_failed (cannot open or read; the message names path and reason). */
int csv_read_file(const char *path, const struct csv_limits *lim, csv_row_fn row, void *ctx,
                  struct csv_info *info, struct err *e);

/* One column an importer expects. */
struct csv_column {
    const char *key;          /* stable name, e.g. "id_number"; used as err.field */
    const char *const *names; /* accepted header texts, NULL-terminated; the first
                                 one names the column in messages, e.g.
                                 {"公民身份号码", "身份证号", "id_number", NULL} */
    int required;
};

/*
 * Maps a header row onto cols: index_out[i] receives the 0-based position of
 * cols[i] in header, or -1 if it is absent. A header cell matches a name after
 * trimming spaces, tabs, no-break spaces (U+00A0) and full-width spaces
 * (U+3000) at both ends, comparing Latin letters case-insensitively and every
 * other byte exactly. Header cells matching no column are ignored; a cell
 * matching names of two columns goes to the first. Returns 0, or -1 with e set
 * (kind ERR_INVALID, field = the column's key):
 *   duplicate_column  two header cells match one column (both positions named)
 *   missing_column    a required column has no header cell
 */
int csv_header_map(const char *const *header, size_t n, const struct csv_column *cols,
                   size_t ncols, int *index_out, struct err *e);

#include "banned.h"
#endif
