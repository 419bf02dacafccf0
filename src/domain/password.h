/*
 * password.h - the password policy and argon2id hashing (libsodium).
 *
 * Policy (GB/T 22239 level 3 practice): at least 8 characters, at most 128
 * bytes, at least three of lower case, upper case, digits and symbols, and
 * not containing the username.
 */
#ifndef PINGAN_PASSWORD_H
#define PINGAN_PASSWORD_H

#include <stddef.h>

#define PASSWORD_HASH_MAX 128

/* Returns 0 if pw satisfies the policy, else -1 with a Chinese message
 * (static string) in *why. */
int password_check_policy(const char *pw, const char *username, const char **why);
/* Hashes pw into out (size PASSWORD_HASH_MAX). ops/mem_kib: argon2id cost.
 * Returns 0 or -1 (out of memory for the cost). */
int password_hash(const char *pw, long ops, long mem_kib, char out[PASSWORD_HASH_MAX]);
/* Returns 1 if pw matches the stored hash, else 0. */
int password_verify(const char *hash, const char *pw);
/* Spends the same effort as a verify, for unknown users (timing). */
void password_dummy_verify(const char *pw, long ops, long mem_kib);

#include "util/banned.h"
#endif
