build2/kernel/cpudriver/corepool.o: cpudriver/corepool.c \
 cpudriver/include/kernel/corepool.h cpudriver/include/kernel/memrange.h \
 include/lib/err.h include/topology/topo.h include/sys/limits.h \
 include/topology/acpi.h include/topology/cpuid.h
cpudriver/include/kernel/corepool.h:
cpudriver/include/kernel/memrange.h:
include/lib/err.h:
include/topology/topo.h:
include/sys/limits.h:
include/topology/acpi.h:
include/topology/cpuid.h:
