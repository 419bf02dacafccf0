/*
 * phone.c - telephone numbers. See phone.h for what is accepted.
 *
 * The input is first cut into groups of digits (separators: space, hyphen,
 * parentheses around the first group, "转" before the last group), then the
 * digits are read as a mobile number, or the groups as a landline. Groups
 * matter only for landlines, where they show area code and extension.
 */
#include "domain/phone.h"

#include <string.h>

#define MAX_GROUPS 8
#define MAX_GROUP_LEN 20
#define MAX_INPUT 64

struct groups {
    char d[MAX_GROUPS][MAX_GROUP_LEN + 1];
    size_t len[MAX_GROUPS];
    int n;
    int plus86;    /* began with +86 */
    int paren;     /* the first group stood in parentheses */
    int ext_index; /* index of the group after "转", or -1 */
};

static const char expected[] =
    "应为11位手机号码（如13812345678，可带+86）或带区号的固定电话（如0394-8123456）";

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

static int starts(const char *p, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* 1 if s (n digits) is a mainland mobile number. */
static int is_mobile(const char *s, size_t n)
{
    return n == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9';
}

/* Splits [p, end) into g. Returns 0, or -1 with *why set. */
static int split(const char *p, const char *end, struct groups *g, const char **why)
{
    int open = 0;       /* a group is being filled */
    int in_paren = 0;   /* inside ( ... ) */
    int ext_next = 0;   /* "转" seen, the next group is the extension */

    memset(g, 0, sizeof(*g));
    g->ext_index = -1;
    if (p < end && *p == '+') {
        if (!starts(p, end, "+86")) {
            *why = "只接受中国大陆号码（+86）";
            return -1;
        }
        g->plus86 = 1;
        p += 3;
    }
    while (p < end) {
        char c = *p;
        if (is_digit(c)) {
            if (!open) {
                if (g->n == MAX_GROUPS) {
                    *why = "电话号码的数字分组过多";
                    return -1;
                }
                if (ext_next) {
                    g->ext_index = g->n;
                    ext_next = 0;
                }
                g->n++;
                open = 1;
            }
            int i = g->n - 1;
            if (g->len[i] == MAX_GROUP_LEN) {
                *why = "电话号码过长";
                return -1;
            }
            g->d[i][g->len[i]++] = c;
            p++;
        } else if (is_space(c) || c == '-') {
            open = 0;
            p++;
        } else if (c == '(' || starts(p, end, "（")) {
            if (g->n != 0 || g->plus86 || g->paren || in_paren) {
                *why = "括号只能用在开头的区号两侧";
                return -1;
            }
            in_paren = 1;
            p += c == '(' ? 1 : strlen("（");
        } else if (c == ')' || starts(p, end, "）")) {
            if (!in_paren || g->n != 1) {
                *why = "括号只能用在开头的区号两侧";
                return -1;
            }
            in_paren = 0;
            g->paren = 1;
            open = 0;
            p += c == ')' ? 1 : strlen("）");
        } else if (starts(p, end, "转")) {
            if (g->n == 0 || ext_next || g->ext_index >= 0 || in_paren) {
                *why = "“转”只能用在分机号之前";
                return -1;
            }
            ext_next = 1;
            open = 0;
            p += strlen("转");
        } else {
            *why = "电话号码只可使用数字、空格、连字符、括号、“转”和+86";
            return -1;
        }
    }
    if (in_paren) {
        *why = "括号没有闭合";
        return -1;
    }
    if (ext_next) {
        *why = "“转”之后缺少分机号";
        return -1;
    }
    if (g->n == 0) {
        *why = "电话号码中没有数字";
        return -1;
    }
    return 0;
}

/* Appends n bytes of s to out (capacity 24, checked by the caller's limits). */
static void put(char *out, size_t *len, const char *s, size_t n)
{
    memcpy(out + *len, s, n);
    *len += n;
    out[*len] = '\0';
}

/* Reads g as a landline into out. Returns 0, or -1 with *why set. */
static int landline(const struct groups *g, const char *all, size_t nall, char out[24],
                    const char **why)
{
    size_t a;
    if (nall < 3 || all[0] != '0') {
        *why = NULL;
        return -1;
    }
    if (all[1] == '1' && all[2] == '0')
        a = 3;
    else if (all[1] == '2')
        a = 3;
    else if (all[1] >= '3' && all[1] <= '9')
        a = 4;
    else {
        *why = "区号无效（应为010、020-029或0加3位数字）";
        return -1;
    }

    /* The number starts after the area code: in group 0 or at group 1. */
    char number[MAX_GROUP_LEN * MAX_GROUPS + 1];
    size_t nlen = 0;
    int next;
    if (g->len[0] == a) {
        next = 1;
    } else if (g->len[0] > a && !g->paren) {
        nlen = g->len[0] - a;
        memcpy(number, g->d[0] + a, nlen);
        next = 1;
    } else {
        *why = "区号位数不对（010、020-029为3位，其余为4位）";
        return -1;
    }
    /* A number written in parts ("6552 1234") is joined until it has 7
     * digits; the "转" group is never part of it. */
    while (nlen < 7 && next < g->n && next != g->ext_index) {
        memcpy(number + nlen, g->d[next], g->len[next]);
        nlen += g->len[next];
        next++;
    }
    if (nlen < 7 || nlen > 8) {
        *why = "固定电话号码（不含区号）应为7或8位";
        return -1;
    }
    if (number[0] < '2') {
        *why = "固定电话号码（不含区号）不能以0或1开头";
        return -1;
    }

    const char *ext = NULL;
    size_t elen = 0;
    if (next < g->n) {
        if (next != g->n - 1 || (g->ext_index >= 0 && g->ext_index != next)) {
            *why = "号码之后只能有一个分机号";
            return -1;
        }
        ext = g->d[next];
        elen = g->len[next];
        if (elen > 6) {
            *why = "分机号应为1-6位";
            return -1;
        }
    } else if (g->ext_index >= 0) {
        *why = "“转”之后的分机号位置不对";
        return -1;
    }

    size_t len = 0;
    out[0] = '\0';
    put(out, &len, all, a);
    put(out, &len, "-", 1);
    put(out, &len, number, nlen);
    if (ext) {
        put(out, &len, "-", 1);
        put(out, &len, ext, elen);
    }
    return 0;
}

int phone_parse(const char *in, char out[24], const char *field, struct err *e)
{
    const char *f = field ? field : "phone";
    const char *why = NULL;
    struct groups g;

    out[0] = '\0';
    if (!in)
        in = "";
    const char *p = in, *end = in + strlen(in);
    while (p < end && is_space(*p))
        p++;
    while (end > p && is_space(end[-1]))
        end--;
    if (end - p > MAX_INPUT)
        return err_set(e, ERR_INVALID, "invalid_phone", field, "%s：电话号码过长，%s", f,
                       expected);
    if (split(p, end, &g, &why) != 0)
        return err_set(e, ERR_INVALID, "invalid_phone", field, "%s：%s；%s", f, why,
                       expected);

    char all[MAX_GROUP_LEN * MAX_GROUPS + 1];
    size_t n = 0;
    for (int i = 0; i < g.n; i++) {
        memcpy(all + n, g.d[i], g.len[i]);
        n += g.len[i];
    }
    all[n] = '\0';

    if (!g.paren && g.ext_index < 0) {
        const char *m = NULL;
        if (is_mobile(all, n))
            m = all;
        else if (!g.plus86 && n == 13 && memcmp(all, "86", 2) == 0 && is_mobile(all + 2, 11))
            m = all + 2;
        else if (!g.plus86 && n == 15 && memcmp(all, "0086", 4) == 0 && is_mobile(all + 4, 11))
            m = all + 4;
        if (m) {
            memcpy(out, m, 11);
            out[11] = '\0';
            return 0;
        }
    }
    if (g.plus86)
        return err_set(e, ERR_INVALID, "invalid_phone", field,
                       "%s：+86之后应为11位手机号码（以13-19开头），如+86 138-1234-5678", f);
    if (all[0] != '0')
        return err_set(e, ERR_INVALID, "invalid_phone", field,
                       "%s：手机号码应为11位、以13-19开头（如13812345678）；%s", f, expected);
    if (landline(&g, all, n, out, &why) != 0) {
        out[0] = '\0';
        return err_set(e, ERR_INVALID, "invalid_phone", field, "%s：%s；%s", f,
                       why ? why : "电话号码格式不对", expected);
    }
    return 0;
}

/* 1 if s[0..n) are all digits. */
static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return 0;
    return 1;
}

