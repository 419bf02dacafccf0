/*
 * libFuzzer target: ledger import. Bytes go through csv_read_buffer (encoding
 * detection, GB18030 decoding, strict RFC 4180 parsing, limits) with small
 * limits, and the first row through csv_header_map, the way an importer
 * uses them. Besides crashes, leaks and undefined behaviour, a finding is:
 * a row breaking the limits, a field that is not NUL-terminated at its
 * length or not UTF-8, line numbers that do not increase, a row count that
 * disagrees with the calls, or an error without code, message or line.
 */
#include <stddef.h>
#include <stdint.h>

#include "util/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct csv_column cols[] = {
    {"name", (const char *const[]){"姓名", "name", NULL}, 1},
    {"id_number", (const char *const[]){"公民身份号码", "身份证号", "id_number", NULL}, 1},
    {"phone", (const char *const[]){"联系电话", "电话", "phone", NULL}, 0},
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))
#define MAX_FIELD 64
#define MAX_FIELDS 16

struct state {
    size_t calls, last_line, stop_at;
    int idx[NCOLS];
    int mapped;
};

static int utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t k = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                              : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (!k || n - i < k)
            return 0;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
        i += k;
    }
    return 1;
}

static int on_row(void *ctx, size_t line, size_t nfields, const char *const *fields,
                  const size_t *lens)
{
    struct state *st = ctx;
    st->calls++;
    if (line == 0 || line <= st->last_line || nfields == 0 || nfields > MAX_FIELDS)
        __builtin_trap();
    st->last_line = line;
    for (size_t i = 0; i < nfields; i++) {
        if (lens[i] > MAX_FIELD || fields[i][lens[i]] != '\0' || strlen(fields[i]) != lens[i] ||
            !utf8_ok((const unsigned char *)fields[i], lens[i]))
            __builtin_trap();
    }
    if (st->calls == 1) {
        struct err e = ERR_INIT;
        st->mapped = csv_header_map(fields, nfields, cols, NCOLS, st->idx, &e) == 0;
        if (!st->mapped && (!e.code || !e.field || !e.message[0]))
            __builtin_trap();
        for (size_t c = 0; st->mapped && c < NCOLS; c++)
            if (st->idx[c] >= (int)nfields || (cols[c].required && st->idx[c] < 0))
                __builtin_trap();
    } else if (st->mapped) {
        /* Read the mapped cells, tolerating short rows as an importer must. */
        volatile size_t sum = 0;
        for (size_t c = 0; c < NCOLS; c++)
            if (st->idx[c] >= 0 && (size_t)st->idx[c] < nfields)
                sum += lens[st->idx[c]];
        (void)sum;
    }
    return st->stop_at && st->calls == st->stop_at ? 42 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct state st = {0};
    /* The last byte picks an early stop now and then. */
    st.stop_at = size && data[size - 1] % 7 == 0 ? data[size - 1] % 5 : 0;
    struct csv_limits lim = {0, MAX_FIELD, MAX_FIELDS};
    struct csv_info info;
    struct err e = ERR_INIT;
    int rc = csv_read_buffer((const char *)data, size, &lim, on_row, &st, &info, &e);
    if (info.rows != st.calls)
        __builtin_trap();
    if (rc == -1) {
        if (!e.code || !e.message[0] || e.kind != ERR_INVALID)
            __builtin_trap();
        if (strcmp(e.code, "file_too_large") != 0 && info.error_line == 0)
            __builtin_trap();
    } else if (rc == 42) {
        if (e.kind != ERR_NONE || st.calls != st.stop_at)
            __builtin_trap();
    } else if (rc != 0 || e.kind != ERR_NONE) {
        __builtin_trap();
    }
    return 0;
}
