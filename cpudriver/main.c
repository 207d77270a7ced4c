/*
 * main.c: the boot core's path from the assembly entry to a running CPU
 * driver.  Each step is one call; the order matters:
 *
 *   1. install this core's GDT/TSS/IDT, so any fault from here on is reported
 *   2. the console, then the banner
 *   3. Multiboot info -> boot_info (memory map, command line, modules)
 *   4. free RAM = usable - first MiB - kernel image - loader data
 *   5. the boot core's own frame pool, carved from free RAM
 *   6. the boot core's own page tables, replacing the boot tables, and its
 *      guarded kernel stacks (#DF, NMI; the scheduler's in step 11)
 *   7. TSC and local APIC timer of the boot core; its FPU/SSE/AVX set-up
 *   8. self-test of a single core, if one was selected
 *   9. ACPI + CPUID -> topology; one CPU driver on every other core
 *  10. multi-core self-test, if one was selected
 *  11. this core's services from the boot manifest, then its scheduler on a
 *      guarded stack
 */
#include <kernel/entry.h>
#include <kernel/boot.h>
#include <kernel/bootgate.h>
#include <kernel/coninput.h>
#include <kernel/console.h>
#include <kernel/fpu.h>
#include <kernel/corestatus.h>
#include <kernel/kstack.h>
#include <kernel/machine.h>
#include <kernel/sched.h>
#include <kernel/services.h>
#include <kernel/smp.h>
#include <kernel/smptest.h>
#include <kernel/tick.h>
#include <kernel/trace.h>
#include <arch/lapic.h>
#include <kernel/cpu.h>
#include <kernel/memlayout.h>
#include <kernel/multiboot.h>
#include <kernel/panic.h>
#include <kernel/platform.h>
#include <kernel/pmm.h>
#include <kernel/selftest.h>
#include <arch/paging.h>
#include <arch/x86.h>


extern char _bss_end_phys[];

#define BOOT_MAP_LIMIT (1ull << 30)      /* the boot tables map 1 GiB */
#define BOOT_POOL_MAX  (64ull << 20)
#define BOOT_POOL_MIN  (4ull << 20)

static struct cpu boot_cpu;
static struct pmm_pool boot_pool;
static uint8_t boot_kstack[KSTACK_SIZE] __attribute__((aligned(16)));
static uint8_t boot_ist_stack[IST_STACK_SIZE] __attribute__((aligned(16)));

/* Multiboot data lies below 1 GiB, which the boot page tables map. */
static const void *boot_map(void *ctx, uint64_t pa, uint64_t len)
{
	(void)ctx;
	if (pa >= BOOT_MAP_LIMIT || len > BOOT_MAP_LIMIT - pa)
		return 0;
	return phys_to_virt(pa);
}

static const char *mmap_type_name(uint32_t type)
{
	switch (type) {
	case 1: return "usable";
	case 2: return "reserved";
	case 3: return "acpi-reclaimable";
	case 4: return "acpi-nvs";
	case 5: return "bad";
	default: return "other";
	}
}

static void say_bad_option(const char *why)
{
	klog("%s\n", why);
}

/* What the boot options will not do as written: a cut line, bad words. */
static void report_command_line(void)
{
	if (boot_info.cmdline_cut_from)
		klog("command line: %lu bytes, more than %d: cut after its last whole word "
		     "that fits\n", boot_info.cmdline_cut_from, BOOT_CMDLINE_MAX - 1);
	boot_options_check(boot_info.cmdline, say_bad_option);
}

static void print_memory_map(void)
{
	for (unsigned i = 0; i < boot_info.mmap_count; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		klog("mmap 0x%012lx-0x%012lx %s\n", e->base, e->base + e->len - 1,
		     mmap_type_name(e->type));
	}
	klog("memory: %lu MiB usable, %u boot modules\n",
	     memrange_total(&boot_info.usable) >> 20, boot_info.module_count);
}

