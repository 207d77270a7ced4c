/* machine.c: ACPI + CPUID -> the topology model (see kernel/machine.h). */
#include <kernel/boot.h>
#include <kernel/console.h>
#include <kernel/machine.h>
#include <kernel/memlayout.h>
#include <arch/lapic.h>
#include <arch/x86.h>
#include <lib/string.h>
#include <topology/acpi.h>
#include <topology/cpuid.h>

static struct acpi_info acpi;
static struct cpuid_topo cpuid_topo;
static struct topo topo;
static bool print_compact;

/* The legacy BIOS area, or inside a range the firmware's memory map lists. */
static bool firmware_described(uint64_t pa, uint64_t len)
{
	if (pa + len < pa)
		return false;
	if (pa + len <= (1ull << 20))
		return true;
	for (unsigned i = 0; i < boot_info.mmap_count; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		if (pa >= e->base && pa + len <= e->base + e->len)
			return true;
	}
	return false;
}

static err_t acpi_read(void *ctx, uint64_t phys, void *dst, size_t len)
{
	(void)ctx;
	if (!firmware_described(phys, len))
		return ERR_FAULT;
	memcpy(dst, phys_to_virt(phys), len);
	return ERR_OK;
}

static void cpuid_exec(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	(void)ctx;
	cpuid(leaf, subleaf, regs);
}

static void print_line(void *ctx, const char *line)
{
	(void)ctx;
	klog("%s\n", line);
}

/* topo=full|compact, else compact above TOPO_PRINT_FULL_MAX cores. */
static bool choose_compact(uint32_t ncores)
{
	const char *mode = boot_options.topo_print;
	if (!strcmp(mode, "full"))
		return false;
	if (!strcmp(mode, "compact"))
		return true;
	if (mode[0])
		klog("topo=%s: neither full nor compact; the default form\n", mode);
	return ncores > TOPO_PRINT_FULL_MAX;
}

void machine_discover(void)
{
	char msg[512];
	struct acpi_mem mem = { acpi_read, 0 };
	err_t e = acpi_discover(&mem, &acpi, msg, sizeof msg);
	if (e)
		klog("ACPI: %s (%s); using the fallbacks\n", msg, err_str(e));
	struct cpuid_src src = { cpuid_exec, 0 };
	const struct cpuid_topo *ct = &cpuid_topo;
	if (cpuid_decode(&src, &cpuid_topo)) {
		klog("CPUID: no topology leaves; one thread per core\n");
		ct = 0;
	}
	e = topo_from_acpi(&topo, &acpi, ct, lapic_id());
	if (e) {
		klog("topology: %s; running on the boot core only\n", err_str(e));
		struct topo_core boot = { .apic_id = lapic_id() };
		topo_init(&topo);
		topo_add_core(&topo, &boot);
		topo_finish(&topo);
	}
	print_compact = choose_compact(topo.ncores);
	if (print_compact)
		topo_print_compact(&topo, print_line, 0);
	else
		topo_print(&topo, print_line, 0);
}

bool machine_print_compact(void)
{
	return print_compact;
}

const struct acpi_info *machine_acpi(void)
{
	return &acpi;
}

const struct topo *machine_topo(void)
{
	return &topo;
}
