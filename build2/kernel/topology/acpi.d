build2/kernel/topology/acpi.o: topology/acpi.c include/lib/fmt.h \
 topology/acpi_internal.h include/topology/acpi.h include/lib/err.h \
 include/sys/limits.h
include/lib/fmt.h:
topology/acpi_internal.h:
include/topology/acpi.h:
include/lib/err.h:
include/sys/limits.h:
