/* Unit tests of the validators: 公民身份号码, 统一社会信用代码, phone numbers. */
#include <stdint.h>

#include "unit.h"
#include "domain/idnumber.h"
#include "domain/phone.h"
#include "domain/uscc.h"

static const char today[] = "2026-06-15";

/* A small deterministic generator, so failures reproduce. */
static uint32_t rnd_state = 12345;
static uint32_t rnd(uint32_t n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 8) % n;
}

/* The MOD 11-2 check written again, independently of idnumber.c. */
static void with_check(const char *body17, char out[19])
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int s = 0;
    for (int i = 0; i < 17; i++) {
        out[i] = body17[i];
        s += (body17[i] - '0') * w[i];
    }
    out[17] = "10X98765432"[s % 11];
    out[18] = '\0';
}

/* Parses in; returns "ok" or the error code, and checks the error's shape. */
static const char *id_code(const char *in, const char *day)
{
    struct err e = ERR_INIT;
    struct idnumber o;
    if (idnumber_parse_at(in, day, &o, "id_number", &e) == 0) {
        CHECK(e.kind == ERR_NONE);
        return "ok";
    }
    CHECK(e.kind == ERR_INVALID);
    CHECK(e.field && strcmp(e.field, "id_number") == 0);
    CHECK(strstr(e.message, "id_number") != NULL);
    CHECK(o.id[0] == '\0' && o.gender == '\0'); /* cleared on failure */
    return e.code;
}

static void test_idnumber_examples(void)
{
    struct err e = ERR_INIT;
    struct idnumber o;

    /* The two examples of GB 11643-1999. */
    CHECK(idnumber_parse_at("11010519491231002X", today, &o, "id_number", &e) == 0);
    CHECK_STR(o.id, "11010519491231002X");
    CHECK_STR(o.birth, "1949-12-31");
    CHECK(o.gender == 'F'); /* 顺序码 002: even */
    CHECK_STR(o.region, "110105");

    CHECK(idnumber_parse_at("440524188001010014", today, &o, "id_number", &e) == 0);
    CHECK_STR(o.birth, "1880-01-01"); /* before 1900: allowed, the bound is 1800 */
    CHECK(o.gender == 'M');           /* 顺序码 001: odd */
    CHECK_STR(o.region, "440524");

    /* Lower-case x is normalised to X. */
    CHECK(idnumber_parse_at("11010519491231002x", today, &o, "id_number", &e) == 0);
    CHECK_STR(o.id, "11010519491231002X");

    /*
     * 15-digit upgrade. 110105491231002 → insert "19" before YYMMDD:
     * 11010519491231002 + check. Digits × weights (7 9 10 5 8 4 2 1 6 3 7 9
     * 10 5 8 4 2): 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167;
     * 167 mod 11 = 2 → "10X98765432"[2] = X → 11010519491231002X.
     */
    CHECK(idnumber_parse_at("110105491231002", today, &o, "id_number", &e) == 0);
    CHECK_STR(o.id, "11010519491231002X");
    CHECK_STR(o.birth, "1949-12-31");
    /*
     * 440524800101001 → 44052419800101001 + check:
     * 28+36+0+25+16+16+2+9+48+0+0+9+0+5+0+0+2 = 196; 196 mod 11 = 9 →
     * "10X98765432"[9] = 3 → 440524198001010013, born 1980-01-01, male.
     */
    CHECK(idnumber_parse_at("440524800101001", today, &o, "id_number", &e) == 0);
    CHECK_STR(o.id, "440524198001010013");
    CHECK_STR(o.birth, "1980-01-01");
    CHECK(o.gender == 'M');
    CHECK_STR(id_code("440524198001010013", today), "ok");
    CHECK(e.kind == ERR_NONE);

    /* The wall-clock variant. */
    CHECK(idnumber_parse("11010519491231002X", &o, NULL, &e) == 0);
    e = (struct err)ERR_INIT;
    CHECK(idnumber_parse("11010529991231002X", &o, NULL, &e) == -1); /* born 2999 */
    CHECK_STR(e.code, "invalid_birth_date");
    CHECK(e.field == NULL);
}

static void test_idnumber_errors(void)
{
    char id[19];
    struct err e = ERR_INIT;
    struct idnumber o;

    /* invalid_length */
    CHECK_STR(id_code("", today), "invalid_length");
    CHECK_STR(id_code(NULL, today), "invalid_length");
    CHECK_STR(id_code("11010519491231002", today), "invalid_length");
    CHECK_STR(id_code("11010519491231002X1", today), "invalid_length");
    CHECK_STR(id_code(" 11010519491231002X", today), "invalid_length"); /* no trimming */
    CHECK(idnumber_parse_at("1101051949", today, &o, "id_number", &e) == -1);
    CHECK(strstr(e.message, "实际为10个字符") != NULL);
    e = (struct err)ERR_INIT;
    CHECK(idnumber_parse_at("身份证号", today, &o, "id_number", &e) == -1); /* 12 bytes */
    CHECK(strstr(e.message, "实际为4个字符") != NULL);

    /* invalid_characters */
    CHECK_STR(id_code("11010519491231002Y", today), "invalid_characters");
    CHECK_STR(id_code("1101051949123100X2", today), "invalid_characters");
    CHECK_STR(id_code("11010519491231 02X", today), "invalid_characters");
    CHECK_STR(id_code("11010549123100X", today), "invalid_characters"); /* no X in 15 */
    CHECK_STR(id_code("身份证号码一", today), "invalid_characters"); /* 18 bytes */
    e = (struct err)ERR_INIT;
    CHECK(idnumber_parse_at("110105194912A1002X", today, &o, "id_number", &e) == -1);
    CHECK(strstr(e.message, "第13位") != NULL);

    /* invalid_region: each with a correct check digit, so only the region is wrong. */
    with_check("99010519491231002", id);
    CHECK_STR(id_code(id, today), "invalid_region");
    with_check("16010519491231002", id);
    CHECK_STR(id_code(id, today), "invalid_region");
    with_check("00010519491231002", id);
    CHECK_STR(id_code(id, today), "invalid_region");
    with_check("11000019491231002", id); /* a province with no county */
    CHECK_STR(id_code(id, today), "invalid_region");
    with_check("11010019491231002", id); /* city-level code: fine */
    CHECK_STR(id_code(id, today), "ok");
    with_check("81000019900101001", id); /* Hong Kong residence permit */
    CHECK_STR(id_code(id, today), "ok");
    with_check("83000019900101002", id); /* Taiwan residence permit */
    CHECK_STR(id_code(id, today), "ok");
    with_check("82000019900101003", id);
    CHECK_STR(id_code(id, today), "ok");

    /* invalid_birth_date */
    with_check("11010519490230002", id); /* 30 February */
    CHECK_STR(id_code(id, today), "invalid_birth_date");
    with_check("11010519491301002", id); /* month 13 */
    CHECK_STR(id_code(id, today), "invalid_birth_date");
    with_check("11010519490000002", id);
    CHECK_STR(id_code(id, today), "invalid_birth_date");
    with_check("11010519000229002", id); /* 1900 is not a leap year */
    CHECK_STR(id_code(id, today), "invalid_birth_date");
    with_check("11010520000229002", id); /* 2000 is */
    CHECK_STR(id_code(id, today), "ok");
    with_check("11010517991231002", id); /* before the lower bound */
    CHECK_STR(id_code(id, today), "invalid_birth_date");
    with_check("11010518000101002", id); /* the lower bound itself */
    CHECK_STR(id_code(id, today), "ok");
    with_check("11010520260615002", id); /* born today */
    CHECK_STR(id_code(id, today), "ok");
    with_check("11010520260616002", id); /* born tomorrow */
    CHECK_STR(id_code(id, today), "invalid_birth_date");
    CHECK_STR(id_code(id, "2026-06-16"), "ok");
    CHECK_STR(id_code("110105490230002", today), "invalid_birth_date"); /* 15-digit */
    e = (struct err)ERR_INIT;
    CHECK(idnumber_parse_at(id, today, &o, "id_number", &e) == -1);
    CHECK(strstr(e.message, "晚于今天（2026-06-15）") != NULL);

    /* invalid_check_digit, and the message names the expected digit. */
    CHECK_STR(id_code("110105194912310021", today), "invalid_check_digit");
    CHECK_STR(id_code("440524188001010015", today), "invalid_check_digit");
    e = (struct err)ERR_INIT;
    CHECK(idnumber_parse_at("110105194912310021", today, &o, "id_number", &e) == -1);
    CHECK(strstr(e.message, "应为X") != NULL);
    e = (struct err)ERR_INIT;
    CHECK(idnumber_parse_at("44052418800101001X", today, &o, "id_number", &e) == -1);
    CHECK(strstr(e.message, "应为4") != NULL);

    /* Every single-character substitution of a valid number is refused
     * (MOD 11-2 catches all of them; some fail earlier, on region or date). */
    static const char *const valid[] = {"11010519491231002X", "440524188001010014",
                                        "440524198001010013"};
    static const char subst[] = "0123456789X";
    int refused = 0, tried = 0;
    for (size_t v = 0; v < 3; v++) {
        for (int pos = 0; pos < 18; pos++) {
            for (const char *c = subst; *c; c++) {
                char m[19];
                memcpy(m, valid[v], 19);
                if (m[pos] == *c)
                    continue;
                m[pos] = *c;
                struct err e2 = ERR_INIT;
                tried++;
                if (idnumber_parse_at(m, today, &o, "id_number", &e2) == -1)
                    refused++;
                else
                    fprintf(stderr, "accepted mutation %s\n", m);
            }
        }
    }
    CHECK(tried > 500 && refused == tried);
}

static void test_idnumber_crosscheck(void)
{
    struct err e = ERR_INIT;
    struct idnumber o;

    CHECK(idnumber_parse_at("11010519491231002X", today, &o, "id_number", &e) == 0);
    CHECK(idnumber_crosscheck(&o, "F", "1949-12-31", &e) == 0);
    CHECK(idnumber_crosscheck(&o, NULL, NULL, &e) == 0);
    CHECK(idnumber_crosscheck(&o, "F", NULL, &e) == 0);
    CHECK(e.kind == ERR_NONE);

    CHECK(idnumber_crosscheck(&o, "M", NULL, &e) == -1);
    CHECK_STR(e.code, "gender_mismatch");
    CHECK_STR(e.field, "gender");
    CHECK(strstr(e.message, "gender") != NULL);

    e = (struct err)ERR_INIT;
    CHECK(idnumber_crosscheck(&o, NULL, "1949-12-30", &e) == -1);
    CHECK_STR(e.code, "birth_date_mismatch");
    CHECK_STR(e.field, "birth_date");
    CHECK(strstr(e.message, "1949-12-31") != NULL && strstr(e.message, "1949-12-30") != NULL);

    /* Both wrong: the first error sticks, the result is still -1. */
    e = (struct err)ERR_INIT;
    CHECK(idnumber_crosscheck(&o, "M", "1950-01-01", &e) == -1);
    CHECK_STR(e.code, "gender_mismatch");
    /* Gender right, birth wrong. */
    e = (struct err)ERR_INIT;
    CHECK(idnumber_crosscheck(&o, "F", "1950-01-01", &e) == -1);
    CHECK_STR(e.code, "birth_date_mismatch");

    e = (struct err)ERR_INIT;
    CHECK(idnumber_crosscheck(&o, "男", NULL, &e) == -1);
    CHECK_STR(e.code, "invalid_gender");
    CHECK_STR(e.field, "gender");
    e = (struct err)ERR_INIT;
    CHECK(idnumber_crosscheck(&o, NULL, "1949/12/31", &e) == -1);
    CHECK_STR(e.code, "invalid_birth_date");
    CHECK_STR(e.field, "birth_date");
}

