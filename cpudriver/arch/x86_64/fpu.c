/*
 * fpu.c: x87/SSE/AVX state per domain (see kernel/fpu.h).
 *
 * The boot core probes once: FXSR is part of x86-64, XSAVE is used when
 * CPUID.1:ECX says so.  With XSAVE the enabled features are x87, SSE, AVX
 * and the three AVX-512 components, each only if the CPU supports it (and
 * AVX-512 only as a whole, on top of AVX, as XSETBV demands); the area size
 * is CPUID.(0xD,0).EBX read after XCR0 is set, i.e. for exactly those
 * features.  Every other core applies the same settings.  These values are
 * written by the boot core before any other core starts and only read
 * afterwards.
 *
 * Clean state: an area of zeros with FCW = 0x37f and MXCSR = 0x1f80.  For
 * FXRSTOR that is the architectural init state (abridged tag 0 = every x87
 * register empty); for XRSTOR the header's XSTATE_BV is 0, so every
 * component is put in its init state, and MXCSR, which XRSTOR loads
 * whenever SSE or AVX is requested, comes from the legacy area.
 */
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/fpu.h>
#include <kernel/memlayout.h>
#include <kernel/panic.h>
#include <kernel/pmm.h>
#include <arch/x86.h>
#include <lib/string.h>

#define FXSAVE_SIZE    512u
#define FPU_FCW_INIT   0x37fu
#define FPU_MXCSR_INIT 0x1f80u
/* Offsets in the legacy (FXSAVE) region, shared by the XSAVE layout. */
#define FXAREA_FCW   0
#define FXAREA_FSW   2
#define FXAREA_MXCSR 24

static bool fpu_probed;
static bool fpu_xsave;
static uint64_t fpu_mask;         /* XCR0 */
static uint32_t fpu_size = FXSAVE_SIZE;

static uint64_t fpu_pick_features(uint64_t supported)
{
	uint64_t want = supported & (XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_AVX512);
	if (!(want & XCR0_AVX) || (want & XCR0_AVX512) != XCR0_AVX512)
		want &= ~XCR0_AVX512;
	return want;
}

static void fpu_probe(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	if (!(r[3] & CPUID1_EDX_FXSR))
		panic("this CPU has no FXSAVE/FXRSTOR");
	fpu_xsave = (r[2] & CPUID1_ECX_XSAVE) != 0;
	if (fpu_xsave) {
		cpuid(CPUID_LEAF_XSTATE, 0, r);
		fpu_mask = fpu_pick_features(((uint64_t)r[3] << 32) | r[0]);
	}
	fpu_probed = true;
}

void fpu_init_core(void)
{
	if (!fpu_probed)
		fpu_probe();
	write_cr0((read_cr0() | CR0_MP | CR0_NE) & ~(uint64_t)(CR0_EM | CR0_TS));
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
	if (fpu_xsave)
		cr4 |= CR4_OSXSAVE;
	write_cr4(cr4);
	if (fpu_xsave) {
		xsetbv(0, fpu_mask);
		uint32_t r[4];
		cpuid(CPUID_LEAF_XSTATE, 0, r);
		if (cpu_id() == 0)
			fpu_size = r[1];
		else if (r[1] != fpu_size)
			panic("XSAVE area is %u bytes here, %u on the boot core", r[1], fpu_size);
	}
	fninit();
	if (cpu_id() == 0)
		klog("fpu: %s, features %#lx, %u-byte save area\n", fpu_xsave ? "xsave" : "fxsave",
	     fpu_mask, fpu_size);
}

bool fpu_uses_xsave(void)
{
	return fpu_xsave;
}

uint32_t fpu_area_size(void)
{
	return fpu_size;
}

uint64_t fpu_xcr0(void)
{
	return fpu_mask;
}

static uint64_t fpu_area_pages(void)
{
	return (fpu_size + PAGE_SIZE - 1) / PAGE_SIZE;
}

err_t fpu_area_alloc(void **area)
{
	uint64_t pa;
	err_t e = pmm_alloc_contig(cpu_self()->pool, fpu_area_pages(), 1, &pa);
	if (e)
		return e;
	uint8_t *a = phys_to_virt(pa);
	memset(a, 0, fpu_area_pages() * PAGE_SIZE);
	uint16_t fcw = FPU_FCW_INIT;
	uint32_t mxcsr = FPU_MXCSR_INIT;
	memcpy(a + FXAREA_FCW, &fcw, sizeof fcw);
	memcpy(a + FXAREA_MXCSR, &mxcsr, sizeof mxcsr);
	*area = a;
	return ERR_OK;
}

void fpu_area_free(void *area)
{
	if (area)
		pmm_free(cpu_self()->pool, virt_to_phys(area), fpu_area_pages());
}

void fpu_save(void *area)
{
	if (fpu_xsave)
		xsave64(area, fpu_mask);
	else
		fxsave64(area);
}

void fpu_restore(const void *area)
{
	if (fpu_xsave)
		xrstor64(area, fpu_mask);
	else
		fxrstor64(area);
}

uint32_t fpu_area_mxcsr(const void *area)
{
	uint32_t v;
	memcpy(&v, (const uint8_t *)area + FXAREA_MXCSR, sizeof v);
	return v;
}

uint16_t fpu_area_fsw(const void *area)
{
	uint16_t v;
	memcpy(&v, (const uint8_t *)area + FXAREA_FSW, sizeof v);
	return v;
}
