/*
 * banned.h - functions that must not be used in Pingan.
 *
 * Included last by every .c file (through the module headers). Each banned
 * name becomes a compile error pointing here. Use instead:
 *   strcpy/strcat/strncpy/strncat -> buf_add*() or snprintf into a sized array
 *   sprintf/vsprintf              -> snprintf / buf_addf
 *   strtok                        -> explicit parsing with strchr / slices
 *   atoi/atol/atoll               -> conf_parse_int / strtoll with end checks
 *   localtime/gmtime/ctime/asctime-> the _r variants (thread safety)
 */
#ifndef PINGAN_BANNED_H
#define PINGAN_BANNED_H

/* The headers that declare the banned names come first, so that their own
 * declarations are not rewritten; later includes of them are no-ops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BANNED(func) sorry_##func##_is_a_banned_function_see_banned_h

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atoll
#define atoll(x) BANNED(atoll)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef asctime
#define asctime(t) BANNED(asctime)

#endif
