build2/kernel/cpudriver/monlinks.o: cpudriver/monlinks.c \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/corepool.h \
 cpudriver/include/kernel/memrange.h include/lib/err.h \
 include/topology/topo.h include/sys/limits.h include/topology/acpi.h \
 include/topology/cpuid.h cpudriver/include/kernel/machine.h \
 cpudriver/include/kernel/memlayout.h cpudriver/include/kernel/monlinks.h \
 include/sys/monitor.h include/sys/syscall.h \
 cpudriver/include/kernel/pmm.h include/lib/string.h \
 include/topology/bcast_tree.h include/urpc/urpc.h
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/corepool.h:
cpudriver/include/kernel/memrange.h:
include/lib/err.h:
include/topology/topo.h:
include/sys/limits.h:
include/topology/acpi.h:
include/topology/cpuid.h:
cpudriver/include/kernel/machine.h:
cpudriver/include/kernel/memlayout.h:
cpudriver/include/kernel/monlinks.h:
include/sys/monitor.h:
include/sys/syscall.h:
cpudriver/include/kernel/pmm.h:
include/lib/string.h:
include/topology/bcast_tree.h:
include/urpc/urpc.h:
