/*
 * unit.h - the smallest test framework that does the job.
 * CHECK(cond) records a pass or a failure (with file:line and the
 * expression); UNIT_MAIN runs the listed test functions and prints
 * "N passed, N failed", exiting non-zero on any failure.
 */
#ifndef PINGAN_UNIT_H
#define PINGAN_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_pass, unit_fail;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond) {                                                                                \
            unit_pass++;                                                                           \
        } else {                                                                                   \
            unit_fail++;                                                                           \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)
#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (a_ && b_ && strcmp(a_, b_) == 0) {                                                     \
            unit_pass++;                                                                           \
        } else {                                                                                   \
            unit_fail++;                                                                           \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s == \"%s\", expected \"%s\"\n", __FILE__,  \
                    __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");                         \
        }                                                                                          \
    } while (0)

#define UNIT_MAIN(...)                                                                             \
    int main(void)                                                                                 \
    {                                                                                              \
        void (*tests[])(void) = {__VA_ARGS__};                                                     \
        for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)                              \
            tests[i]();                                                                            \
        printf("%s: %d passed, %d failed\n", __FILE__, unit_pass, unit_fail);                      \
        return unit_fail ? 1 : 0;                                                                  \
    }

#endif
