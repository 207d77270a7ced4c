build2/kernel/cpudriver/trace.o: cpudriver/trace.c \
 cpudriver/include/kernel/boot.h cpudriver/include/kernel/memrange.h \
 include/lib/err.h cpudriver/include/kernel/cmdline.h \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/corestatus.h \
 cpudriver/include/kernel/cpu.h cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/arch/x86_64/include/arch/trap.h \
 cpudriver/include/kernel/sched.h include/sys/limits.h \
 cpudriver/include/kernel/domain.h include/sys/domain.h \
 cpudriver/include/kernel/kipc.h cpudriver/include/kernel/span.h \
 cpudriver/include/kernel/machine.h include/topology/topo.h \
 include/topology/acpi.h include/topology/cpuid.h \
 cpudriver/include/kernel/memlayout.h cpudriver/include/kernel/pmm.h \
 cpudriver/include/kernel/smp.h cpudriver/include/kernel/trace.h \
 include/sys/trace.h cpudriver/arch/x86_64/include/arch/lapic.h \
 cpudriver/arch/x86_64/include/arch/paging.h \
 cpudriver/arch/x86_64/include/arch/x86.h include/lib/string.h \
 include/sys/rights.h
cpudriver/include/kernel/boot.h:
cpudriver/include/kernel/memrange.h:
include/lib/err.h:
cpudriver/include/kernel/cmdline.h:
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/corestatus.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/domain.h:
include/sys/domain.h:
cpudriver/include/kernel/kipc.h:
cpudriver/include/kernel/span.h:
cpudriver/include/kernel/machine.h:
include/topology/topo.h:
include/topology/acpi.h:
include/topology/cpuid.h:
cpudriver/include/kernel/memlayout.h:
cpudriver/include/kernel/pmm.h:
cpudriver/include/kernel/smp.h:
cpudriver/include/kernel/trace.h:
include/sys/trace.h:
cpudriver/arch/x86_64/include/arch/lapic.h:
cpudriver/arch/x86_64/include/arch/paging.h:
cpudriver/arch/x86_64/include/arch/x86.h:
include/lib/string.h:
include/sys/rights.h:
