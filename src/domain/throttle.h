/*
 * throttle.h - failed-login counting per client address, in memory.
 *
 * Lockout protects one account; this protects all of them from one address
 * guessing many usernames. An address with `max` failures inside `window`
 * is refused (429) until the window has passed. A fixed table of slots keyed
 * by a hash of the address; two addresses that share a slot take turns in it
 * (a new window starts when the other one writes), which can only loosen the
 * limit for them, never block an address that has not failed.
 */
#ifndef PINGAN_THROTTLE_H
#define PINGAN_THROTTLE_H

#include <stdint.h>

/* Seconds until the address may try again, or 0 if it may now. */
int throttle_wait_s(const char *address, int64_t now, long max, int64_t window_ms);
/* Counts a failure of the address. */
void throttle_fail(const char *address, int64_t now, int64_t window_ms);

#include "util/banned.h"
#endif
