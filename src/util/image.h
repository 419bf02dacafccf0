/*
 * image.h - what an uploaded photo really is, from its bytes.
 *
 * The declared Content-Type of an upload is a claim; this module decides by
 * the bytes alone, and checks enough structure that a file which only starts
 * like an image is refused:
 *   JPEG  SOI, then marker segments whose lengths fit, a frame header (SOF)
 *         with non-zero size and 1-4 components before the first scan (SOS),
 *         scan data, and EOI as the last two bytes (nothing appended).
 *   PNG   the signature, IHDR first with a valid size, bit depth and colour
 *         type, every chunk inside the file with a correct CRC-32, at least
 *         one IDAT, and IEND exactly at the end.
 *   WebP  RIFF whose size is the file's, the WEBP form, a first chunk VP8,
 *         VP8L or VP8X with a valid header and non-zero size, and chunks that
 *         fill the RIFF exactly.
 * Nothing is decoded: pixels are not checked. Pure, no allocation; safe on
 * any input (fuzzed: tests/fuzz/fuzz_image.c).
 */
#ifndef PINGAN_IMAGE_H
#define PINGAN_IMAGE_H

#include <stddef.h>
#include <stdint.h>

enum image_type { IMAGE_NONE = 0, IMAGE_JPEG, IMAGE_PNG, IMAGE_WEBP };

struct image_info {
    enum image_type type;
    uint32_t width, height;
};

/* Checks the bytes. Returns 0 and fills out, or -1 with *why set to a static
 * Chinese sentence saying what is wrong (out->type is then IMAGE_NONE). */
int image_check(const unsigned char *p, size_t n, struct image_info *out, const char **why);

/* "image/jpeg", "image/png", "image/webp"; NULL for IMAGE_NONE. */
const char *image_mime(enum image_type t);
/* "jpg", "png", "webp"; NULL for IMAGE_NONE. */
const char *image_ext(enum image_type t);
/* The type a MIME type names (parameters after ';' ignored, case-insensitive),
 * or IMAGE_NONE. */
enum image_type image_type_of_mime(const char *mime);

#include "banned.h"
#endif
