#include "utf8.h"

int utf8_next(const unsigned char **p, const unsigned char *end, uint32_t *cp)
{
    const unsigned char *s = *p;
    unsigned c = s[0];
    int n;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        *p = s + 1;
        return 0;
    } else if ((c & 0xE0) == 0xC0) {
        n = 1, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 2, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 3, v = c & 0x07, min = 0x10000;
    } else {
        goto bad;
    }
    if (end - s <= n)
        goto bad;
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            goto bad;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        goto bad;
    *cp = v;
    *p = s + n + 1;
    return 0;
bad:
    *cp = 0xFFFD;
    *p = s + 1;
    return -1;
}
