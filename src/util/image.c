#include "image.h"

#include <string.h>
#include <strings.h>

static uint32_t be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le24(const unsigned char *p)
{
    return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | le24(p);
}

static int fail(const char **why, const char *msg)
{
    *why = msg;
    return -1;
}

/* ------------------------------------------------------------------ JPEG */

/* Frame headers: SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
static int is_sof(unsigned m)
{
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

static int check_jpeg(const unsigned char *p, size_t n, struct image_info *out, const char **why)
{
    if (n < 4 || p[n - 2] != 0xFF || p[n - 1] != 0xD9)
        return fail(why, "JPEG 文件不以 EOI 结束（不完整或附加了其他数据）");
    size_t i = 2;
    int frame = 0;
    for (;;) {
        if (i >= n || p[i] != 0xFF)
            return fail(why, "JPEG 标记段结构损坏");
        while (i < n && p[i] == 0xFF) /* fill bytes */
            i++;
        if (i >= n)
            return fail(why, "JPEG 标记段结构损坏");
        unsigned m = p[i++];
        if (m == 0x00 || m == 0xD8 || m == 0xD9)
            return fail(why, "JPEG 在图像数据之前出现了非法标记");
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) /* TEM, RSTn: no length */
            continue;
        if (n - i < 2)
            return fail(why, "JPEG 标记段超出文件末尾");
        size_t len = be16(p + i);
        if (len < 2 || len > n - i)
            return fail(why, "JPEG 标记段长度超出文件末尾");
        const unsigned char *s = p + i + 2;
        if (is_sof(m)) {
            if (frame)
                return fail(why, "JPEG 含有多个帧头");
            unsigned comps = len >= 8 ? s[5] : 0;
            if (len < 8 || comps < 1 || comps > 4 || len != 8 + 3 * (size_t)comps)
                return fail(why, "JPEG 帧头（SOF）损坏");
            out->height = be16(s + 1);
            out->width = be16(s + 3);
            if (!out->width || !out->height)
                return fail(why, "JPEG 图像宽或高为 0");
            frame = 1;
        } else if (m == 0xDA) {
            if (!frame)
                return fail(why, "JPEG 在帧头（SOF）之前开始了扫描数据");
            /* Entropy-coded data and further scans follow; the file must end
             * with EOI after at least one byte of it. */
            if (i + len >= n - 2)
                return fail(why, "JPEG 没有图像数据");
            return 0;
        }
        i += len;
    }
}

/* ------------------------------------------------------------------- PNG */

static uint32_t crc32_of(const uint32_t table[256], const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++)
        c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static int ihdr_ok(const unsigned char *d)
{
    unsigned depth = d[8], color = d[9];
    int depth_ok;
    switch (color) {
    case 0:
        depth_ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
        break;
    case 3:
        depth_ok = depth == 1 || depth == 2 || depth == 4 || depth == 8;
        break;
    case 2:
    case 4:
    case 6:
        depth_ok = depth == 8 || depth == 16;
        break;
    default:
        depth_ok = 0;
    }
    return depth_ok && d[10] == 0 && d[11] == 0 && d[12] <= 1;
}