static void compute_free_ram(struct mem_ranges *free_ram)
{
	*free_ram = boot_info.usable;
	memrange_remove(free_ram, 0, 1ull << 20);
	memrange_remove(free_ram, KERNEL_PHYS_LOAD, (uint64_t)_bss_end_phys);
	for (unsigned i = 0; i < boot_info.loader_data.count; i++) {
		const struct mem_range *r = &boot_info.loader_data.r[i];
		memrange_remove(free_ram, r->base & ~(PAGE_SIZE - 1),
				(r->end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
	}
}

static void make_boot_pool(struct mem_ranges *free_ram)
{
	uint64_t avail = memrange_total_within(free_ram, 0, BOOT_MAP_LIMIT);
	uint64_t size = avail / 4;
	if (size > BOOT_POOL_MAX)
		size = BOOT_POOL_MAX;
	size &= ~((2ull << 20) - 1);
	if (size < BOOT_POOL_MIN)
		size = BOOT_POOL_MIN;
	uint64_t base;
	if (memrange_take(free_ram, size, 2ull << 20, 0, BOOT_MAP_LIMIT, &base))
		panic("no %lu MiB of free RAM below 1 GiB for the boot core's pool", size >> 20);
	err_t e = pmm_pool_init(&boot_pool, base, size, phys_to_virt(base));
	if (e)
		panic("boot pool: %s", err_str(e));
	boot_cpu.pool = &boot_pool;
	klog("pool %#lx-%#lx (%lu MiB, %lu frames free)\n", base, base + size - 1,
	     size >> 20, boot_pool.free);
}

static uint64_t phys_top(void)
{
	uint64_t top = 4ull << 30;
	for (unsigned i = 0; i < boot_info.usable.count; i++)
		if (boot_info.usable.r[i].end > top)
			top = boot_info.usable.r[i].end;
	return (top + (1ull << 30) - 1) & ~((1ull << 30) - 1);
}

static void switch_to_own_page_tables(void)
{
	vm_phys_top = phys_top();
	err_t e = vm_build_kernel_space(&boot_pool, vm_phys_top, &boot_cpu.pml4_phys);
	if (e)
		panic("building the kernel page tables: %s", err_str(e));
	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(boot_cpu.pml4_phys);
	klog("page tables at %#lx: direct map of %lu GiB, kernel image W^X\n",
	     boot_cpu.pml4_phys, vm_phys_top >> 30);
	char prot[64];
	cpu_protection_describe(prot, sizeof prot);
	klog("protection: %s\n", prot);
	if ((e = kstack_init(&boot_cpu)))
		panic("guarded kernel stacks: %s", err_str(e));
}

static void start_local_timer(void)
{
	uint64_t hz = tsc_calibrate_pit();
	tsc_set_hz(hz);
	boot_cpu.tsc_hz = hz;
	lapic_enable();
	boot_cpu.apic_id = lapic_id();
	tick_start();
	klog("TSC %lu MHz, LAPIC timer %lu Hz\n", hz / 1000000, boot_cpu.lapic_timer_hz);
}

/* Halts (timer on) for idle_ms: lets a test see that idle cores cost nothing. */
static void idle_for_a_while(void)
{
	if (!boot_options.idle_ms)
		return;
	klog("idling %lu ms\n", boot_options.idle_ms);
	uint64_t end = rdtsc() + boot_options.idle_ms * (tsc_hz_get() / 1000);
	while (rdtsc() < end)
		irq_enable_and_halt();
	irq_disable();
}

static void run_single_core_selftest(void)
{
	if (!boot_options.test[0] || !selftest_run(boot_options.test))
		return;
	platform_exit(EXIT_SUCCESS_CODE);
}

void cpu_boot_main(uint32_t magic, uint32_t info_pa)
{
	boot_entry_tsc = rdtsc();
	boot_cpu.id = 0;
	boot_cpu.kstack = boot_kstack;
	boot_cpu.ist_stack = boot_ist_stack;
	cpu_install(&boot_cpu);
	console_init();
	kprintf("\nmultikernel: CPU driver on the boot core\n");

	char why[160];
	err_t e = multiboot_parse(magic, info_pa, &(struct mb_mapper){ boot_map, 0 },
				  &boot_info, why, sizeof why);
	if (e)
		panic("%s (%s)", why, err_str(e));
	boot_options_parse(boot_info.cmdline, &boot_options);
	klog("command line: \"%s\"\n", boot_info.cmdline);
	report_command_line();
	print_memory_map();

	struct mem_ranges free_ram;
	compute_free_ram(&free_ram);
	make_boot_pool(&free_ram);
	switch_to_own_page_tables();
	trace_boot_init(&free_ram);
	trace_core_init();
	start_local_timer();
	fpu_init_core();
	run_single_core_selftest();

	machine_discover();
	coninput_boot_init();
	smp_announce(&boot_cpu);
	smp_boot(&free_ram);
	bootgate_open();
	if (boot_options.test[0] && !smptest_run(boot_options.test, smp_cores_planned()))
		klog("unknown self-test '%s', booting normally\n", boot_options.test);
	idle_for_a_while();
	klog("boot complete\n");
	sched_init();
	bootgate_wait_monitors();
	if (!services_start())
		platform_exit(EXIT_SUCCESS_CODE);
	sched_set_idle_hook(services_check_finished);
	kstack_run(sched_run);
}
