/*
 * machine.h: what the boot core learns about the machine's shape.
 *
 * machine_discover() runs once on the boot core, after it has its own page
 * tables and before any AP starts: it reads the ACPI tables (through a reader
 * that only serves the BIOS area and firmware-described memory, so a bad
 * pointer in a table is an error, never a wild read), decodes CPUID on the
 * boot core, builds the topology model and prints it as the documented
 * block (docs/02-topology.md), one `core 0: topo: ...` line each: one line
 * per cpu up to TOPO_PRINT_FULL_MAX cores, above that the compact form
 * (runs of evenly numbered cpus as one line), because each serial byte
 * costs the boot core 8 us at 255 vCPUs under QEMU and this block was most
 * of the boot's time before the APs start.  The boot option topo=full
 * prints the full form at any size, topo=compact the compact one.
 *
 * The model is a boot-time fact: written before APs start, read-only after.
 * A broken table is reported and the fallbacks of topology/acpi.h apply
 * (boot core only, one node, default distances); boot goes on.
 */
#ifndef KERNEL_MACHINE_H
#define KERNEL_MACHINE_H
#include <stdbool.h>
#include <topology/topo.h>

void machine_discover(void);

/* Whether boot-time blocks (topology, broadcast tree) print compact (valid after it). */
bool machine_print_compact(void);

/* The model (valid after machine_discover). */
const struct topo *machine_topo(void);
/* What the ACPI tables said (valid after machine_discover; I/O APICs for coninput). */
struct acpi_info;
const struct acpi_info *machine_acpi(void);

#endif
