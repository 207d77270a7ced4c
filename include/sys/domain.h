/*
 * sys/domain.h: how a domain starts, and the user address-space plan.
 * Shared by the kernel (which builds it) and libos (crt0, malloc).
 *
 * User address space of every domain:
 *   DOMAIN_IMAGE_LO .. DOMAIN_IMAGE_HI   the program's ELF segments
 *   DOMAIN_HEAP_BASE ..                  free for SYS_MAP (libos's malloc
 *                                        grows its heap from here up)
 *   DOMAIN_STACK_TOP - DOMAIN_STACK_SIZE .. DOMAIN_STACK_TOP
 *                                        the stack, with an unmapped guard
 *                                        page below it: overrunning it
 *                                        faults and ends the domain
 *   DOMAIN_START_INFO                    one read-only page: struct
 *                                        domain_start, then argument strings
 *
 * The CPU driver enters the domain at its ELF entry point (the dispatcher's
 * start upcall, libos crt0 `_start`) with rdi = DOMAIN_START_INFO and
 * rsp = DOMAIN_STACK_TOP (16-byte aligned).
 */
#ifndef SYS_DOMAIN_H
#define SYS_DOMAIN_H

#define DOMAIN_IMAGE_LO    0x0000000000400000ull
#define DOMAIN_IMAGE_HI    0x0000000040000000ull
#define DOMAIN_IMAGE_MAX   (16ull << 20)      /* bytes of loaded segments */
#define DOMAIN_HEAP_BASE   0x0000001000000000ull
#define DOMAIN_STACK_TOP   0x00007fff00000000ull
#define DOMAIN_STACK_SIZE  (64ull << 10)
#define DOMAIN_START_INFO  0x00007fff00001000ull
#define DOMAIN_ARGC_MAX    16
#define DOMAIN_PROGRAM_MAX 32

#ifndef __ASSEMBLER__
#include <stdint.h>

struct domain_start {
	uint32_t core;          /* core this domain runs on */
	uint32_t ncores;        /* cores up in the system */
	uint32_t domain_id;     /* id on this core */
	uint32_t argc;
	uint64_t tsc_hz;
	char program[DOMAIN_PROGRAM_MAX];      /* NUL-terminated */
	const char *argv[DOMAIN_ARGC_MAX + 1]; /* point into the same page */
	uint64_t monitor_chan;  /* DOMAIN_MONCHAN_VA if spawned by a monitor, else 0 */
};
#endif

#endif