static void test_idnumber_mask_make(void)
{
    char m[19];
    idnumber_mask("411624199001011234", m);
    CHECK_STR(m, "411624********1234");
    idnumber_mask("41162419900101123X", m);
    CHECK_STR(m, "411624********123X");
    idnumber_mask("11010519491231002X", m);
    CHECK_STR(m, "110105********002X");
    idnumber_mask("110105491231002", m); /* not normalised: hide everything */
    CHECK_STR(m, "******************");
    idnumber_mask(NULL, m);
    CHECK_STR(m, "******************");

    char id[19];
    idnumber_make("110105", 1949, 12, 31, 2, id);
    CHECK_STR(id, "11010519491231002X");
    idnumber_make("440524", 1880, 1, 1, 1, id);
    CHECK_STR(id, "440524188001010014");

    /* 1,000 generated numbers parse back to what went in. */
    static const char *const regions[] = {"110105", "411624", "440524", "310101", "650102",
                                          "540102", "130102", "810000", "830000", "371302"};
    int ok = 0;
    for (int i = 0; i < 1000; i++) {
        const char *r = regions[rnd(10)];
        int y = 1900 + (int)rnd(126), mo = 1 + (int)rnd(12), d = 1 + (int)rnd(28),
            seq = (int)rnd(1000);
        if (i % 50 == 0) { /* leap days and month ends too */
            y = 2000 - 4 * (int)rnd(25);
            mo = 2;
            d = 29;
        }
        idnumber_make(r, y, mo, d, seq, id);
        char ref[19];
        with_check(id, ref);
        struct err e = ERR_INIT;
        struct idnumber o;
        char birth[24];
        snprintf(birth, sizeof(birth), "%04d-%02d-%02d", y, mo, d);
        if (strcmp(ref, id) == 0 && idnumber_parse_at(id, today, &o, "id_number", &e) == 0 &&
            strcmp(o.id, id) == 0 && strcmp(o.birth, birth) == 0 &&
            o.gender == (seq % 2 ? 'M' : 'F') && strncmp(o.region, r, 6) == 0 &&
            idnumber_crosscheck(&o, seq % 2 ? "M" : "F", birth, &e) == 0)
            ok++;
        else
            fprintf(stderr, "round trip failed: %s (%s)\n", id, e.message);
    }
    CHECK(ok == 1000);
}

/* ------------------------------------------------------------------ USCC */

