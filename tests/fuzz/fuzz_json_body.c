/*
 * libFuzzer target: the JSON body path. Bytes go through the same parse
 * that every request body takes (json_parse_object), then through every
 * pure body validator. Any crash, leak, overflow or undefined behaviour is
 * a finding; wrong input must only ever produce an error value.
 */
#include <stddef.h>
#include <stdint.h>

#include "domain/account.h"
#include "domain/area.h"
#include "http/request.h"
#include "util/jsonfield.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a = ARENA_INIT;
    const char *code = NULL, *message = NULL;
    json_t *body = json_parse_object((const char *)data, size, &a, &code, &message);
    if (!body) {
        /* A refusal must say why. */
        if (!code || !message || !*code || !*message)
            __builtin_trap();
        arena_release(&a);
        return 0;
    }
    struct err e = ERR_INIT;
    struct area_input ai;
    if (area_from_json(body, &ai, &e) == 0 && (!ai.code || !ai.name || !ai.level))
        __builtin_trap(); /* accepted without its required fields */
    e = (struct err)ERR_INIT;
    area_update_from_json(body, &ai, &e);
    e = (struct err)ERR_INIT;
    struct account_input ci;
    if (account_from_json(body, &ci, &e) == 0 && (!ci.username || !ci.password))
        __builtin_trap();
    e = (struct err)ERR_INIT;
    if (e.kind == ERR_NONE) {
        const char *s;
        int64_t n;
        int b, present;
        jf_str(body, "username", 1, 64, &s, &e);
        e = (struct err)ERR_INIT;
        jf_int(body, "advance_ms", 0, 0, 1000, &n, &present, &e);
        e = (struct err)ERR_INIT;
        jf_bool(body, "disabled", 0, &b, &present, &e);
    }
    json_decref(body);
    arena_release(&a);
    return 0;
}
