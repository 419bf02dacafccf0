/*
 * form.h - application/x-www-form-urlencoded bodies (HTML forms, Open311
 * POST requests), parsed into a JSON object of strings so that the same
 * validators (jsonfield.h) check them as check JSON bodies.
 *
 * "+" is a space, "%XX" a byte; the decoded bytes must be UTF-8. A name
 * given twice is refused (ambiguous), except names ending in "[]", whose
 * values are collected into an array in order.
 */
#ifndef PINGAN_FORM_H
#define PINGAN_FORM_H

#include <jansson.h>
#include <stddef.h>

#include "err.h"

/* The object (caller owns), or NULL with e set: invalid_form (field: the
 * name at fault, when there is one). Pure. */
json_t *form_parse(const char *data, size_t len, struct err *e);

#include "banned.h"
#endif
