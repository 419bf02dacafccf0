/* libcsv's header is also named csv.h: <csv.h> (angle brackets) reaches it
 * through the system include path, "csv.h" is ours, next to this file. */
#include <csv.h>

#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <limits.h>
#include <stdarg.h>
#include <unistd.h>

#include "buf.h"
#include "xalloc.h"

#define DEF_MAX_BYTES ((size_t)64 << 20)
#define DEF_MAX_FIELD ((size_t)4096)
#define DEF_MAX_FIELDS ((size_t)256)
/* libcsv buffers a field until it ends; feeding at most this much at a time
 * and checking its buffer in between keeps a runaway field (a quote never
 * closed) within max_field + PIECE bytes. */
#define PIECE ((size_t)4096)

const char *csv_encoding_name(enum csv_encoding enc)
{
    switch (enc) {
    case CSV_ENC_UTF8:
        return "UTF-8";
    case CSV_ENC_UTF8_BOM:
        return "UTF-8 (BOM)";
    case CSV_ENC_GB18030:
        return "GB18030";
    }
    return "?";
}

/* ---- encoding ----------------------------------------------------------- */

/* A line ends at LF, or at a CR not followed by LF (what libcsv also ends a
 * row on). Returns the 1-based line of byte offset off. */
static size_t line_of(const char *s, size_t len, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off && i < len; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n')))
            line++;
    return line;
}

/* Returns the offset of the first byte that does not start a well-formed
 * UTF-8 sequence (Unicode table 3-7: no overlongs, no surrogates, nothing
 * above U+10FFFF), or len if all of s is valid. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            return i;
        }
        if (len - i < n || s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k < n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return i;
        i += n;
    }
    return len;
}

static int bad_encoding(const char *data, size_t len, size_t off, const char *what,
                        size_t *err_line, struct err *e)
{
    *err_line = line_of(data, len, off);
    return err_set(e, ERR_INVALID, "invalid_encoding", NULL,
                   "文件第%zu行（字节偏移%zu）%s；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
                   *err_line, off, what);
}

/* GB18030 -> UTF-8 with glibc iconv into out. */
static int from_gb18030(const char *data, size_t len, struct buf *out, size_t *err_line,
                        struct err *e)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return err_set(e, ERR_INTERNAL, "iconv_failed", NULL, "系统不支持 GB18030 转换：%s",
                       strerror(errno));
    /* Two GB18030 bytes become at most three UTF-8 bytes, four at most four. */
    size_t cap = len + len / 2 + 16;
    char *dst = xmalloc(cap), *o = dst, *in = (char *)data;
    size_t inleft = len, oleft = cap;
    int rc = 0;
    while (inleft) {
        if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1)
            continue;
        if (errno == E2BIG) {
            size_t used = (size_t)(o - dst);
            cap *= 2;
            dst = xrealloc(dst, cap);
            o = dst + used;
            oleft = cap - used;
            continue;
        }
        /* EILSEQ (invalid) or EINVAL (cut short at the end): in points at it. */
        rc = bad_encoding(data, len, (size_t)(in - data), "既不是有效的 UTF-8 也不是有效的 GB18030/GBK 编码",
                          err_line, e);
        break;
    }
    iconv_close(cd);
    if (rc == 0)
        buf_add(out, dst, (size_t)(o - dst));
    free(dst);
    return rc;
}

/* Brings data to UTF-8: text and tlen point into data or into conv. */
static int decode(const char *data, size_t len, struct buf *conv, const char **text,
                  size_t *tlen, enum csv_encoding *enc, size_t *err_line, struct err *e)
{
    const unsigned char *u = (const unsigned char *)data;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        *err_line = 1;
        return err_set(e, ERR_INVALID, "unsupported_encoding", NULL,
                       "文件是 UTF-16（Unicode 文本）编码；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”");
    }
    const char *nul = memchr(data, '\0', len);
    if (nul)
        return bad_encoding(data, len, (size_t)(nul - data), "含有空字节（NUL），不是文本文件",
                            err_line, e);
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        *enc = CSV_ENC_UTF8_BOM;
        size_t bad = utf8_invalid_at(u + 3, len - 3);
        if (bad != len - 3)
            return bad_encoding(data, len, bad + 3, "以 UTF-8 标记开头，但含有无效的 UTF-8 字节",
                                err_line, e);
        *text = data + 3;
        *tlen = len - 3;
        return 0;
    }
    if (utf8_invalid_at(u, len) == len) {
        *enc = CSV_ENC_UTF8;
        *text = data;
        *tlen = len;
        return 0;
    }
    *enc = CSV_ENC_GB18030;
    if (from_gb18030(data, len, conv, err_line, e) < 0)
        return -1;
    *text = conv->ptr;
    *tlen = conv->len;
    return 0;
}

/* ---- parsing ------------------------------------------------------------ */

struct reader {
    struct csv_limits lim;
    csv_row_fn row;
    void *ctx;
    struct csv_info *info;
    struct err *e;
    struct buf text; /* the current row's fields, each followed by a NUL */
    size_t *off, *lens;
    const char **ptrs;
    size_t nfields;
    size_t line;     /* physical line being fed */
    size_t row_line; /* line the current row started on */
    int row_ended;   /* a row ended while feeding the current line */
    int failed;      /* e is set */
    int cb_rc;       /* non-zero: the callback stopped us */
};

static int fail(struct reader *r, size_t line, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(struct reader *r, size_t line, const char *code, const char *fmt, ...)
{
    char msg[sizeof(r->e->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    r->failed = 1;
    r->info->error_line = line;
    return err_set(r->e, ERR_INVALID, code, NULL, "%s", msg);
}

static void on_field(void *field, size_t len, void *data)
{
    struct reader *r = data;
    if (r->failed || r->cb_rc)
        return;
    if (len > r->lim.max_field) {
        fail(r, r->row_line, "field_too_long", "第%zu行起的记录第%zu列超过%zu字节", r->row_line,
             r->nfields + 1, r->lim.max_field);
        return;
    }
    if (r->nfields == r->lim.max_fields) {
        fail(r, r->row_line, "too_many_fields", "第%zu行起的记录超过%zu列", r->row_line,
             r->lim.max_fields);
        return;
    }
    r->off[r->nfields] = r->text.len;
    r->lens[r->nfields] = len;
    if (len)
        buf_add(&r->text, field, len);
    buf_addch(&r->text, '\0');
    r->nfields++;
}

static void on_row(int c, void *data)
{
    (void)c;
    struct reader *r = data;
    if (r->failed || r->cb_rc)
        return;
    r->row_ended = 1;
    for (size_t i = 0; i < r->nfields; i++)
        r->ptrs[i] = r->text.ptr + r->off[i];
    r->info->rows++;
    r->cb_rc = r->row(r->ctx, r->row_line, r->nfields, r->ptrs, r->lens);
    r->nfields = 0;
    buf_reset(&r->text);
}

/* Spaces belong to the field: RFC 4180 says so, and callers trim. */
static int never_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void parse(struct reader *r, const char *s, size_t len)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        BUG("csv_init failed");
    csv_set_space_func(&p, never_space);
    csv_set_realloc_func(&p, xrealloc);
    csv_set_free_func(&p, free);
    csv_set_blk_size(&p, PIECE);

    size_t pos = 0;
    int in_row = 0;
    while (pos < len && !r->failed && !r->cb_rc) {
        /* One physical line: up to and including its CRLF, LF or CR. */
        size_t end = pos;
        while (end < len && s[end] != '\n' && s[end] != '\r')
            end++;
        int content = end > pos;
        if (end < len)
            end += (s[end] == '\r' && end + 1 < len && s[end + 1] == '\n') ? 2 : 1;
        r->line++;
        if (!in_row)
            r->row_line = r->line;
        r->row_ended = 0;
        for (size_t at = pos; at < end && !r->failed && !r->cb_rc;) {
            size_t n = end - at < PIECE ? end - at : PIECE;
            size_t done = csv_parse(&p, s + at, n, on_field, on_row, r);
            if (r->failed || r->cb_rc)
                break;
            if (done < n) {
                if (csv_error(&p) == CSV_EPARSE)
                    fail(r, r->line, "malformed_csv",
                         "第%zu行第%zu列引号用法不对：未加引号的字段里有引号，或右引号后还有字符",
                         r->line, r->nfields + 1);
                else
                    fail(r, r->line, "malformed_csv", "第%zu行无法解析：%s", r->line,
                         csv_strerror(csv_error(&p)));
                break;
            }
            /* p.entry_pos may count one tentative closing quote. */
            if (p.entry_pos > r->lim.max_field + 1)
                fail(r, r->row_line, "field_too_long",
                     "第%zu行起的记录第%zu列超过%zu字节（是否有引号未闭合？）", r->row_line,
                     r->nfields + 1, r->lim.max_field);
            at += n;
        }
        if (r->row_ended)
            in_row = 0;
        else if (content)
            in_row = 1;
        pos = end;
    }
    if (!r->failed && !r->cb_rc && csv_fini(&p, on_field, on_row, r) != 0)
        fail(r, r->row_line, "malformed_csv", "第%zu行起的引号没有闭合", r->row_line);
    csv_free(&p);
}

static void limits_of(const struct csv_limits *lim, struct csv_limits *out)
{
    out->max_bytes = lim && lim->max_bytes ? lim->max_bytes : DEF_MAX_BYTES;
    out->max_field = lim && lim->max_field ? lim->max_field : DEF_MAX_FIELD;
    out->max_fields = lim && lim->max_fields ? lim->max_fields : DEF_MAX_FIELDS;
}

int csv_read_buffer(const char *data, size_t len, const struct csv_limits *lim, csv_row_fn row,
                    void *ctx, struct csv_info *info, struct err *e)
{
    struct csv_info dummy;
    if (!info)
        info = &dummy;
    memset(info, 0, sizeof(*info));
    struct reader r = {.row = row, .ctx = ctx, .info = info, .e = e, .text = BUF_INIT};
    limits_of(lim, &r.lim);
    if (len > r.lim.max_bytes)
        return err_set(e, ERR_INVALID, "file_too_large", NULL, "文件大小 %zu 字节，超过上限 %zu 字节",
                       len, r.lim.max_bytes);

    if (!len)
        data = ""; /* no NULL into memchr */
    struct buf conv = BUF_INIT;
    const char *text = NULL;
    size_t tlen = 0;
    if (decode(data, len, &conv, &text, &tlen, &info->encoding, &info->error_line, e) < 0) {
        buf_release(&conv);
        return -1;
    }
    r.off = xmalloc(r.lim.max_fields * sizeof(*r.off));
    r.lens = xmalloc(r.lim.max_fields * sizeof(*r.lens));
    r.ptrs = xmalloc(r.lim.max_fields * sizeof(*r.ptrs));
    parse(&r, text, tlen);
    info->lines = r.line;
    free(r.off);
    free(r.lens);
    free(r.ptrs);
    buf_release(&r.text);
    buf_release(&conv);
    if (r.failed)
        return -1;
    return r.cb_rc;
}

int csv_read_file(const char *path, const struct csv_limits *lim, csv_row_fn row, void *ctx,
                  struct csv_info *info, struct err *e)
{
    struct csv_limits l;
    limits_of(lim, &l);
    if (info)
        memset(info, 0, sizeof(*info));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(e, ERR_INVALID, "read_failed", NULL, "无法打开文件 %s：%s", path,
                       strerror(errno));
    struct buf b = BUF_INIT;
    char chunk[65536];
    int rc = 0;
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = err_set(e, ERR_INVALID, "read_failed", NULL, "无法读取文件 %s：%s", path,
                         strerror(errno));
            break;
        }
        if (n == 0)
            break;
        if (b.len + (size_t)n > l.max_bytes) {
            rc = err_set(e, ERR_INVALID, "file_too_large", NULL, "文件 %s 超过上限 %zu 字节", path,
                         l.max_bytes);
            break;
        }
        buf_add(&b, chunk, (size_t)n);
    }
    close(fd);
    if (rc == 0)
        rc = csv_read_buffer(b.ptr, b.len, &l, row, ctx, info, e);
    buf_release(&b);
    return rc;
}

/* ---- header ------------------------------------------------------------- */

/* Trims ASCII spaces and tabs, U+00A0 (C2 A0) and U+3000 (E3 80 80). */
static void trim(const char *s, size_t *start, size_t *end)
{
    size_t a = 0, z = strlen(s);
    for (;;) {
        if (a < z && (s[a] == ' ' || s[a] == '\t'))
            a += 1;
        else if (z - a >= 2 && memcmp(s + a, "\xC2\xA0", 2) == 0)
            a += 2;
        else if (z - a >= 3 && memcmp(s + a, "\xE3\x80\x80", 3) == 0)
            a += 3;
        else
            break;
    }
    for (;;) {
        if (z > a && (s[z - 1] == ' ' || s[z - 1] == '\t'))
            z -= 1;
        else if (z - a >= 2 && memcmp(s + z - 2, "\xC2\xA0", 2) == 0)
            z -= 2;
        else if (z - a >= 3 && memcmp(s + z - 3, "\xE3\x80\x80", 3) == 0)
            z -= 3;
        else
            break;
    }
    *start = a;
    *end = z;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int name_is(const char *s, size_t n, const char *name)
{
    if (strlen(name) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != lower((unsigned char)name[i]))
            return 0;
    return 1;
}

static int column_matches(const struct csv_column *col, const char *s, size_t n)
{
    for (const char *const *name = col->names; name && *name; name++)
        if (name_is(s, n, *name))
            return 1;
    return 0;
}

static const char *label(const struct csv_column *col)
{
    return col->names && col->names[0] ? col->names[0] : col->key;
}

int csv_header_map(const char *const *header, size_t n, const struct csv_column *cols,
                   size_t ncols, int *index_out, struct err *e)
{
    BUG_ON(n > INT_MAX);
    for (size_t c = 0; c < ncols; c++)
        index_out[c] = -1;
    for (size_t h = 0; h < n; h++) {
        size_t a, z;
        trim(header[h], &a, &z);
        if (a == z)
            continue;
        for (size_t c = 0; c < ncols; c++) {
            if (!column_matches(&cols[c], header[h] + a, z - a))
                continue;
            if (index_out[c] >= 0)
                return err_set(e, ERR_INVALID, "duplicate_column", cols[c].key,
                               "第%d列和第%zu列都是“%s”，请只保留一列", index_out[c] + 1, h + 1,
                               label(&cols[c]));
            index_out[c] = (int)h;
            break;
        }
    }
    /* Name every missing column at once, so the ledger is fixed in one go. */
    struct buf msg = BUF_INIT;
    const char *first = NULL;
    for (size_t c = 0; c < ncols; c++) {
        if (!cols[c].required || index_out[c] >= 0)
            continue;
        if (!first) {
            first = cols[c].key;
            buf_addstr(&msg, "缺少必需的列：");
        } else if (msg.len > 160) {
            buf_addstr(&msg, "等");
            break;
        } else {
            buf_addstr(&msg, "、");
        }
        buf_addf(&msg, "“%s”", label(&cols[c]));
    }
    int rc = first ? err_set(e, ERR_INVALID, "missing_column", first, "%s", msg.ptr) : 0;
    buf_release(&msg);
    return rc;
}
