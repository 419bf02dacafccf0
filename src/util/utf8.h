/*
 * utf8.h - reading UTF-8 one code point at a time.
 */
#ifndef PINGAN_UTF8_H
#define PINGAN_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at *p (before end) into *cp and advances *p.
 * Returns 0, or -1 for a malformed or overlong sequence, a surrogate or a
 * value above U+10FFFF (then *p moves one byte, *cp = U+FFFD). */
int utf8_next(const unsigned char **p, const unsigned char *end, uint32_t *cp);

#include "banned.h"
#endif
