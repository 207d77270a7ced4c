/*
 * parse: numbers, key=value words and program names, for the kernel command
 * line, manifest arguments and boot-module names.
 *
 * One implementation of each, shared by the CPU driver, the monitors, libos
 * and the apps.  Pure and freestanding: no allocation, no global state,
 * callable on any core and on the host.
 *
 * Numbers are unsigned, decimal or hex with a 0x/0X prefix, and must fill
 * the whole string: "12", "0x1f"; not "", "0x", "12k", "-1", " 3".
 * A key=value word is `key=value` or a bare `key` (value "").
 */
#ifndef LIB_PARSE_H
#define LIB_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lib/err.h>

/*
 * Parse all of s as an unsigned number into *out.  ERR_SYNTAX if s is NULL,
 * empty or holds another character, ERR_RANGE if it overflows 64 bits; *out
 * is written only on success.
 */
err_t parse_u64(const char *s, uint64_t *out);

/*
 * Does the word w[0, len) have key `key` (the whole word, or followed by
 * '=')?  If so, *value_at is where its value starts (len for a bare key).
 * An empty key never matches.
 */
bool parse_kv_match(const char *w, size_t len, const char *key, size_t *value_at);

/*
 * The value of the last argv[first..argc-1] word with key `key`, or NULL if
 * none has it.  The pointer is into that argv string.
 */
const char *parse_kv_find(int argc, char *const *argv, int first, const char *key);

/*
 * The program name of a module path: the last '/'-separated component of
 * its first space-separated word ("/boot/hello arg" -> "hello"), copied into
 * out (NUL-terminated, truncated to outlen - 1 characters).  outlen > 0.
 * Returns the untruncated length of the name.
 */
size_t parse_program_name(const char *path, char *out, size_t outlen);

/* Does s end with suffix? */
bool parse_ends_with(const char *s, const char *suffix);

#endif
