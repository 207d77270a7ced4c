build2/kernel/cpudriver/machine.o: cpudriver/machine.c \
 cpudriver/include/kernel/boot.h cpudriver/include/kernel/memrange.h \
 include/lib/err.h cpudriver/include/kernel/console.h \
 cpudriver/include/kernel/machine.h include/topology/topo.h \
 include/sys/limits.h include/topology/acpi.h include/topology/cpuid.h \
 cpudriver/include/kernel/memlayout.h \
 cpudriver/arch/x86_64/include/arch/lapic.h \
 cpudriver/arch/x86_64/include/arch/x86.h include/lib/string.h
cpudriver/include/kernel/boot.h:
cpudriver/include/kernel/memrange.h:
include/lib/err.h:
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/machine.h:
include/topology/topo.h:
include/sys/limits.h:
include/topology/acpi.h:
include/topology/cpuid.h:
cpudriver/include/kernel/memlayout.h:
cpudriver/arch/x86_64/include/arch/lapic.h:
cpudriver/arch/x86_64/include/arch/x86.h:
include/lib/string.h:
