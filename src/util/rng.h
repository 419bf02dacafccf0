/*
 * rng.h - splitmix64: a small, seedable random stream that gives the same
 * numbers on every machine, for the demo data (never for secrets: those come
 * from libsodium).
 */
#ifndef PINGAN_RNG_H
#define PINGAN_RNG_H

#include <stdint.h>

struct rng {
    uint64_t state;
};

/* The next 64 random bits; advances the stream. */
uint64_t rng_next(struct rng *r);
/* A number in [0, n) (n > 0); advances the stream by one. */
uint64_t rng_below(struct rng *r, uint64_t n);

#include "banned.h"
#endif
