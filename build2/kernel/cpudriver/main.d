build2/kernel/cpudriver/main.o: cpudriver/main.c \
 cpudriver/include/kernel/entry.h \
 cpudriver/arch/x86_64/include/arch/trap.h cpudriver/include/kernel/cpu.h \
 cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/sched.h \
 include/sys/limits.h cpudriver/include/kernel/boot.h \
 cpudriver/include/kernel/memrange.h include/lib/err.h \
 cpudriver/include/kernel/fpu.h cpudriver/include/kernel/corestatus.h \
 cpudriver/include/kernel/kstack.h cpudriver/include/kernel/machine.h \
 include/topology/topo.h include/topology/acpi.h include/topology/cpuid.h \
 cpudriver/include/kernel/services.h cpudriver/include/kernel/smp.h \
 cpudriver/include/kernel/smptest.h cpudriver/include/kernel/tick.h \
 cpudriver/include/kernel/trace.h include/sys/trace.h \
 cpudriver/arch/x86_64/include/arch/lapic.h \
 cpudriver/include/kernel/memlayout.h \
 cpudriver/include/kernel/multiboot.h cpudriver/include/kernel/panic.h \
 cpudriver/include/kernel/platform.h cpudriver/include/kernel/pmm.h \
 cpudriver/include/kernel/selftest.h \
 cpudriver/arch/x86_64/include/arch/paging.h \
 cpudriver/arch/x86_64/include/arch/x86.h
cpudriver/include/kernel/entry.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/boot.h:
cpudriver/include/kernel/memrange.h:
include/lib/err.h:
cpudriver/include/kernel/fpu.h:
cpudriver/include/kernel/corestatus.h:
cpudriver/include/kernel/kstack.h:
cpudriver/include/kernel/machine.h:
include/topology/topo.h:
include/topology/acpi.h:
include/topology/cpuid.h:
cpudriver/include/kernel/services.h:
cpudriver/include/kernel/smp.h:
cpudriver/include/kernel/smptest.h:
cpudriver/include/kernel/tick.h:
cpudriver/include/kernel/trace.h:
include/sys/trace.h:
cpudriver/arch/x86_64/include/arch/lapic.h:
cpudriver/include/kernel/memlayout.h:
cpudriver/include/kernel/multiboot.h:
cpudriver/include/kernel/panic.h:
cpudriver/include/kernel/platform.h:
cpudriver/include/kernel/pmm.h:
cpudriver/include/kernel/selftest.h:
cpudriver/arch/x86_64/include/arch/paging.h:
cpudriver/arch/x86_64/include/arch/x86.h:
