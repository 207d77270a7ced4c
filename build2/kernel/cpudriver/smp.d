build2/kernel/cpudriver/smp.o: cpudriver/smp.c \
 cpudriver/include/kernel/entry.h \
 cpudriver/arch/x86_64/include/arch/trap.h cpudriver/include/kernel/cpu.h \
 cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/sched.h \
 include/sys/limits.h cpudriver/include/kernel/event.h \
 cpudriver/include/kernel/boot.h cpudriver/include/kernel/memrange.h \
 include/lib/err.h cpudriver/include/kernel/corepool.h \
 include/topology/topo.h include/topology/acpi.h include/topology/cpuid.h \
 cpudriver/include/kernel/corestatus.h cpudriver/include/kernel/machine.h \
 cpudriver/include/kernel/memlayout.h cpudriver/include/kernel/monlinks.h \
 include/sys/monitor.h include/sys/syscall.h \
 cpudriver/include/kernel/panic.h cpudriver/include/kernel/pmm.h \
 cpudriver/include/kernel/smp.h \
 cpudriver/arch/x86_64/include/arch/apstart.h \
 cpudriver/arch/x86_64/include/arch/lapic.h \
 cpudriver/arch/x86_64/include/arch/x86.h include/lib/fmt.h \
 include/lib/string.h
cpudriver/include/kernel/entry.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/event.h:
cpudriver/include/kernel/boot.h:
cpudriver/include/kernel/memrange.h:
include/lib/err.h:
cpudriver/include/kernel/corepool.h:
include/topology/topo.h:
include/topology/acpi.h:
include/topology/cpuid.h:
cpudriver/include/kernel/corestatus.h:
cpudriver/include/kernel/machine.h:
cpudriver/include/kernel/memlayout.h:
cpudriver/include/kernel/monlinks.h:
include/sys/monitor.h:
include/sys/syscall.h:
cpudriver/include/kernel/panic.h:
cpudriver/include/kernel/pmm.h:
cpudriver/include/kernel/smp.h:
cpudriver/arch/x86_64/include/arch/apstart.h:
cpudriver/arch/x86_64/include/arch/lapic.h:
cpudriver/arch/x86_64/include/arch/x86.h:
include/lib/fmt.h:
include/lib/string.h:
