/*
 * arch/apstart.h: starting an application processor (x86-64).
 *
 * The boot core installs the real-mode trampoline (arch/trampoline.h) once,
 * starts the APs one after the other with INIT-SIPI-SIPI, and removes the
 * trampoline's identity mapping when all have been started.  An AP runs on
 * the boot core's page tables (`transition_pml4`, which must lie below
 * 4 GiB) only until its C entry switches to its own tables.
 */
#ifndef ARCH_APSTART_H
#define ARCH_APSTART_H
#include <stdbool.h>
#include <stdint.h>
#include <lib/err.h>

struct cpu;
struct pmm_pool;
typedef void (*ap_entry_fn)(struct cpu *c);

/* Copy the trampoline to TRAMP_BASE and map that page identity in pml4. */
err_t ap_trampoline_install(uint64_t transition_pml4, struct pmm_pool *pool);

/*
 * INIT, wait init_delay_us, SIPI, SIPI; then wait (bounded) until the AP
 * has read its parameters.  false if it never did: the caller reports it.
 */
bool ap_start(uint32_t apic_id, struct cpu *c, uint64_t stack_top,
	      ap_entry_fn entry, uint64_t init_delay_us);

/* Remove the identity mapping of the trampoline page again. */
void ap_trampoline_remove(uint64_t transition_pml4);

#endif
