/*
 * cpu.c: installing a core's own struct cpu (GS base, GDT, TSS, IDT).
 */
#include <kernel/console.h>
#include <kernel/entry.h>
#include <kernel/cpu.h>
#include <arch/x86.h>
#include <stddef.h>
#include <lib/fmt.h>

_Static_assert(offsetof(struct cpu, self) == 0, "syscall entry reads %gs:0");
_Static_assert(offsetof(struct cpu, syscall_rsp) == 8, "syscall entry reads %gs:8");
_Static_assert(offsetof(struct cpu, user_rsp) == 16, "syscall entry writes %gs:16");

static bool gs_ready;

/*
 * Flags the syscall instruction clears on entry: every flag ring 3 can set
 * that could change how ring 0 runs (TF single-steps the kernel, NT makes
 * its iretq fault, AC switches SMAP off, DF reverses string copies, IF lets
 * interrupts in before the stack switch), and the rest for good measure,
 * the same set as Linux's SYSCALL_MASK.
 */
#define RFLAGS_CF   (1ull << 0)
#define RFLAGS_PF   (1ull << 2)
#define RFLAGS_AF   (1ull << 4)
#define RFLAGS_ZF   (1ull << 6)
#define RFLAGS_SF   (1ull << 7)
#define RFLAGS_TF   (1ull << 8)
#define RFLAGS_IF   (1ull << 9)
#define RFLAGS_DF   (1ull << 10)
#define RFLAGS_OF   (1ull << 11)
#define RFLAGS_IOPL (3ull << 12)
#define RFLAGS_NT   (1ull << 14)
#define RFLAGS_RF   (1ull << 16)
#define RFLAGS_AC   (1ull << 18)
#define RFLAGS_ID   (1ull << 21)
#define SYSCALL_MASK (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | \
		      RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_OF | RFLAGS_IOPL | \
		      RFLAGS_NT | RFLAGS_RF | RFLAGS_AC | RFLAGS_ID)

/* Read by traps.asm: clac on entry from ring 3 only if SMAP is on. */
uint8_t cpu_smap_enabled;

static void syscall_msrs_init(void);
static void protection_features_init(void);

bool cpu_id_ready(void)
{
	return __atomic_load_n(&gs_ready, __ATOMIC_RELAXED);
}

unsigned cpu_id(void)
{
	/*
	 * Before the boot core installs its struct cpu, GS is 0: that early
	 * window only exists on core 0.  gs_ready is set once by the boot core
	 * and only ever read afterwards.
	 */
	if (!__atomic_load_n(&gs_ready, __ATOMIC_RELAXED))
		return 0;
	return cpu_self()->id;
}

void cpu_install(struct cpu *c)
{
	c->self = c;
	console_attach(c);
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	__atomic_store_n(&gs_ready, true, __ATOMIC_RELAXED);
	c->syscall_rsp = (uint64_t)c->kstack + KSTACK_SIZE;
	gdt_load(&c->tables, c->syscall_rsp, (uint64_t)c->ist_stack + IST_STACK_SIZE);
	/* lgdt/segment reloads clear nothing in GS base, but reload it anyway. */
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	idt_load(&c->tables);
	syscall_msrs_init();
	protection_features_init();
}

/*
 * SMEP (ring 0 never executes a user page), SMAP (ring 0 never reads or
 * writes one: the kernel reaches user memory only through the direct map,
 * kernel/uaccess.h, so no stac/clac pairs are needed around the copies) and
 * UMIP (ring 3 cannot read the GDT/IDT/TSS addresses with sgdt and
 * friends), each when this CPU offers it.  Every core decides for itself;
 * cpu_smap_enabled is written only with the same answer on every core.
 */
static void protection_features_init(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	if (r[0] < 7)
		return;
	cpuid(7, 0, r);
	uint64_t cr4 = read_cr4();
	if (r[1] & CPUID7_EBX_SMEP)
		cr4 |= CR4_SMEP;
	if (r[1] & CPUID7_EBX_SMAP)
		cr4 |= CR4_SMAP;
	if (r[2] & CPUID7_ECX_UMIP)
		cr4 |= CR4_UMIP;
	write_cr4(cr4);
	if (r[1] & CPUID7_EBX_SMAP)
		__atomic_store_n(&cpu_smap_enabled, 1, __ATOMIC_RELAXED);
}

/* What protection_features_init switched on, for the boot log. */
void cpu_protection_describe(char *buf, unsigned long len)
{
	uint64_t cr4 = read_cr4();
	fmt_snprintf(buf, len, "SMEP %s, SMAP %s, UMIP %s", cr4 & CR4_SMEP ? "on" : "off",
		     cr4 & CR4_SMAP ? "on" : "off", cr4 & CR4_UMIP ? "on" : "off");
}

/*
 * syscall: CS/SS from STAR (kernel 0x08/0x10; sysret would use 0x13 + 16 =
 * USER_CS and 0x13 + 8 = USER_DS), entry at syscall_entry with the flags of
 * SYSCALL_MASK cleared: the kernel runs with interrupts off.
 */
static void syscall_msrs_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)(USER_DS - 8) << 48) | ((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, SYSCALL_MASK);
}
