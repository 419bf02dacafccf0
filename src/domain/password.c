#include "password.h"

#include <sodium.h>
#include <string.h>

int password_check_policy(const char *pw, const char *username, const char **why)
{
    size_t len = strlen(pw);
    size_t chars = 0;
    int lower = 0, upper = 0, digit = 0, other = 0;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
        if ((*p & 0xC0) != 0x80)
            chars++;
        if (*p >= 'a' && *p <= 'z')
            lower = 1;
        else if (*p >= 'A' && *p <= 'Z')
            upper = 1;
        else if (*p >= '0' && *p <= '9')
            digit = 1;
        else
            other = 1;
    }
    if (chars < 8) {
        *why = "密码至少需要8个字符";
        return -1;
    }
    if (len > 128) {
        *why = "密码不能超过128个字节";
        return -1;
    }
    if (lower + upper + digit + other < 3) {
        *why = "密码需包含小写字母、大写字母、数字、符号中的至少三类";
        return -1;
    }
    if (username && *username && strcasestr(pw, username)) {
        *why = "密码不能包含用户名";
        return -1;
    }
    return 0;
}

int password_hash(const char *pw, long ops, long mem_kib, char out[PASSWORD_HASH_MAX])
{
    char tmp[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(tmp, pw, strlen(pw), (unsigned long long)ops,
                              (size_t)mem_kib * 1024, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return -1;
    memcpy(out, tmp, sizeof(tmp) < PASSWORD_HASH_MAX ? sizeof(tmp) : PASSWORD_HASH_MAX);
    out[PASSWORD_HASH_MAX - 1] = '\0';
    return 0;
}

int password_verify(const char *hash, const char *pw)
{
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void password_dummy_verify(const char *pw, long ops, long mem_kib)
{
    /* Hashing costs what verifying costs: an unknown username takes as long
     * to refuse as a wrong password. */
    char tmp[PASSWORD_HASH_MAX];
    if (password_hash(pw, ops, mem_kib, tmp) < 0)
        tmp[0] = '\0';
}
