/*
 * libos/libos.h: the user library every domain links (build/libos/libos.a).
 *
 * A domain is a static ELF program started by its core's CPU driver (see
 * include/sys/domain.h).  libos's crt0 `_start` receives the read-only
 * start-info page, libos_start() copies what it needs into writable
 * globals, and then calls
 *
 *     int main(int argc, char **argv);
 *
 * with C's convention: argv[0] is the program name (the boot module's name),
 * argv[1..argc-1] the arguments from the boot manifest line, argv[argc] is
 * NULL.  So argc == libos_argc() + 1.  When main returns, its value is
 * passed to exit().  The strings live in the read-only start-info page:
 * do not write to them.
 *
 * Everything else a program needs comes from this header and the ones it
 * includes: system calls (libos/sys.h), printf (libos/stdio.h), malloc
 * (libos/malloc.h), the string functions (lib/string.h), errors
 * (lib/err.h).  The event loop is libos/waitset.h.
 *
 * Domains are single-threaded: nothing in libos takes a lock, and nothing
 * may be called from two threads of one domain at once.
 */
#ifndef LIBOS_LIBOS_H
#define LIBOS_LIBOS_H

#include <lib/err.h>
#include <lib/parse.h>
#include <lib/string.h>
#include <libos/malloc.h>
#include <libos/stdio.h>
#include <libos/sys.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Provided by the program. */
int main(int argc, char **argv);

/* The core this domain runs on (from the start info; it never moves). */
unsigned libos_core_id(void);
/* Cores up in the system when this domain started. */
unsigned libos_ncores(void);
/* This domain's id on its core. */
unsigned libos_domain_id(void);
/* TSC ticks per second. */
uint64_t libos_tsc_hz(void);
/* The program (boot module) name, NUL-terminated. */
const char *libos_program(void);
/* Number of manifest arguments (not counting the program name). */
unsigned libos_argc(void);
/* Manifest arguments, a NULL-terminated array of libos_argc() strings. */
const char *const *libos_args(void);
/* Manifest argument i, or NULL if i >= libos_argc(). */
const char *libos_arg(unsigned i);

/* End the domain with `code` (0 success); does not return. */
__attribute__((noreturn)) void exit(int code);
/* Print "abort: <msg>" and exit with code 134; for broken invariants. */
__attribute__((noreturn)) void libos_abort(const char *msg);

/* The TSC (libos_tsc_hz() ticks per second). */
static inline uint64_t libos_tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* The TSC after every earlier instruction has completed: for timing code. */
static inline uint64_t libos_tsc_serialized(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* Upcalls the CPU driver made to this domain's dispatcher so far. */
uint64_t libos_upcalls(void);

#endif
