/* Unit tests of util/image: real tiny images pass with their size; every
 * truncation, appended byte and flipped structure byte fails with a reason;
 * nothing reads outside the buffer (each input is an exact heap copy, so
 * ASan sees an overread). The images are those of tests/lib/images.mjs
 * (they decode in Chromium). */
#include <stdlib.h>

#include "unit.h"
#include "util/image.h"

static const unsigned char png_1x1[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
    0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00,
    0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x64, 0x62, 0x06,
    0x00, 0x00, 0x0e, 0x00, 0x07, 0xd7, 0x6f, 0xe4, 0x78, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
static const unsigned char jpeg_8x8[] = {
    0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x02, 0x02, 0x02, 0x02, 0x02,
    0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
    0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
    0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
    0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
    0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0xff,
    0xc0, 0x00, 0x0b, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00,
    0xff, 0xc4, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xc4,
    0x00, 0x14, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x08,
    0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x3f, 0xff, 0xd9,
};
static const unsigned char webp_1x1[] = {
    0x52, 0x49, 0x46, 0x46, 0x16, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50,
    0x56, 0x50, 0x38, 0x4c, 0x0a, 0x00, 0x00, 0x00, 0x2f, 0x00, 0x00, 0x00,
    0x00, 0x88, 0xac, 0x7f, 0xff, 0x03,
};
/* Lossy: a VP8 key frame header of 640×480 (structure only, as the checker sees it). */
static const unsigned char webp_vp8[] = {
    'R', 'I', 'F', 'F', 22, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' ', 10, 0, 0, 0,
    0x50, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01,
};
/* Extended: VP8X canvas 300×200, then the lossless frame of webp_1x1. */
static const unsigned char webp_vp8x[] = {
    'R', 'I', 'F', 'F', 40, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 10, 0, 0, 0,
    0, 0, 0, 0, 43, 1, 0, 199, 0, 0,
    'V', 'P', '8', 'L', 10, 0, 0, 0, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x88, 0xac, 0x7f, 0xff, 0x03,
};

/* Checks an exact heap copy of p[0..n) (so an overread is an ASan report). */
static int check(const unsigned char *p, size_t n, struct image_info *info, const char **why)
{
    unsigned char *copy = malloc(n ? n : 1);
    if (n)
        memcpy(copy, p, n);
    *why = NULL;
    int rc = image_check(copy, n, info, why);
    free(copy);
    return rc;
}

static void expect_ok(const unsigned char *p, size_t n, enum image_type t, uint32_t w, uint32_t h)
{
    struct image_info info;
    const char *why;
    CHECK(check(p, n, &info, &why) == 0);
    CHECK(info.type == t);
    CHECK(info.width == w && info.height == h);
}

static void expect_bad(const unsigned char *p, size_t n)
{
    struct image_info info;
    const char *why;
    CHECK(check(p, n, &info, &why) == -1);
    CHECK(why && *why);
    CHECK(info.type == IMAGE_NONE);
}

/* Every proper prefix and the whole with a byte appended are refused. */
static void refuse_cut_and_appended(const unsigned char *p, size_t n)
{
    int all = 1;
    for (size_t k = 0; k < n; k++) {
        struct image_info info;
        const char *why;
        all &= check(p, k, &info, &why) == -1 && why != NULL;
    }
    CHECK(all);
    unsigned char *more = malloc(n + 1);
    memcpy(more, p, n);
    more[n] = 0;
    expect_bad(more, n + 1);
    free(more);
}

static void test_valid(void)
{
    expect_ok(png_1x1, sizeof(png_1x1), IMAGE_PNG, 1, 1);
    expect_ok(jpeg_8x8, sizeof(jpeg_8x8), IMAGE_JPEG, 8, 8);
    expect_ok(webp_1x1, sizeof(webp_1x1), IMAGE_WEBP, 1, 1);
    expect_ok(webp_vp8, sizeof(webp_vp8), IMAGE_WEBP, 640, 480);
    expect_ok(webp_vp8x, sizeof(webp_vp8x), IMAGE_WEBP, 300, 200);
}

static void test_truncated(void)
{
    refuse_cut_and_appended(png_1x1, sizeof(png_1x1));
    refuse_cut_and_appended(jpeg_8x8, sizeof(jpeg_8x8));
    refuse_cut_and_appended(webp_1x1, sizeof(webp_1x1));
    refuse_cut_and_appended(webp_vp8x, sizeof(webp_vp8x));
}

/* Flips one byte at off and expects a refusal. */
static void flip(const unsigned char *p, size_t n, size_t off, unsigned char x)
{
    unsigned char *c = malloc(n);
    memcpy(c, p, n);
    c[off] ^= x;
    expect_bad(c, n);
    free(c);
}

static void test_png_structure(void)
{
    flip(png_1x1, sizeof(png_1x1), 0, 0xff);  /* signature: not a PNG at all */
    flip(png_1x1, sizeof(png_1x1), 12, 0x01); /* IHDR renamed: type, CRC */
    flip(png_1x1, sizeof(png_1x1), 24, 0x03); /* bit depth 11 */
    flip(png_1x1, sizeof(png_1x1), 30, 0x01); /* IHDR CRC */
    flip(png_1x1, sizeof(png_1x1), 45, 0x10); /* IDAT data: its CRC no longer fits */
    flip(png_1x1, sizeof(png_1x1), 36, 0x40); /* IDAT length beyond the file */
    flip(png_1x1, sizeof(png_1x1), 68, 0x01); /* IEND CRC */
    /* No IDAT: IHDR then IEND. */
    unsigned char no_idat[8 + 25 + 12];
    memcpy(no_idat, png_1x1, 33);
    memcpy(no_idat + 33, png_1x1 + sizeof(png_1x1) - 12, 12);
    expect_bad(no_idat, sizeof(no_idat));
}

static void test_jpeg_structure(void)
{
    flip(jpeg_8x8, sizeof(jpeg_8x8), 1, 0x01);   /* SOI */
    flip(jpeg_8x8, sizeof(jpeg_8x8), 5, 0x80);   /* DQT length past the end */
    flip(jpeg_8x8, sizeof(jpeg_8x8), 79, 0x08);  /* SOF width 8 -> 0 */
    flip(jpeg_8x8, sizeof(jpeg_8x8), 80, 0x04);  /* SOF components 1 -> 5 */
    flip(jpeg_8x8, sizeof(jpeg_8x8), 71, 0x01);  /* a marker byte that is not 0xFF */
    flip(jpeg_8x8, sizeof(jpeg_8x8), sizeof(jpeg_8x8) - 1, 0x01); /* EOI */
    /* A scan before any frame header. */
    static const unsigned char no_sof[] = {0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 1, 0,
                                           0,    63,   0,    0x3f, 0xff, 0xd9};
    expect_bad(no_sof, sizeof(no_sof));
    /* SOI then EOI: no image. */
    static const unsigned char empty[] = {0xff, 0xd8, 0xff, 0xd9};
    expect_bad(empty, sizeof(empty));
}

static void test_webp_structure(void)
{
    flip(webp_1x1, sizeof(webp_1x1), 4, 0x02);  /* RIFF size */
    flip(webp_1x1, sizeof(webp_1x1), 8, 0x01);  /* WEBP form: not a WebP at all */
    flip(webp_1x1, sizeof(webp_1x1), 15, 0x01); /* VP8L -> VP8M */
    flip(webp_1x1, sizeof(webp_1x1), 16, 0x02); /* chunk size no longer fills the RIFF */
    flip(webp_1x1, sizeof(webp_1x1), 20, 0x01); /* VP8L signature */
    flip(webp_1x1, sizeof(webp_1x1), 24, 0x20); /* VP8L version 1 */
    flip(webp_vp8, sizeof(webp_vp8), 20, 0x01); /* not a key frame */
    flip(webp_vp8, sizeof(webp_vp8), 23, 0x01); /* start code */
    flip(webp_vp8x, sizeof(webp_vp8x), 16, 0x01); /* VP8X of 11 bytes */
}

static void test_not_images(void)
{
    static const unsigned char html[] = "<html><script>alert(1)</script></html>";
    static const unsigned char gif[] = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";
    expect_bad(html, sizeof(html) - 1);
    expect_bad(gif, sizeof(gif) - 1);
    expect_bad(png_1x1, 0);
}

static void test_mime(void)
{
    CHECK(image_type_of_mime("image/jpeg") == IMAGE_JPEG);
    CHECK(image_type_of_mime("IMAGE/PNG") == IMAGE_PNG);
    CHECK(image_type_of_mime("image/webp ; q=1") == IMAGE_WEBP);
    CHECK(image_type_of_mime("image/jpg") == IMAGE_NONE);
    CHECK(image_type_of_mime("image/pngx") == IMAGE_NONE);
    CHECK(image_type_of_mime("") == IMAGE_NONE);
    CHECK(image_type_of_mime(NULL) == IMAGE_NONE);
    CHECK_STR(image_mime(IMAGE_WEBP), "image/webp");
    CHECK_STR(image_ext(IMAGE_JPEG), "jpg");
    CHECK(image_mime(IMAGE_NONE) == NULL);
}

UNIT_MAIN(test_valid, test_truncated, test_png_structure, test_jpeg_structure,
          test_webp_structure, test_not_images, test_mime)
