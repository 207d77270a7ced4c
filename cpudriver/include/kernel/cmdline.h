/*
 * cmdline.h: reading `key=value` words from the kernel command line.
 *
 * The command line is a space-separated list of words; a word is `key=value`
 * or a bare `key` (whose value is the empty string).  Words that are neither
 * (the loader's path of the kernel, say) are ignored by lookups.  Pure code,
 * host-tested; no allocation.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Find the last word whose key is `key`; copy its value into val (always
 * NUL-terminated when vallen > 0).  Returns false if the key is absent or the
 * value does not fit (then val is the empty string).
 */
bool cmdline_get(const char *cmdline, const char *key, char *val, size_t vallen);

/* Like cmdline_get for an unsigned decimal or 0x-hex number. False on absence or garbage. */
bool cmdline_get_u64(const char *cmdline, const char *key, uint64_t *out);

/*
 * The words of a command line one by one: start with *pos = cmdline; each
 * call sets *word and *len to the next word (no spaces in it) and moves
 * *pos past it; false at the end.
 */
bool cmdline_next_word(const char **pos, const char **word, size_t *len);

#endif
