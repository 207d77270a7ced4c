/*
 * arch/apstart.h: starting application processors (x86-64).
 *
 * The boot core installs the real-mode trampoline (arch/trampoline.h) once,
 * fills one table entry per AP (ap_slot_set), and then starts any number of
 * APs at the same time: INIT to each, one INIT delay for all, SIPI to each,
 * a second SIPI to those that have not read their entry yet.  Each AP reads
 * only its own entry, so nothing is serialised between APs.  It removes the
 * trampoline's identity mapping when all have been started (or given up).
 * An AP runs on the boot core's page tables (`transition_pml4`, which must
 * lie below 4 GiB) only until its C entry switches to its own tables.
 * Boot core only.
 */
#ifndef ARCH_APSTART_H
#define ARCH_APSTART_H
#include <stdbool.h>
#include <stdint.h>
#include <lib/err.h>

struct cpu;
struct pmm_pool;
typedef void (*ap_entry_fn)(struct cpu *c);

/* The 200 us the MP start-up sequence waits after each SIPI. */
#define AP_SIPI_DELAY_US 200

/*
 * Copy the trampoline to TRAMP_BASE, map its pages identity in pml4, and
 * set the entry every AP jumps to.
 */
err_t ap_trampoline_install(uint64_t transition_pml4, struct pmm_pool *pool,
			    ap_entry_fn entry);

/*
 * The entry of the AP with this APIC id: its stack and struct cpu; clears
 * its started flag.  ERR_RANGE for an APIC id the table has no entry for.
 */
err_t ap_slot_set(uint32_t apic_id, struct cpu *c, uint64_t stack_top);

/* One INIT (assert) or one start-up IPI; false if the LAPIC never sent it. */
bool ap_send_init(uint32_t apic_id);
bool ap_send_sipi(uint32_t apic_id);

/* Whether the AP has read its entry (it is in long mode, on its stack). */
bool ap_started(uint32_t apic_id);

/*
 * For restarting one stopped AP from any core (kernel/smp.h): keep the
 * installed trampoline code and the other APs' entries as they are, map its
 * pages identity in transition_pml4 (pages already mapped stay) and make
 * that table the one an AP starts on.  The mapping is never removed: a late
 * AP may still run through the trampoline.  Callers serialise.
 */
err_t ap_trampoline_reuse(uint64_t transition_pml4, struct pmm_pool *pool,
			  ap_entry_fn entry);

/*
 * The boot processor (BSP) does not wait for a start-up IPI after an INIT:
 * it runs the firmware's reset vector (QEMU: apic_init_reset sets
 * wait_for_sipi only for a non-BSP).  A PC BIOS that has run its POST takes
 * that reset as a warm start when the CMOS shutdown status byte (index
 * 0x0F) is 0x0A: it far-jumps through the BIOS data area's vector at 40:67
 * (SeaBIOS: entry_post sees HaveRunPost, handle_resume reads and clears the
 * byte, `ljmpw *BDA_JUMP`).  ap_warm_reset_arm points that vector at the
 * trampoline and sets the byte, so the BSP comes through the trampoline
 * after an INIT as an AP does after its SIPI; ap_warm_reset_disarm clears
 * the byte (the BIOS clears it too when it reads it).  Without the byte
 * SeaBIOS takes the reset for a reboot and resets the machine.
 */
void ap_warm_reset_arm(void);
void ap_warm_reset_disarm(void);

/* Remove the identity mapping of the trampoline pages again. */
void ap_trampoline_remove(uint64_t transition_pml4);

#endif