static const char alphabet31[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* The MOD 31 check written again, independently of uscc.c. */
static char ref_uscc_check(const char *s)
{
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (int)(strchr(alphabet31, s[i]) - alphabet31) * w[i];
    int c = (31 - sum % 31) % 31;
    return alphabet31[c];
}

static const char *uscc_code(const char *in)
{
    struct err e = ERR_INIT;
    char out[19];
    if (uscc_parse(in, out, "uscc", &e) == 0) {
        CHECK(strcmp(out, in) == 0);
        return "ok";
    }
    CHECK(e.kind == ERR_INVALID);
    CHECK(e.field && strcmp(e.field, "uscc") == 0);
    CHECK(strstr(e.message, "uscc") != NULL);
    CHECK(out[0] == '\0');
    return e.code;
}

/* in with the character at pos replaced by c. */
static const char *mutate(const char *in, int pos, char c)
{
    static char m[32];
    snprintf(m, sizeof(m), "%s", in);
    m[pos] = c;
    return m;
}

static void test_uscc(void)
{
    static const char *const valid[] = {"91350100M000100Y43", "91110000600037341L",
                                        "91440300708461136T"};
    struct err e = ERR_INIT;
    char out[19];

    for (int i = 0; i < 3; i++)
        CHECK_STR(uscc_code(valid[i]), "ok");

    /* Length. */
    CHECK_STR(uscc_code(""), "invalid_length");
    CHECK_STR(uscc_code(NULL), "invalid_length");
    CHECK_STR(uscc_code("91350100M000100Y4"), "invalid_length");  /* one deleted */
    CHECK_STR(uscc_code("91350100M000100Y433"), "invalid_length"); /* one inserted */
    CHECK(uscc_parse("913501", out, "uscc", &e) == -1 && strstr(e.message, "实际为6个字符"));

    /* Characters: lower case is an error, not upper-cased; I O S V Z are not used. */
    CHECK_STR(uscc_code(mutate(valid[0], 8, 'm')), "invalid_characters");
    CHECK_STR(uscc_code(mutate(valid[1], 17, 'l')), "invalid_characters");
    CHECK_STR(uscc_code(mutate(valid[0], 15, 'O')), "invalid_characters");
    CHECK_STR(uscc_code(mutate(valid[0], 8, 'I')), "invalid_characters");
    CHECK_STR(uscc_code(mutate(valid[2], 17, 'Z')), "invalid_characters");
    CHECK_STR(uscc_code(mutate(valid[0], 3, '-')), "invalid_characters");
    e = (struct err)ERR_INIT;
    CHECK(uscc_parse("91350100m000100Y43", out, "uscc", &e) == -1);
    CHECK(strstr(e.message, "第9位") && strstr(e.message, "大写"));

    /* Department, category, region (single characters, alphabet kept). */
    CHECK_STR(uscc_code(mutate(valid[0], 0, 'B')), "invalid_department");
    CHECK_STR(uscc_code(mutate(valid[1], 0, '0')), "invalid_department");
    CHECK_STR(uscc_code(mutate(valid[0], 1, '4')), "invalid_category"); /* 工商 has no 4 */
    CHECK_STR(uscc_code(mutate(valid[2], 1, 'A')), "invalid_category");
    CHECK_STR(uscc_code(mutate(valid[0], 2, '0')), "invalid_region");   /* 050100 */
    CHECK_STR(uscc_code(mutate(valid[1], 3, '9')), "invalid_region");   /* 190000 */
    CHECK_STR(uscc_code(mutate(valid[2], 4, 'A')), "invalid_region");   /* letter in region */

    /* 组织机构代码 check (GB 11714) and the final MOD 31 check. */
    CHECK_STR(uscc_code(mutate(valid[0], 8, 'N')), "invalid_org_code");
    CHECK_STR(uscc_code(mutate(valid[0], 16, '5')), "invalid_org_code");
    CHECK_STR(uscc_code(mutate(valid[1], 12, '1')), "invalid_org_code");
    CHECK_STR(uscc_code(mutate(valid[0], 17, '4')), "invalid_check_digit");
    CHECK_STR(uscc_code(mutate(valid[1], 5, '1')), "invalid_check_digit"); /* region 110100 */
    CHECK_STR(uscc_code(mutate(valid[2], 1, '2')), "invalid_check_digit"); /* 个体工商户 */
    e = (struct err)ERR_INIT;
    CHECK(uscc_parse("91350100M000100Y4A", out, "uscc", &e) == -1);
    CHECK(strstr(e.message, "应为3") != NULL);
    e = (struct err)ERR_INIT;
    CHECK(uscc_parse("91350100M000100Y53", out, "uscc", &e) == -1);
    CHECK(strstr(e.message, "应为4") != NULL);

    /* Every single-character substitution within the alphabet is refused. */
    int tried = 0, refused = 0;
    for (int v = 0; v < 3; v++) {
        for (int pos = 0; pos < 18; pos++) {
            for (const char *c = alphabet31; *c; c++) {
                if (valid[v][pos] == *c)
                    continue;
                const char *m = mutate(valid[v], pos, *c);
                struct err e2 = ERR_INIT;
                tried++;
                if (uscc_parse(m, out, "uscc", &e2) == -1)
                    refused++;
                else
                    fprintf(stderr, "accepted mutation %s\n", m);
            }
        }
    }
    CHECK(tried == 3 * 18 * 30 && refused == tried);
}

static void test_uscc_make(void)
{
    static const char *const pairs[] = {"11", "12", "13", "19", "21", "31", "35", "41", "51",
                                        "52", "53", "54", "55", "59", "61", "71", "72", "81",
                                        "91", "92", "93", "A1", "N1", "N2", "N3", "Y1"};
    static const char *const regions[] = {"100000", "110000", "350100", "440300", "411624",
                                          "540102", "650102", "310115"};
    char out[19];

    uscc_make('9', '1', "350100", "M000100Y", out);
    CHECK_STR(out, "91350100M000100Y43");
    uscc_make('9', '1', "110000", "60003734", out);
    CHECK_STR(out, "91110000600037341L");
    uscc_make('9', '1', "440300", "70846113", out);
    CHECK_STR(out, "91440300708461136T");

    int ok = 0, zero_checks = 0, x_org = 0, zero_org = 0;
    for (int i = 0; i < 1000; i++) {
        const char *p = pairs[rnd(sizeof(pairs) / sizeof(pairs[0]))];
        const char *r = regions[rnd(sizeof(regions) / sizeof(regions[0]))];
        char org8[9];
        for (int k = 0; k < 8; k++)
            org8[k] = alphabet31[rnd(31)];
        org8[8] = '\0';
        uscc_make(p[0], p[1], r, org8, out);
        struct err e = ERR_INIT;
        char back[19];
        if (uscc_parse(out, back, "uscc", &e) == 0 && strcmp(back, out) == 0 &&
            ref_uscc_check(out) == out[17] && memcmp(out + 8, org8, 8) == 0)
            ok++;
        else
            fprintf(stderr, "round trip failed: %s (%s)\n", out, e.message);
        zero_checks += out[17] == '0';
        x_org += out[16] == 'X';
        zero_org += out[16] == '0';
    }
    CHECK(ok == 1000);
    /* The edge cases of both checks occurred: S mod 31 = 0 → '0', and the
     * GB 11714 results 10 → X and 11 → 0. */
    CHECK(zero_checks > 0 && x_org > 0 && zero_org > 0);
}

/* ----------------------------------------------------------------- phone */

static const char *phone_ok(const char *in)
{
    static char out[24];
    struct err e = ERR_INIT;
    if (phone_parse(in, out, "phone", &e) != 0) {
        fprintf(stderr, "phone_parse(\"%s\"): %s\n", in ? in : "(null)", e.message);
        return "(error)";
    }
    return out;
}

static int phone_bad(const char *in)
{
    char out[24];
    struct err e = ERR_INIT;
    int rc = phone_parse(in, out, "phone", &e);
    return rc == -1 && e.kind == ERR_INVALID && strcmp(e.code, "invalid_phone") == 0 &&
           e.field && strcmp(e.field, "phone") == 0 && strstr(e.message, "phone") &&
           out[0] == '\0';
}

static void test_phone(void)
{
    /* Mobiles, with the prefixes and separators people write. */
    CHECK_STR(phone_ok("13812345678"), "13812345678");
    CHECK_STR(phone_ok("+86 138-1234-5678"), "13812345678");
    CHECK_STR(phone_ok("0086 13812345678"), "13812345678");
    CHECK_STR(phone_ok("86 13812345678"), "13812345678");
    CHECK_STR(phone_ok("8613812345678"), "13812345678");
    CHECK_STR(phone_ok("+8613812345678"), "13812345678");
    CHECK_STR(phone_ok("138 1234 5678"), "13812345678");
    CHECK_STR(phone_ok("  19912345678 "), "19912345678");

    /* Landlines. */
    CHECK_STR(phone_ok("0394-8123456"), "0394-8123456");
    CHECK_STR(phone_ok("(0394)8123456"), "0394-8123456");
    CHECK_STR(phone_ok("(0394) 8123456"), "0394-8123456");
    CHECK_STR(phone_ok("（0394）8123456"), "0394-8123456"); /* full-width */
    CHECK_STR(phone_ok("03948123456"), "0394-8123456");
    CHECK_STR(phone_ok("0394 8123456"), "0394-8123456");
    CHECK_STR(phone_ok("010-65521234"), "010-65521234");
    CHECK_STR(phone_ok("(010)6552 1234"), "010-65521234");
    CHECK_STR(phone_ok("01065521234"), "010-65521234");
    CHECK_STR(phone_ok("020-87654321"), "020-87654321");
    CHECK(phone_bad("020-12345678")); /* local numbers do not start with 1 */
    CHECK_STR(phone_ok("0394-8123456-123"), "0394-8123456-123");
    CHECK_STR(phone_ok("0394-8123456转123"), "0394-8123456-123");
    CHECK_STR(phone_ok("010 6552 1234 801"), "010-65521234-801");
    CHECK_STR(phone_ok("03948123456-1"), "0394-8123456-1");

    /* Refused. */
    CHECK(phone_bad("12345678901")); /* 12 is no mobile prefix */
    CHECK(phone_bad("1381234567"));  /* 10 digits */
    CHECK(phone_bad("138123456789")); /* 12 digits */
    CHECK(phone_bad("11012345678"));
    CHECK(phone_bad("13812345678a"));
    CHECK(phone_bad("138.1234.5678"));
    CHECK(phone_bad(""));
    CHECK(phone_bad("   "));
    CHECK(phone_bad(NULL));
    CHECK(phone_bad("+1 202 555 0123"));
    CHECK(phone_bad("+86 0394 8123456"));  /* landlines without +86 */
    CHECK(phone_bad("+86 13812345678 1")); /* trailing digit */
    CHECK(phone_bad("(13812345678)"));
    CHECK(phone_bad("13812345678转123"));
    CHECK(phone_bad("039-48123456"));   /* area code contradicts the plan */
    CHECK(phone_bad("(039)48123456"));
    CHECK(phone_bad("0394-812345"));    /* 6 digits */
    CHECK(phone_bad("0394-123456789")); /* 9 digits */
    CHECK(phone_bad("0394-0123456"));   /* local number starts with 0 */
    CHECK(phone_bad("0394-8123456-1234567")); /* extension too long */
    CHECK(phone_bad("0394-8123456-12-34"));
    CHECK(phone_bad("(0394 8123456"));
    CHECK(phone_bad("0394)8123456"));
    CHECK(phone_bad("0394-8123456转"));
    CHECK(phone_bad("0011-8123456"));
    CHECK(phone_bad("0086 0394 8123456"));
    CHECK(phone_bad("110"));
    CHECK(phone_bad("12345"));
    char longin[200];
    memset(longin, '1', sizeof(longin) - 1);
    longin[sizeof(longin) - 1] = '\0';
    CHECK(phone_bad(longin));

    struct err e = ERR_INIT;
    char out[24];
    CHECK(phone_parse("1381234567", out, "phone", &e) == -1);
    CHECK(strstr(e.message, "11位手机号码") != NULL);
    e = (struct err)ERR_INIT;
    CHECK(phone_parse("0394-812345", out, NULL, &e) == -1);
    CHECK(strstr(e.message, "0394-8123456") != NULL && e.field == NULL);

    /* Masks. */
    char m[24];
    phone_mask("13812345678", m, sizeof(m));
    CHECK_STR(m, "138****5678");
    phone_mask("0394-8123456", m, sizeof(m));
    CHECK_STR(m, "0394-***3456");
    phone_mask("010-65521234", m, sizeof(m));
    CHECK_STR(m, "010-****1234");
    phone_mask("0394-8123456-123", m, sizeof(m));
    CHECK_STR(m, "0394-***3456-***");
    phone_mask("abc-12", m, sizeof(m));
    CHECK_STR(m, "******");
    phone_mask(NULL, m, sizeof(m));
    CHECK_STR(m, "");
    phone_mask("13812345678", m, 4);
    CHECK_STR(m, "138");
    m[0] = 'z';
    phone_mask("13812345678", m, 0);
    CHECK(m[0] == 'z');
    /* Everything phone_parse accepts masks without showing the middle. */
    CHECK_STR(phone_ok("(010)6552 1234"), "010-65521234");
    phone_mask(phone_ok("+86 138-1234-5678"), m, sizeof(m));
    CHECK_STR(m, "138****5678");
}

UNIT_MAIN(test_idnumber_examples, test_idnumber_errors, test_idnumber_crosscheck,
          test_idnumber_mask_make, test_uscc, test_uscc_make, test_phone)
