/*
 * libFuzzer target: the photo checker (util/image.h). Any bytes must give
 * either a refusal with a reason or an image of one of the three types with
 * a non-zero size, never a crash or a read outside the input.
 */
#include <stddef.h>
#include <stdint.h>

#include "util/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct image_info info;
    const char *why = NULL;
    if (image_check(data, size, &info, &why) == 0) {
        if (!image_mime(info.type) || !info.width || !info.height)
            __builtin_trap(); /* accepted without being an image */
    } else if (!why || !*why || info.type != IMAGE_NONE) {
        __builtin_trap(); /* refused without a reason */
    }
    return 0;
}
