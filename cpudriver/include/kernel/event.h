/*
 * event.h: tagged event lines, the machine-readable half of the log.
 *
 * Beside its human text, the kernel prints one line per event the tests
 * and tools care about:
 *
 *     EV core=<N> <event> key=value ...
 *
 * <N> is the calling core, <event> a dotted name, values have no blanks.
 * Human log lines may be reworded freely; event names and keys are a
 * protocol (tests/integration/harness.py reads them), so change them only
 * together with the tests.  The events:
 *
 *   core.up       apic= node=           a core's CPU driver is running
 *   core.stop                           a test command halted this core
 *   core.hang                           hang_core: it hangs with interrupts off
 *   core.fenced   by= [nmi=1]           the monitors' fence halted it (by NMI:
 *                                       it did not take the stop IPI)
 *   domain.start  id= program=          a domain was created on this core
 *   domain.exit   id= program= code=    it ended (killed ones too)
 *   domain.kill   id= program= vector=  the kernel killed it (a fault)
 *   panic                               this core stops (PANIC line follows)
 *
 * The core's monitor adds its own (docs/00-architecture.md lists them):
 * a line it prints starting with "EV " is printed by the kernel as
 * "EV core=<N> ..." without the program prefix.  Other domains cannot
 * produce event lines; their output always carries "core N: <program>: ".
 *
 * kevent() is one kprintf: an event line never interleaves with another.
 */
#ifndef KERNEL_EVENT_H
#define KERNEL_EVENT_H

/* Print "EV core=<this core> <name> <fmt...>" as one line. */
void kevent(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
