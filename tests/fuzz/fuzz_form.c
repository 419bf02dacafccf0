/*
 * libFuzzer target: form-urlencoded bodies (Open311 POST requests). Bytes
 * go through form_parse; what it accepts must be an object whose values are
 * strings or arrays of strings, and rendering it as XML (the Open311 writer)
 * must work; a refusal must say why.
 */
#include <stddef.h>
#include <stdint.h>

#include "util/form.h"
#include "util/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct err e = ERR_INIT;
    json_t *f = form_parse((const char *)data, size, &e);
    if (!f) {
        if (!e.code || !e.message[0])
            __builtin_trap();
        return 0;
    }
    const char *key;
    json_t *v;
    json_object_foreach(f, key, v)
    {
        if (!json_is_string(v) && !json_is_array(v))
            __builtin_trap();
    }
    struct buf b = BUF_INIT;
    json_t *wrapped = json_pack("{s:O}", "form", f);
    xml_from_json(&b, "r", "i", wrapped);
    json_decref(wrapped);
    buf_release(&b);
    json_decref(f);
    return 0;
}
