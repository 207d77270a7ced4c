build2/freestanding/topology/bcast_tree.o: topology/bcast_tree.c \
 include/lib/fmt.h include/topology/bcast_tree.h include/lib/err.h \
 include/topology/topo.h include/sys/limits.h include/topology/acpi.h \
 include/topology/cpuid.h
include/lib/fmt.h:
include/topology/bcast_tree.h:
include/lib/err.h:
include/topology/topo.h:
include/sys/limits.h:
include/topology/acpi.h:
include/topology/cpuid.h:
