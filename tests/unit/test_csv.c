/* Unit tests of util/csv: encodings, RFC 4180 parsing, limits, header map. */
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"
#include "util/buf.h"
#include "util/csv.h"

#define CODE_IS(e, c) ((e).code && strcmp((e).code, (c)) == 0)

/* Collects rows as "line:f1|f2|...\n" and checks each field's NUL. */
struct got {
    struct buf out;
    size_t calls;
    size_t stop_at; /* return stop_rc on this call (1-based), 0 = never */
    int stop_rc;
    int nul_ok;
};

static int collect(void *ctx, size_t line, size_t nfields, const char *const *fields,
                   const size_t *lens)
{
    struct got *g = ctx;
    g->calls++;
    buf_addf(&g->out, "%zu:", line);
    for (size_t i = 0; i < nfields; i++) {
        if (fields[i][lens[i]] != '\0' || strlen(fields[i]) != lens[i])
            g->nul_ok = 0;
        if (i)
            buf_addch(&g->out, '|');
        buf_add(&g->out, fields[i], lens[i]);
    }
    buf_addch(&g->out, '\n');
    return g->stop_at && g->calls == g->stop_at ? g->stop_rc : 0;
}

/* Parses s (n bytes) and returns the collected text (static until next call). */
static struct got G;
static struct csv_info I;
static struct err E;
static int run_lim(const char *s, size_t n, const struct csv_limits *lim)
{
    buf_release(&G.out);
    G.calls = 0;
    G.nul_ok = 1;
    E = (struct err)ERR_INIT;
    return csv_read_buffer(s, n, lim, collect, &G, &I, &E);
}
#define RUN(lit) run_lim((lit), sizeof(lit) - 1, NULL)

static void test_utf8(void)
{
    CHECK(RUN("姓名,身份证号\n张三,11010519491231002X\n") == 0);
    CHECK_STR(G.out.ptr, "1:姓名|身份证号\n2:张三|11010519491231002X\n");
    CHECK(I.encoding == CSV_ENC_UTF8 && I.rows == 2 && I.lines == 2 && G.nul_ok);
    CHECK_STR(csv_encoding_name(I.encoding), "UTF-8");

    /* With a byte order mark, which is stripped from the first field. */
    CHECK(RUN("\xEF\xBB\xBF姓名,电话\r\n李四,13800138000\r\n") == 0);
    CHECK_STR(G.out.ptr, "1:姓名|电话\n2:李四|13800138000\n");
    CHECK(I.encoding == CSV_ENC_UTF8_BOM);
    CHECK_STR(csv_encoding_name(I.encoding), "UTF-8 (BOM)");

    /* Plain ASCII is UTF-8; empty input is no rows. */
    CHECK(RUN("a,b\n") == 0 && I.encoding == CSV_ENC_UTF8);
    CHECK(RUN("") == 0 && G.calls == 0 && I.rows == 0 && I.lines == 0);
    CHECK(run_lim(NULL, 0, NULL) == 0 && G.calls == 0);
    CHECK(RUN("\xEF\xBB\xBF") == 0 && G.calls == 0 && I.encoding == CSV_ENC_UTF8_BOM);
}

static void test_gbk(void)
{
    /* "姓名,身份证号" / "张三,110" / "联系电话" in GBK, as Chinese Excel saves. */
    static const char gbk[] = "\xD0\xD5\xC3\xFB,\xC9\xED\xB7\xDD\xD6\xA4\xBA\xC5\r\n"
                              "\xD5\xC5\xC8\xFD,110\r\n"
                              "\"\xC1\xAA\xCF\xB5\r\n\xB5\xE7\xBB\xB0\",x\r\n"
                              "\xA1\xA1\xD5\xC5\xC8\xFD\xA1\xA1,y\r\n";
    CHECK(RUN(gbk) == 0);
    CHECK_STR(G.out.ptr, "1:姓名|身份证号\n2:张三|110\n3:联系\r\n电话|x\n5:　张三　|y\n");
    CHECK(I.encoding == CSV_ENC_GB18030 && I.rows == 4 && I.lines == 5);
    CHECK_STR(csv_encoding_name(I.encoding), "GB18030");
    /* A GB18030 four-byte sequence (U+00DF ß is 81 30 89 38). */
    CHECK(RUN("\xD0\xD5,\x81\x30\x89\x38\n") == 0);
    CHECK_STR(G.out.ptr, "1:\xE5\xA7\x93|\xC3\x9F\n");
}

static void test_invalid_encoding(void)
{
    /* GBK rows, then 0x81 0x20, which is neither UTF-8 nor GB18030, on line 3
     * at byte offset 4 + 2 + 4 + 2 = 12. No row is delivered. */
    CHECK(RUN("\xD0\xD5\xC3\xFB\r\n\xD5\xC5\xC8\xFD\r\n\x81\x20x\r\n") == -1);
    CHECK(CODE_IS(E, "invalid_encoding") && E.kind == ERR_INVALID);
    CHECK(I.error_line == 3 && G.calls == 0);
    CHECK(strstr(E.message, "第3行") && strstr(E.message, "字节偏移12"));
    /* A lead byte cut short at the very end. */
    CHECK(RUN("a\nb\n\xD0") == -1 && CODE_IS(E, "invalid_encoding") && I.error_line == 3);
    /* A BOM promises UTF-8: no fallback to GB18030. */
    CHECK(RUN("\xEF\xBB\xBF" "a\n\xD0\xD5\n") == -1 && CODE_IS(E, "invalid_encoding"));
    CHECK(I.error_line == 2 && strstr(E.message, "字节偏移5"));
    /* NUL bytes and UTF-16. */
    CHECK(RUN("a\nb\0c\n") == -1 && CODE_IS(E, "invalid_encoding") && I.error_line == 2);
    CHECK(RUN("\xFF\xFE" "a\0,\0b\0") == -1 && CODE_IS(E, "unsupported_encoding"));
    /* An overlong UTF-8 slash is not UTF-8 but is GBK (C0 AF); a UTF-8
     * surrogate is neither (ED A0 is GBK, a lone 80 is not). */
    CHECK(RUN("\xC0\xAF\n") == 0 && I.encoding == CSV_ENC_GB18030);
    CHECK_STR(G.out.ptr, "1:\xE8\x9C\xA1\n");
    CHECK(RUN("\xED\xA0\x80\n") == -1 && CODE_IS(E, "invalid_encoding"));
    CHECK(I.error_line == 1 && strstr(E.message, "字节偏移2"));
}

static void test_rfc4180(void)
{
    /* CRLF, blank lines skipped but counted, trailing empty line ignored. */
    CHECK(RUN("a,b\r\n\r\nc,d\r\n\r\n") == 0);
    CHECK_STR(G.out.ptr, "1:a|b\n3:c|d\n");
    CHECK(I.lines == 4);
    /* Quoted commas, doubled quotes and newlines; the row after a multi-line
     * field gets the right line number. */
    CHECK(RUN("name,note\r\n"
              "\"张,三\",\"他说\"\"你好\"\"\"\r\n"
              "王五,\"第一行\n第二行\r\n第三行\"\r\n"
              "赵六,\"\"\r\n") == 0);
    CHECK_STR(G.out.ptr, "1:name|note\n2:张,三|他说\"你好\"\n"
                         "3:王五|第一行\n第二行\r\n第三行\n6:赵六|\n");
    /* A row starting with a multi-line quoted field. */
    CHECK(RUN("h\n\"x\ny\"\nz\n") == 0);
    CHECK_STR(G.out.ptr, "1:h\n2:x\ny\n4:z\n");
    /* A quoted field whose first line is blank inside the quotes. */
    CHECK(RUN("\"\n\nq\",r\ns\n") == 0);
    CHECK_STR(G.out.ptr, "1:\n\nq|r\n4:s\n");
    /* No final newline; LF only; lone CR. */
    CHECK(RUN("a,b\nc,d") == 0);
    CHECK_STR(G.out.ptr, "1:a|b\n2:c|d\n");
    CHECK(RUN("a\rb\r") == 0);
    CHECK_STR(G.out.ptr, "1:a\n2:b\n");
    /* Spaces belong to fields; empty fields count; short and long rows are
     * delivered as they are. */
    CHECK(RUN(" a , b \n,,\nx\n1,2,3,4\n") == 0);
    CHECK_STR(G.out.ptr, "1: a | b \n2:||\n3:x\n4:1|2|3|4\n");
    CHECK(G.nul_ok);
}

static void test_malformed(void)
{
    CHECK(RUN("a,b\nx,y\"z\n") == -1 && CODE_IS(E, "malformed_csv"));
    CHECK(I.error_line == 2 && G.calls == 1 && strstr(E.message, "第2行第2列"));
    CHECK(RUN("a,b\n\"x\"y,z\n") == -1 && CODE_IS(E, "malformed_csv") && I.error_line == 2);
    CHECK(RUN("a,b\n\"x\" ,z\n") == -1 && CODE_IS(E, "malformed_csv"));
    /* A quote never closed: the error points at the row it opened on. */
    CHECK(RUN("a\n\"abc\ndef\n") == -1 && CODE_IS(E, "malformed_csv") && I.error_line == 2);
    CHECK(strstr(E.message, "第2行") != NULL);
}

static void test_limits(void)
{
    struct csv_limits lim = {0, 8, 3};
    CHECK(run_lim("abc,12345678\n", 13, &lim) == 0); /* exactly 8 */
    CHECK(run_lim("ab\nabc,123456789\n", 17, &lim) == -1 && CODE_IS(E, "field_too_long"));
    CHECK(I.error_line == 2 && strstr(E.message, "第2列") && G.calls == 1);
    /* Bytes, not characters: 张三张 is 9 bytes. */
    CHECK(run_lim("张三张\n", 10, &lim) == -1 && CODE_IS(E, "field_too_long"));
    /* Counted after decoding: 4 GBK bytes are 6 UTF-8 bytes. */
    lim.max_field = 5;
    CHECK(run_lim("\xD5\xC5\xC8\xFD\n", 5, &lim) == -1 && CODE_IS(E, "field_too_long"));
    lim.max_field = 8;
    CHECK(run_lim("a,b,c\n1,2,3,4\n", 14, &lim) == -1 && CODE_IS(E, "too_many_fields"));
    CHECK(I.error_line == 2 && I.rows == 1);
    /* An unclosed quote in a big file stops at the field limit, pointing at
     * the row where the quote opened, without buffering the rest. */
    struct buf big = BUF_INIT;
    buf_addstr(&big, "h\n\"open\n");
    for (int i = 0; i < 20000; i++)
        buf_addstr(&big, "row,row\r\n");
    lim.max_field = 4096;
    CHECK(run_lim(big.ptr, big.len, &lim) == -1 && CODE_IS(E, "field_too_long"));
    CHECK(I.error_line == 2);
    /* max_bytes. */
    lim.max_bytes = 100;
    CHECK(run_lim(big.ptr, big.len, &lim) == -1 && CODE_IS(E, "file_too_large"));
    CHECK(G.calls == 0);
    /* Long fields within the limit cross the feeding pieces intact, and line
     * numbers stay right over many rows. */
    buf_reset(&big);
    buf_addstr(&big, "k,v\r\n\"");
    for (int i = 0; i < 9000; i++)
        buf_addch(&big, i % 1000 == 999 ? '\n' : 'x');
    buf_addstr(&big, "\",end\r\n");
    for (int i = 0; i < 1000; i++)
        buf_addstr(&big, "a,b\r\n");
    buf_addstr(&big, "last,row");
    lim = (struct csv_limits){0, 10000, 0};
    CHECK(run_lim(big.ptr, big.len, &lim) == 0);
    CHECK(I.rows == 1003 && I.lines == 1012);
    const char *tail = G.out.ptr + G.out.len - strlen("1012:last|row\n");
    CHECK_STR(tail, "1012:last|row\n");
    CHECK(strstr(G.out.ptr, "\n2:xxx") != NULL && strstr(G.out.ptr, "\n12:a|b\n") != NULL);
    buf_release(&big);
}

static void test_early_stop(void)
{
    G.stop_at = 2;
    G.stop_rc = 7;
    CHECK(RUN("a\nb\nc\nd\n") == 7);
    CHECK_STR(G.out.ptr, "1:a\n2:b\n");
    CHECK(I.rows == 2 && E.kind == ERR_NONE);
    /* Stopping on the last row, which has no newline (delivered by fini). */
    G.stop_at = 2;
    G.stop_rc = -5;
    CHECK(RUN("a\nb") == -5 && E.kind == ERR_NONE);
    G.stop_at = 0;
}

static void test_file(void)
{
    char path[] = "/tmp/test_csv.XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    static const char gbk[] = "\xD0\xD5\xC3\xFB,x\r\n\xD5\xC5\xC8\xFD,1\r\n";
    CHECK(write(fd, gbk, sizeof(gbk) - 1) == (ssize_t)(sizeof(gbk) - 1));
    close(fd);
    buf_release(&G.out);
    G.calls = 0;
    E = (struct err)ERR_INIT;
    CHECK(csv_read_file(path, NULL, collect, &G, &I, &E) == 0);
    CHECK_STR(G.out.ptr, "1:姓名|x\n2:张三|1\n");
    CHECK(I.encoding == CSV_ENC_GB18030);
    struct csv_limits lim = {10, 0, 0};
    E = (struct err)ERR_INIT;
    CHECK(csv_read_file(path, &lim, collect, &G, NULL, &E) == -1 && CODE_IS(E, "file_too_large"));
    unlink(path);
    E = (struct err)ERR_INIT;
    CHECK(csv_read_file(path, NULL, collect, &G, &I, &E) == -1 && CODE_IS(E, "read_failed"));
    CHECK(strstr(E.message, path) != NULL);
}

static const struct csv_column cols[] = {
    {"name", (const char *const[]){"姓名", "name", NULL}, 1},
    {"id_number", (const char *const[]){"公民身份号码", "身份证号", "身份证号码", "id_number", NULL}, 1},
    {"phone", (const char *const[]){"联系电话", "电话", "phone", NULL}, 0},
    {"address", (const char *const[]){"现住址", "address", NULL}, 0},
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static void test_header(void)
{
    int idx[NCOLS];
    struct err e = ERR_INIT;
    const char *h1[] = {"序号", "姓名", "身份证号", "备注", "联系电话"};
    CHECK(csv_header_map(h1, 5, cols, NCOLS, idx, &e) == 0);
    CHECK(idx[0] == 1 && idx[1] == 2 && idx[2] == 4 && idx[3] == -1);
    /* English, any case; spaces, tabs, full-width and no-break spaces trimmed. */
    const char *h2[] = {" Name ", "\xE3\x80\x80ID_Number\xE3\x80\x80", "\tPHONE\xC2\xA0"};
    CHECK(csv_header_map(h2, 3, cols, NCOLS, idx, &e) == 0);
    CHECK(idx[0] == 0 && idx[1] == 1 && idx[2] == 2 && idx[3] == -1);
    const char *h3[] = {"　公民身份号码　", "　姓名 ", "现住址"};
    CHECK(csv_header_map(h3, 3, cols, NCOLS, idx, &e) == 0);
    CHECK(idx[0] == 1 && idx[1] == 0 && idx[2] == -1 && idx[3] == 2);
    /* Inner spaces and other characters must match exactly. */
    const char *h4[] = {"姓 名", "身份证号", "", "　"};
    CHECK(csv_header_map(h4, 4, cols, NCOLS, idx, &e) == -1);
    CHECK(CODE_IS(e, "missing_column") && strcmp(e.field, "name") == 0);
    CHECK(strstr(e.message, "姓名") != NULL);
    /* Every missing required column is named; the field is the first. */
    e = (struct err)ERR_INIT;
    const char *h5[] = {"电话"};
    CHECK(csv_header_map(h5, 1, cols, NCOLS, idx, &e) == -1 && CODE_IS(e, "missing_column"));
    CHECK(strstr(e.message, "姓名") && strstr(e.message, "公民身份号码"));
    CHECK(strcmp(e.field, "name") == 0 && e.kind == ERR_INVALID);
    /* One column under two headers. */
    e = (struct err)ERR_INIT;
    const char *h6[] = {"姓名", "身份证号", "电话", "公民身份号码"};
    CHECK(csv_header_map(h6, 4, cols, NCOLS, idx, &e) == -1 && CODE_IS(e, "duplicate_column"));
    CHECK(strcmp(e.field, "id_number") == 0 && strstr(e.message, "第2列和第4列"));
    e = (struct err)ERR_INIT;
    const char *h7[] = {"name", "姓名", "id_number"};
    CHECK(csv_header_map(h7, 3, cols, NCOLS, idx, &e) == -1 && CODE_IS(e, "duplicate_column"));
    /* No columns at all. */
    e = (struct err)ERR_INIT;
    CHECK(csv_header_map(NULL, 0, cols, NCOLS, idx, &e) == -1 && CODE_IS(e, "missing_column"));
    e = (struct err)ERR_INIT;
    CHECK(csv_header_map(h1, 5, cols + 2, 2, idx, &e) == 0 && idx[0] == 4 && idx[1] == -1);
}

/* The usual import: map the header from the first row, then read by key. */
struct import {
    int idx[NCOLS];
    struct err e;
    struct buf names;
};

static int import_row(void *ctx, size_t line, size_t nfields, const char *const *fields,
                      const size_t *lens)
{
    struct import *im = ctx;
    (void)lens;
    if (line == 1)
        return csv_header_map(fields, nfields, cols, NCOLS, im->idx, &im->e) ? 1 : 0;
    int i = im->idx[1];
    buf_addf(&im->names, "%s=%s;", fields[im->idx[0]], i >= 0 && (size_t)i < nfields ? fields[i] : "?");
    return 0;
}

static void test_import_flow(void)
{
    static const char gbk[] = "\xD0\xD5\xC3\xFB,\xC9\xED\xB7\xDD\xD6\xA4\xBA\xC5\r\n"
                              "\xD5\xC5\xC8\xFD,110\r\n";
    struct import im = {.e = ERR_INIT, .names = BUF_INIT};
    struct err e = ERR_INIT;
    CHECK(csv_read_buffer(gbk, sizeof(gbk) - 1, NULL, import_row, &im, NULL, &e) == 0);
    CHECK_STR(im.names.ptr, "张三=110;");
    buf_release(&im.names);
    struct import im2 = {.e = ERR_INIT, .names = BUF_INIT};
    CHECK(csv_read_buffer("a,b\n1,2\n", 8, NULL, import_row, &im2, NULL, &e) == 1);
    CHECK(CODE_IS(im2.e, "missing_column") && e.kind == ERR_NONE && im2.names.len == 0);
}

static void test_cleanup(void)
{
    buf_release(&G.out);
}

UNIT_MAIN(test_utf8, test_gbk, test_invalid_encoding, test_rfc4180, test_malformed, test_limits,
          test_early_stop, test_file, test_header, test_import_flow, test_cleanup)
