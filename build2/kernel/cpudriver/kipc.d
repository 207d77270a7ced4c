build2/kernel/cpudriver/kipc.o: cpudriver/kipc.c \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/corestatus.h \
 cpudriver/include/kernel/cpu.h cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/arch/x86_64/include/arch/trap.h \
 cpudriver/include/kernel/sched.h include/sys/limits.h \
 cpudriver/include/kernel/domain.h include/lib/err.h include/sys/domain.h \
 cpudriver/include/kernel/kipc.h cpudriver/include/kernel/span.h \
 cpudriver/include/kernel/machine.h include/topology/topo.h \
 include/topology/acpi.h include/topology/cpuid.h \
 cpudriver/include/kernel/memlayout.h cpudriver/include/kernel/pmm.h \
 cpudriver/include/kernel/smp.h cpudriver/include/kernel/memrange.h \
 cpudriver/include/kernel/uaccess.h \
 cpudriver/arch/x86_64/include/arch/lapic.h \
 cpudriver/arch/x86_64/include/arch/x86.h include/lib/string.h \
 include/sys/syscall.h
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/corestatus.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/domain.h:
include/lib/err.h:
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
cpudriver/include/kernel/memrange.h:
cpudriver/include/kernel/uaccess.h:
cpudriver/arch/x86_64/include/arch/lapic.h:
cpudriver/arch/x86_64/include/arch/x86.h:
include/lib/string.h:
include/sys/syscall.h:
