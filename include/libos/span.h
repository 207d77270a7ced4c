/*
 * libos/span.h: a domain that runs on several cores (libos/span.c).
 *
 * libos_span_add(core) asks the monitors for a dispatcher of this domain
 * on `core`: an instance whose page tables replicate this domain's
 * mappings (the same frames: every global, the heap, every thread stack),
 * with its own dispatcher page, stack and start info.  Its libos does not
 * run main(); it runs the thread scheduler for its slot.  Threads are then
 * created on any core of the domain (thread_create_on) and move between
 * them (thread_move); mutexes, conditions and join work across cores.
 *
 * From the first span on, SYS_MAP and SYS_UNMAP are refused (ERR_SPANNED):
 * mapping goes through the monitors (libos_span_map / libos_span_unmap),
 * which keep every core's replica in step.  The first
 * libos_span_add maps in advance what the threads will need: a heap
 * reserve and a pool of thread stacks (LIBOS_SPAN_* defaults, more with
 * libos_span_reserve before it).  malloc beyond the reserve returns NULL;
 * thread_create beyond the pool returns ERR_FULL.
 *
 * Lifetime: the domain ends on every core when main returns, when any
 * thread calls exit(), or when a thread on any core faults (the monitors
 * end the instances; the home's frames stay allocated until every
 * instance has surely stopped).  Call these from main's thread.
 *
 * Errors: ERR_RANGE (no such core), ERR_INVAL (the home core), ERR_EXIST
 * (already spans it), ERR_DEAD (the core is down), ERR_FULL (64 cores),
 * ERR_NOSYS (no monitor), ERR_NOENT (thread_create_on / thread_move to a
 * core the domain does not span).
 */
#ifndef LIBOS_SPAN_H
#define LIBOS_SPAN_H
#include <lib/err.h>
#include <libos/thread.h>
#include <stddef.h>

#define LIBOS_SPAN_STACKS 64u
#define LIBOS_SPAN_HEAP   (8u << 20)

/* Map `stacks` thread stacks and `heap` bytes of heap now (before spanning). */
err_t libos_span_reserve(unsigned stacks, size_t heap);
err_t libos_span_add(unsigned core);
/* Cores the domain runs on (the home first). */
unsigned libos_span_ncores(void);
unsigned libos_span_core(unsigned i);
err_t thread_create_on(unsigned core, struct thread **out, int (*fn)(void *arg), void *arg);
/*
 * Map owned frame pa at va (SYS_MAP_* flags) on every core of the domain,
 * or unmap va on every core: returns only when every core the domain
 * spans has done it (for unmap: dropped the translation; only then can
 * the frame be freed).  A core that is down is skipped (and logged).
 * Errors as SYS_MAP / SYS_UNMAP, ERR_PERM if the domain does not span,
 * ERR_TIMEOUT if a live core did not answer (the home keeps the mapping).
 */
err_t libos_span_map(uint64_t va, uint64_t pa, unsigned flags);
err_t libos_span_unmap(uint64_t va);
/*
 * Unmap, or set the rights (SYS_MAP_WRITE, SYS_MAP_EXEC, never both; 0:
 * read-only) of, `pages` pages from va (1..SPAN_VM_MAX_PAGES) on every
 * core, with the same guarantee: every page must be one the domain mapped
 * (else ERR_NOENT / ERR_PERM and nothing changes anywhere); when it
 * returns, an access the new rights forbid faults on every core.  A
 * protect may add rights only to a frame mapped once (W^X).
 */
err_t libos_span_unmap_range(uint64_t va, unsigned pages);
err_t libos_span_protect(uint64_t va, unsigned pages, unsigned flags);
/*
 * How later calls reach the other cores: MON_VM_LAZY (the default: an
 * unmap or protect is queued for every core and applied there before the
 * domain next runs; only cores where it may be running right now get a
 * message, along the tree), MON_VM_TREE (along the monitors' topology
 * tree), MON_VM_UNICAST (every core at once) or MON_VM_SEQUENTIAL (one
 * after the other).  ERR_INVAL for another value.
 */
err_t libos_span_vm_mode(unsigned mode);

/* Continue the calling thread on `core`. */
err_t thread_move(unsigned core);
/* The core the calling thread runs on now. */
unsigned thread_core(void);

#endif
