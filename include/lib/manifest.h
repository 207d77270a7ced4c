/*
 * manifest: the boot manifest, which says which service runs on which cores.
 *
 * The text has one service per line:
 *
 *     <program> <cores> [rights=NAME,...] [span=CORES] [restart] [argument ...]  # comment
 *
 *   program   a boot module name: letters, digits and _ . + - /, at most
 *             MANIFEST_NAME_MAX characters, known to the caller
 *   cores     `all`, a core number `3`, a range `1-3`, or a comma list of
 *             numbers and ranges `0,2-4,7` (no spaces inside); decimal;
 *             each core at most once; every core < the machine's count
 *   rights    optional, right after the cores: the rights the service gets
 *             (include/sys/rights.h: console, trace, stop, spawn, bcast,
 *             kipc, notify, devmem), comma-separated, each at most once;
 *             without it the service has none
 *   span      optional, after the rights (or the cores): the cores a domain
 *             of this line may span (add a dispatcher on, libos_span_add),
 *             in the syntax of `cores`; without it, the line's own cores
 *   restart   optional flag, after the rights and span (or the cores):
 *             when one of its cores is restarted after a stop, the service
 *             is started there again (docs/08-monitors.md); `restart=...`,
 *             the flag twice, or rights=/span= after it are errors
 *   argument  words separated by spaces or tabs, passed to the program;
 *             no quoting, so an argument holds neither blanks nor '#'
 *
 * `#` starts a comment anywhere on a line; blank lines and comment lines are
 * skipped; lines end with LF (a CR before it is dropped).  Outside comments
 * only printable ASCII and tabs are allowed.  See docs/04-manifest.md.
 *
 * manifest_parse() reads the whole text and keeps going after a bad line:
 * each good line becomes a struct manifest_entry, each bad line a struct
 * manifest_error with its line number and one sentence, e.g.
 *     "manifest line 4: core 9 out of range (machine has 4 cores)"
 * so the boot core can report the bad lines and start the rest.  Limits
 * (line length, argument count and bytes, number of services) are enforced
 * with errors, never by silent truncation.
 *
 * Pure and freestanding: no allocation (the caller owns all storage), no
 * global state; callable on any core and on the host.  Entries hold no
 * pointers, so they can be copied into a message for another core.
 * Needs lib/fmt.c for the sentences.
 */
#ifndef LIB_MANIFEST_H
#define LIB_MANIFEST_H

#include <lib/err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/limits.h>
#include <sys/rights.h>

#define MANIFEST_NAME_MAX   (PROGRAM_NAME_MAX - 1) /* characters in a program name */
#define MANIFEST_LINE_MAX   255     /* characters in a line, comment included */
#define MANIFEST_ARGC_MAX   PROGRAM_ARGC_MAX /* arguments per service */
#define MANIFEST_ARGS_MAX   127     /* argument characters, one separator each */
#define MANIFEST_TEXT_MAX   65536   /* bytes in a whole manifest */
#define MANIFEST_MSG_MAX    112     /* bytes in an error sentence, NUL included */

_Static_assert(MANIFEST_ARGS_MAX + 1 <= PROGRAM_ARGS_MAX,
	       "a manifest line's arguments must fit a spawn request");

/* A set of cores, bit c of bits[c / 64] for core c. */
struct manifest_cores {
	uint64_t bits[CORES_MAX / 64];
};

/* One service line. */
struct manifest_entry {
	unsigned line;                          /* 1-based line number */
	char program[MANIFEST_NAME_MAX + 1];    /* NUL-terminated */
	struct manifest_cores cores;            /* never empty */
	uint32_t rights;                        /* DOMAIN_RIGHT_* granted */
	struct manifest_cores span;             /* cores it may span (span=) */
	bool restart;                           /* started again on a restarted core */
	unsigned argc;
	uint16_t argoff[MANIFEST_ARGC_MAX];     /* where argument i starts in args */
	char args[MANIFEST_ARGS_MAX + 1];       /* arguments, each NUL-terminated */
};

/* One bad line. */
struct manifest_error {
	unsigned line;                          /* 1-based; 0: the whole text */
	err_t err;
	char msg[MANIFEST_MSG_MAX];             /* "manifest line N: ..." */
};

/* What the caller knows about the machine and its boot modules. */
struct manifest_config {
	unsigned ncores;                        /* 1 .. CORES_MAX */
	/* Is `program` a boot module?  NULL accepts every well-formed name. */
	bool (*known)(const char *program, void *ctx);
	void *ctx;
};

/* Caller-owned results.  Set the four storage fields; parse sets the rest. */
struct manifest {
	struct manifest_entry *entries;
	unsigned max_entries;
	unsigned nentries;
	struct manifest_error *errors;
	unsigned max_errors;
	unsigned nerrors;                       /* errors stored, <= max_errors */
	unsigned bad_lines;                     /* every bad line, stored or not */
};

/*
 * Parse `len` bytes of manifest text (no NUL needed).  Fills m->entries with
 * every good line in order and m->errors with the first m->max_errors bad
 * lines; m->bad_lines counts all bad lines.  Returns:
 *   ERR_OK          every line was good
 *   ERR_INVAL       bad arguments (m or cfg NULL, ncores 0 or too large,
 *                   NULL storage with a non-zero max); nothing parsed
 *   ERR_TOOBIG      len > MANIFEST_TEXT_MAX; nothing parsed, one error
 *                   with line 0
 *   otherwise       the error of the first bad line (ERR_SYNTAX, ERR_RANGE,
 *                   ERR_NOENT, ERR_EXIST, ERR_TOOBIG, ERR_FULL); the good
 *                   lines are still all in m->entries
 */
err_t manifest_parse(const char *text, size_t len, const struct manifest_config *cfg,
		     struct manifest *m);

/* Argument i of e (0-based), or NULL if i >= e->argc. */
const char *manifest_arg(const struct manifest_entry *e, unsigned i);

/*
 * Write e's arguments joined by single spaces into buf (snprintf rules:
 * always NUL-terminated when size > 0); returns the full length.
 */
size_t manifest_args_join(const struct manifest_entry *e, char *buf, size_t size);

static inline bool manifest_cores_has(const struct manifest_cores *s, unsigned core)
{
	return core < CORES_MAX && (s->bits[core / 64] >> (core % 64)) & 1;
}

/* Number of cores in s. */
unsigned manifest_cores_count(const struct manifest_cores *s);

/* The smallest core >= from in s, or -1 if none:
 *     for (int c = manifest_cores_next(s, 0); c >= 0; c = manifest_cores_next(s, c + 1)) */
int manifest_cores_next(const struct manifest_cores *s, unsigned from);

#endif
