build2/freestanding/topology/topo_print.o: topology/topo_print.c \
 include/lib/fmt.h include/topology/topo.h include/lib/err.h \
 include/sys/limits.h include/topology/acpi.h include/topology/cpuid.h
include/lib/fmt.h:
include/topology/topo.h:
include/lib/err.h:
include/sys/limits.h:
include/topology/acpi.h:
include/topology/cpuid.h:
