/*
 * idnumber.c - 公民身份号码 (GB 11643-1999). See idnumber.h for the rules.
 *
 * Strings are assembled byte by byte rather than with snprintf("%04d..."):
 * every value is already known to be a digit, and gcc -O2 cannot prove the
 * widths of ints, so snprintf into the small fixed arrays would warn.
 */
#include "domain/idnumber.h"

#include <string.h>
#include <time.h>

#include "util/xalloc.h"

static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_chars[] = "10X98765432";

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The check digit of the first 17 digits of body (ISO 7064 MOD 11-2). */
static char check_digit(const char *body)
{
    int s = 0;
    for (int i = 0; i < 17; i++)
        s += (body[i] - '0') * weights[i];
    return check_chars[s % 11];
}

static int digits_value(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int valid_ymd(int y, int m, int d)
{
    return y >= 1 && d >= 1 && d <= days_in_month(y, m);
}

/* Parses exactly "YYYY-MM-DD" naming a real date. 0 or -1. */
static int parse_iso_date(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !is_digit(s[i]))
            return -1;
    *y = digits_value(s, 4);
    *m = digits_value(s + 5, 2);
    *d = digits_value(s + 8, 2);
    return valid_ymd(*y, *m, *d) ? 0 : -1;
}

static long date_key(int y, int m, int d)
{
    return (long)y * 10000 + m * 100 + d;
}

/* Writes YYYY-MM-DD (y < 10000) into out[11]. */
static void format_date(int y, int m, int d, char out[11])
{
    out[0] = (char)('0' + y / 1000 % 10);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

/* GB/T 2260 province-level codes, plus 83 (Taiwan residence permits). */
static int province_valid(int p)
{
    return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
           (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
           p == 81 || p == 82 || p == 83;
}

/* region: 6 digits. 1 if it passes the rule documented in the header. */
static int region_valid(const char *region)
{
    int p = digits_value(region, 2);
    if (!province_valid(p))
        return 0;
    if (p >= 71)
        return 1; /* 710000 / 810000 / 820000 / 830000 are in use */
    return memcmp(region + 2, "0000", 4) != 0;
}

/* Number of UTF-8 characters in s, for messages about length. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

int idnumber_parse_at(const char *in, const char *today, struct idnumber *out, const char *field,
                      struct err *e)
{
    const char *f = field ? field : "id_number";
    int ty, tm, td;
    char id[19];

    memset(out, 0, sizeof(*out));
    if (parse_iso_date(today, &ty, &tm, &td) != 0)
        BUG("idnumber_parse_at: today \"%s\" is not YYYY-MM-DD", today ? today : "(null)");
    if (!in)
        in = "";

    size_t n = strlen(in);
    if (n != 18 && n != 15)
        return err_set(e, ERR_INVALID, "invalid_length", field,
                       "%s：公民身份号码应为18位（旧号码为15位），实际为%zu个字符", f,
                       utf8_chars(in));
    for (size_t i = 0; i < n; i++) {
        if (is_digit(in[i]))
            continue;
        if (n == 18 && i == 17 && (in[i] == 'X' || in[i] == 'x'))
            continue;
        if (n == 18 && i == 17)
            return err_set(e, ERR_INVALID, "invalid_characters", field,
                           "%s：公民身份号码第18位应为数字或X", f);
        return err_set(e, ERR_INVALID, "invalid_characters", field,
                       "%s：公民身份号码第%zu位应为数字", f, i + 1);
    }

    if (n == 18) {
        memcpy(id, in, 18);
        if (id[17] == 'x')
            id[17] = 'X';
    } else {
        memcpy(id, in, 6);
        id[6] = '1';
        id[7] = '9';
        memcpy(id + 8, in + 6, 9);
        id[17] = check_digit(id);
    }
    id[18] = '\0';

    if (!region_valid(id))
        return err_set(e, ERR_INVALID, "invalid_region", field,
                       "%s：公民身份号码前6位“%.6s”不是有效的行政区划代码", f, id);

    int y = digits_value(id + 6, 4), m = digits_value(id + 10, 2), d = digits_value(id + 12, 2);
    if (!valid_ymd(y, m, d))
        return err_set(e, ERR_INVALID, "invalid_birth_date", field,
                       "%s：公民身份号码中的出生日期“%.8s”不是有效日期", f, id + 6);
    if (date_key(y, m, d) < date_key(1800, 1, 1))
        return err_set(e, ERR_INVALID, "invalid_birth_date", field,
                       "%s：公民身份号码中的出生日期%.8s早于1800年1月1日", f, id + 6);
    if (date_key(y, m, d) > date_key(ty, tm, td))
        return err_set(e, ERR_INVALID, "invalid_birth_date", field,
                       "%s：公民身份号码中的出生日期%.8s晚于今天（%s）", f, id + 6, today);

    char want = check_digit(id);
    if (id[17] != want)
        return err_set(e, ERR_INVALID, "invalid_check_digit", field,
                       "%s：公民身份号码校验码错误，按前17位应为%c，实际为%c", f, want, id[17]);

    memcpy(out->id, id, sizeof(out->id));
    format_date(y, m, d, out->birth);
    out->gender = (id[16] - '0') % 2 ? 'M' : 'F';
    memcpy(out->region, id, 6);
    out->region[6] = '\0';
    return 0;
}

int idnumber_parse(const char *in, struct idnumber *out, const char *field, struct err *e)
{
    /* Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
    time_t now = time(NULL) + 8 * 3600;
    struct tm tm;
    char today[11];

    if (!gmtime_r(&now, &tm))
        BUG("idnumber_parse: gmtime_r failed");
    format_date(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, today);
    return idnumber_parse_at(in, today, out, field, e);
}

int idnumber_crosscheck(const struct idnumber *id, const char *gender, const char *birth,
                        struct err *e)
{
    int rc = 0;
    int y, m, d;

    if (gender) {
        if (strcmp(gender, "M") != 0 && strcmp(gender, "F") != 0)
            rc = err_set(e, ERR_INVALID, "invalid_gender", "gender",
                         "gender：性别应为M（男）或F（女）");
        else if (gender[0] != id->gender)
            rc = err_set(e, ERR_INVALID, "gender_mismatch", "gender",
                         "gender：填写的性别为%s，公民身份号码显示为%s，请核对",
                         gender[0] == 'M' ? "男" : "女", id->gender == 'M' ? "男" : "女");
    }
    if (birth) {
        if (parse_iso_date(birth, &y, &m, &d) != 0)
            rc = err_set(e, ERR_INVALID, "invalid_birth_date", "birth_date",
                         "birth_date：出生日期应为YYYY-MM-DD格式的有效日期");
        else if (strcmp(birth, id->birth) != 0)
            rc = err_set(e, ERR_INVALID, "birth_date_mismatch", "birth_date",
                         "birth_date：填写的出生日期为%s，公民身份号码显示为%s，请核对", birth,
                         id->birth);
    }
    return rc;
}

void idnumber_mask(const char *id18, char out[19])
{
    memset(out, '*', 18);
    out[18] = '\0';
    if (!id18 || strlen(id18) != 18)
        return;
    memcpy(out, id18, 6);
    memcpy(out + 14, id18 + 14, 4);
}

void idnumber_make(const char *region6, int year, int month, int day, int seq, char out[19])
{
    BUG_ON(!region6 || strlen(region6) != 6);
    for (int i = 0; i < 6; i++)
        BUG_ON(!is_digit(region6[i]));
    BUG_ON(!region_valid(region6));
    BUG_ON(year < 1800 || year > 9999 || !valid_ymd(year, month, day));
    BUG_ON(seq < 0 || seq > 999);

    char date[11];
    format_date(year, month, day, date);
    memcpy(out, region6, 6);
    memcpy(out + 6, date, 4);
    memcpy(out + 10, date + 5, 2);
    memcpy(out + 12, date + 8, 2);
    out[14] = (char)('0' + seq / 100);
    out[15] = (char)('0' + seq / 10 % 10);
    out[16] = (char)('0' + seq % 10);
    out[17] = check_digit(out);
    out[18] = '\0';
}
