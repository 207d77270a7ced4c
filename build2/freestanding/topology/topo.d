build2/freestanding/topology/topo.o: topology/topo.c \
 include/topology/topo.h include/lib/err.h include/sys/limits.h \
 include/topology/acpi.h include/topology/cpuid.h
include/topology/topo.h:
include/lib/err.h:
include/sys/limits.h:
include/topology/acpi.h:
include/topology/cpuid.h:
