/*
 * cpu.c: installing a core's own struct cpu (GS base, GDT, TSS, IDT).
 */
#include <kernel/cpu.h>
#include <arch/x86.h>
#include <stddef.h>

_Static_assert(offsetof(struct cpu, self) == 0, "syscall entry reads %gs:0");
_Static_assert(offsetof(struct cpu, syscall_rsp) == 8, "syscall entry reads %gs:8");
_Static_assert(offsetof(struct cpu, user_rsp) == 16, "syscall entry writes %gs:16");

static bool gs_ready;

#define RFLAGS_TF  (1ull << 8)
#define RFLAGS_IF  (1ull << 9)
#define RFLAGS_DF  (1ull << 10)
#define RFLAGS_AC  (1ull << 18)

void syscall_entry(void);
static void syscall_msrs_init(void);

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
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	__atomic_store_n(&gs_ready, true, __ATOMIC_RELAXED);
	c->syscall_rsp = (uint64_t)c->kstack + KSTACK_SIZE;
	gdt_load(&c->tables, c->syscall_rsp, (uint64_t)c->ist_stack + IST_STACK_SIZE);
	/* lgdt/segment reloads clear nothing in GS base, but reload it anyway. */
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	idt_load(&c->tables);
	syscall_msrs_init();
}

/*
 * syscall: CS/SS from STAR (kernel 0x08/0x10; sysret would use 0x13 + 16 =
 * USER_CS and 0x13 + 8 = USER_DS), entry at syscall_entry with IF, DF, TF
 * and AC cleared: the kernel runs with interrupts off.
 */
static void syscall_msrs_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)(USER_DS - 8) << 48) | ((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC);
}