void phone_mask(const char *normalised, char *out, size_t size)
{
    char m[MAX_INPUT + 1];
    const char *s = normalised ? normalised : "";
    size_t n = strlen(s);
    int done = 0;

    if (n > MAX_INPUT)
        n = MAX_INPUT;
    memset(m, '*', n);
    m[n] = '\0';
    if (is_mobile(s, n) && all_digits(s, n)) {
        memcpy(m, s, 3);
        memcpy(m + 7, s + 7, 4);
        done = 1;
    }
    const char *dash = done ? NULL : strchr(s, '-');
    if (dash && s[0] == '0') {
        size_t a = (size_t)(dash - s);
        const char *num = dash + 1;
        const char *dash2 = strchr(num, '-');
        size_t nl = dash2 ? (size_t)(dash2 - num) : strlen(num);
        size_t el = dash2 ? strlen(dash2 + 1) : 0;
        if ((a == 3 || a == 4) && all_digits(s, a) && nl >= 7 && nl <= 8 &&
            all_digits(num, nl) && (!dash2 || (el >= 1 && el <= 6 && all_digits(dash2 + 1, el))) &&
            a + 1 + nl + (dash2 ? 1 + el : 0) == n) {
            memcpy(m, s, a + 1);                     /* area code and hyphen */
            memcpy(m + a + 1 + nl - 4, num + nl - 4, 4); /* last 4 of the number */
            if (dash2)
                m[a + 1 + nl] = '-';
        }
    }
    if (size == 0)
        return;
    size_t k = n < size - 1 ? n : size - 1;
    memcpy(out, m, k);
    out[k] = '\0';
}