static int check_png(const unsigned char *p, size_t n, struct image_info *out, const char **why)
{
    /* The table of the PNG CRC (ISO 3309), built per call: 2 KiB of work,
     * no shared state between threads. */
    uint32_t table[256];
    for (uint32_t k = 0; k < 256; k++) {
        uint32_t c = k;
        for (int b = 0; b < 8; b++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[k] = c;
    }
    size_t i = 8;
    int idat = 0;
    for (int first = 1;; first = 0) {
        if (n - i < 12)
            return fail(why, "PNG 数据块超出文件末尾（不完整）");
        uint32_t len = be32(p + i);
        const unsigned char *type = p + i + 4;
        if (len > 0x7FFFFFFFu || len > n - i - 12)
            return fail(why, "PNG 数据块长度超出文件末尾");
        for (int k = 0; k < 4; k++)
            if (!((type[k] >= 'A' && type[k] <= 'Z') || (type[k] >= 'a' && type[k] <= 'z')))
                return fail(why, "PNG 数据块类型无效");
        if (crc32_of(table, type, (size_t)len + 4) != be32(type + 4 + len))
            return fail(why, "PNG 数据块校验和（CRC）不符");
        int is_ihdr = memcmp(type, "IHDR", 4) == 0;
        if (first != is_ihdr)
            return fail(why, "PNG 的第一个数据块必须是 IHDR，且只能有一个");
        if (is_ihdr) {
            const unsigned char *d = type + 4;
            if (len != 13 || !ihdr_ok(d))
                return fail(why, "PNG 的 IHDR 无效");
            out->width = be32(d);
            out->height = be32(d + 4);
            if (!out->width || !out->height || out->width > 0x7FFFFFFFu ||
                out->height > 0x7FFFFFFFu)
                return fail(why, "PNG 图像宽或高无效");
        }
        if (memcmp(type, "IDAT", 4) == 0)
            idat = 1;
        i += (size_t)len + 12;
        if (memcmp(type, "IEND", 4) == 0) {
            if (len != 0 || i != n)
                return fail(why, "PNG 的 IEND 不在文件末尾");
            if (!idat)
                return fail(why, "PNG 没有图像数据（IDAT）");
            return 0;
        }
    }
}

/* ------------------------------------------------------------------ WebP */

static int check_webp(const unsigned char *p, size_t n, struct image_info *out, const char **why)
{
    if (n < 20 || (size_t)le32(p + 4) != n - 8)
        return fail(why, "WebP 的 RIFF 长度与文件长度不符");
    size_t i = 12;
    for (int first = 1; i < n; first = 0) {
        if (n - i < 8)
            return fail(why, "WebP 数据块超出文件末尾");
        const unsigned char *tag = p + i, *d = p + i + 8;
        size_t len = le32(p + i + 4);
        if (len > n - i - 8)
            return fail(why, "WebP 数据块长度超出文件末尾");
        if (first) {
            if (memcmp(tag, "VP8 ", 4) == 0) {
                /* A key frame: bit 0 of the frame tag clear, then the start code. */
                if (len < 10 || (d[0] & 1) || d[3] != 0x9D || d[4] != 0x01 || d[5] != 0x2A)
                    return fail(why, "WebP 的 VP8 帧头无效");
                out->width = le16(d + 6) & 0x3FFF;
                out->height = le16(d + 8) & 0x3FFF;
            } else if (memcmp(tag, "VP8L", 4) == 0) {
                if (len < 5 || d[0] != 0x2F || (d[4] >> 5) != 0)
                    return fail(why, "WebP 的 VP8L 头无效");
                uint32_t bits = le32(d + 1);
                out->width = (bits & 0x3FFF) + 1;
                out->height = ((bits >> 14) & 0x3FFF) + 1;
            } else if (memcmp(tag, "VP8X", 4) == 0) {
                if (len != 10)
                    return fail(why, "WebP 的 VP8X 头无效");
                out->width = le24(d + 4) + 1;
                out->height = le24(d + 7) + 1;
            } else {
                return fail(why, "WebP 的第一个数据块不是 VP8、VP8L 或 VP8X");
            }
            if (!out->width || !out->height)
                return fail(why, "WebP 图像宽或高为 0");
        }
        /* Chunks are padded to an even length. */
        i += 8 + len + (len & 1);
    }
    if (i != n)
        return fail(why, "WebP 数据块超出文件末尾");
    return 0;
}

int image_check(const unsigned char *p, size_t n, struct image_info *out, const char **why)
{
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    memset(out, 0, sizeof(*out));
    enum image_type t = IMAGE_NONE;
    int rc;
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
        t = IMAGE_JPEG;
        rc = check_jpeg(p, n, out, why);
    } else if (n >= 8 && memcmp(p, png_sig, 8) == 0) {
        t = IMAGE_PNG;
        rc = check_png(p, n, out, why);
    } else if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) {
        t = IMAGE_WEBP;
        rc = check_webp(p, n, out, why);
    } else {
        rc = fail(why, "不是 JPEG、PNG 或 WebP 图片");
    }
    if (rc < 0) {
        memset(out, 0, sizeof(*out));
        return -1;
    }
    out->type = t;
    return 0;
}

const char *image_mime(enum image_type t)
{
    static const char *const mimes[] = {NULL, "image/jpeg", "image/png", "image/webp"};
    return (unsigned)t < 4 ? mimes[t] : NULL;
}

const char *image_ext(enum image_type t)
{
    static const char *const exts[] = {NULL, "jpg", "png", "webp"};
    return (unsigned)t < 4 ? exts[t] : NULL;
}

enum image_type image_type_of_mime(const char *mime)
{
    if (!mime)
        return IMAGE_NONE;
    size_t n = strcspn(mime, ";");
    while (n && (mime[n - 1] == ' ' || mime[n - 1] == '\t'))
        n--;
    for (int t = IMAGE_JPEG; t <= IMAGE_WEBP; t++) {
        const char *m = image_mime((enum image_type)t);
        if (strlen(m) == n && strncasecmp(mime, m, n) == 0)
            return (enum image_type)t;
    }
    return IMAGE_NONE;
}
