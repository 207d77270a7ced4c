/*
 * fpu.h: each domain's floating-point and vector state (x87, SSE, AVX and
 * whatever else the CPU's XSAVE covers).
 *
 * The CPU driver never uses these registers itself (it is built with
 * -mno-sse), so while a domain runs its state simply lives in the
 * registers: the scheduler saves it into the domain's area when the domain
 * stops running and restores it just before the domain runs again (eager
 * switching, no #NM tricks).  The area's layout is the CPU's: XSAVE's
 * (size from CPUID leaf 0xD with the enabled feature mask) or, on a CPU
 * without XSAVE, FXSAVE's 512 bytes.  A new domain starts from the clean
 * state: every register zero, x87 control word 0x37f, MXCSR 0x1f80 (all
 * exceptions masked, round to nearest).
 *
 * Unmasked SIMD or x87 exceptions (#XM, #MF) are the domain's fault: the
 * trap path ends that domain with a report, like any other exception.
 *
 * fpu_init_core() runs once on every core before its first domain, the
 * boot core first (it probes the CPU; the others reuse what it found).
 * Everything else is called by the owning core only.
 */
#ifndef KERNEL_FPU_H
#define KERNEL_FPU_H
#include <stdbool.h>
#include <stdint.h>
#include <lib/err.h>

/* Enable FXSR/XSAVE on the calling core (CR0, CR4, XCR0). */
void fpu_init_core(void);

/* What the CPU offers, as domains see it (also put in struct domain_start). */
bool fpu_uses_xsave(void);
uint32_t fpu_area_size(void);   /* bytes of one save area */
uint64_t fpu_xcr0(void);        /* enabled XSAVE features, 0 without XSAVE */

/* A save area for a new domain, in the clean state; fpu_area_free undoes. */
err_t fpu_area_alloc(void **area);
void fpu_area_free(void *area);

/* Registers -> area, area -> registers (the calling core's registers). */
void fpu_save(void *area);
void fpu_restore(const void *area);

/* MXCSR and the x87 status word stored in an area (for fault reports). */
uint32_t fpu_area_mxcsr(const void *area);
uint16_t fpu_area_fsw(const void *area);

#endif
