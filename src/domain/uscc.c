/*
 * uscc.c - 统一社会信用代码 (GB 32100-2015). See uscc.h for the rules.
 */
#include "domain/uscc.h"

#include <string.h>

#include "util/xalloc.h"

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int weights31[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
static const int weights11[8] = {3, 7, 9, 10, 5, 8, 4, 2};

/* 登记管理部门码 → the 机构类别码 allowed with it (see the header). */
static const struct {
    char dept;
    const char *cats;
} categories[] = {
    {'1', "1239"},    /* 机构编制: 机关, 事业单位, 编办管理的群众团体, 其他 */
    {'2', "19"},      /* 外交: 外国常驻新闻机构, 其他 */
    {'3', "1234569"}, /* 司法行政: 律师, 公证, 基层法律服务, 司法鉴定, 仲裁, 商事调解, 其他 */
    {'4', "19"},      /* 文化: 外国在华文化中心, 其他 */
    {'5', "123459"},  /* 民政: 社会团体, 民办非企业, 基金会, 村委会, 居委会, 其他 */
    {'6', "129"},     /* 旅游: 外国 / 港澳台旅游部门常驻代表机构, 其他 */
    {'7', "129"},     /* 宗教: 宗教活动场所, 宗教院校, 其他 */
    {'8', "129"},     /* 工会: 基层工会, 非法人工会组织, 其他 */
    {'9', "1239"},    /* 工商/市场监管: 企业, 个体工商户, 农民专业合作社, 其他 */
    {'A', "19"},      /* 中央军委改革和编制办公室: 军队事业单位, 其他 */
    {'G', "19"},      /* 公安: 境外非政府组织代表机构, 其他 */
    {'J', "19"},      /* 住房城乡建设: 业主大会, 其他 */
    {'N', "1239"},    /* 农业: 组级, 村级, 乡镇级集体经济组织, 其他 */
    {'Q', "1239"},    /* 侨联: 区县级, 乡镇级, 村级侨联组织, 其他 */
    {'Y', "1"},       /* 其他: 不再细分, 统一用1 */
};

/* Value 0..30 of c in the alphabet, or -1. */
static int value31(char c)
{
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

static const char *dept_categories(char dept)
{
    for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
        if (categories[i].dept == dept)
            return categories[i].cats;
    return NULL;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* GB/T 2260 province-level codes, plus 10 for national authorities. */
static int region_valid(const char *r)
{
    for (int i = 0; i < 6; i++)
        if (!is_digit(r[i]))
            return 0;
    int p = (r[0] - '0') * 10 + (r[1] - '0');
    return p == 10 || (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
           (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
           p == 81 || p == 82;
}

/* GB 11714 check character of the 8 characters at s (digits, A=10 … Z=35). */
static char org_check(const char *s)
{
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        int v = is_digit(s[i]) ? s[i] - '0' : s[i] - 'A' + 10;
        sum += v * weights11[i];
    }
    int c = 11 - sum % 11;
    if (c == 10)
        return 'X';
    if (c == 11)
        return '0';
    return (char)('0' + c);
}

/* GB 32100 check character of the first 17 characters at s. */
static char final_check(const char *s)
{
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += value31(s[i]) * weights31[i];
    int c = 31 - sum % 31;
    return alphabet[c == 31 ? 0 : c];
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

int uscc_parse(const char *in, char out[19], const char *field, struct err *e)
{
    const char *f = field ? field : "uscc";

    out[0] = '\0';
    if (!in)
        in = "";
    size_t n = strlen(in);
    if (n != 18)
        return err_set(e, ERR_INVALID, "invalid_length", field,
                       "%s：统一社会信用代码应为18位，实际为%zu个字符", f, utf8_chars(in));
    for (size_t i = 0; i < 18; i++) {
        char c = in[i];
        if (value31(c) >= 0)
            continue;
        if (c >= 'a' && c <= 'z')
            return err_set(e, ERR_INVALID, "invalid_characters", field,
                           "%s：统一社会信用代码第%zu位是小写字母，字母应为大写", f, i + 1);
        if (c >= 'A' && c <= 'Z')
            return err_set(e, ERR_INVALID, "invalid_characters", field,
                           "%s：统一社会信用代码第%zu位不能是字母%c（不使用I、O、S、V、Z）", f,
                           i + 1, c);
        return err_set(e, ERR_INVALID, "invalid_characters", field,
                       "%s：统一社会信用代码第%zu位应为数字或大写字母", f, i + 1);
    }

    const char *cats = dept_categories(in[0]);
    if (!cats)
        return err_set(e, ERR_INVALID, "invalid_department", field,
                       "%s：统一社会信用代码第1位（登记管理部门码）“%c”无效", f, in[0]);
    if (!strchr(cats, in[1]))
        return err_set(e, ERR_INVALID, "invalid_category", field,
                       "%s：统一社会信用代码第2位（机构类别码）“%c”对登记管理部门“%c”无效，应为%s之一",
                       f, in[1], in[0], cats);
    if (!region_valid(in + 2))
        return err_set(e, ERR_INVALID, "invalid_region", field,
                       "%s：统一社会信用代码第3-8位“%.6s”不是有效的行政区划代码", f, in + 2);
    char want = org_check(in + 8);
    if (in[16] != want)
        return err_set(e, ERR_INVALID, "invalid_org_code", field,
                       "%s：统一社会信用代码第9-17位（组织机构代码）“%.9s”校验错误，第17位应为%c",
                       f, in + 8, want);
    want = final_check(in);
    if (in[17] != want)
        return err_set(e, ERR_INVALID, "invalid_check_digit", field,
                       "%s：统一社会信用代码校验码错误，按前17位应为%c，实际为%c", f, want, in[17]);

    memcpy(out, in, 19);
    return 0;
}

void uscc_make(char dept, char cat, const char *region6, const char *org8, char out[19])
{
    const char *cats = dept_categories(dept);
    BUG_ON(!cats || !cat || !strchr(cats, cat));
    BUG_ON(!region6 || strlen(region6) != 6 || !region_valid(region6));
    BUG_ON(!org8 || strlen(org8) != 8);
    for (int i = 0; i < 8; i++)
        BUG_ON(value31(org8[i]) < 0);

    out[0] = dept;
    out[1] = cat;
    memcpy(out + 2, region6, 6);
    memcpy(out + 8, org8, 8);
    out[16] = org_check(out + 8);
    out[17] = final_check(out);
    out[18] = '\0';
}
