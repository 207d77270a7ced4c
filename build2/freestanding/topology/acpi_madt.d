build2/freestanding/topology/acpi_madt.o: topology/acpi_madt.c \
 topology/acpi_internal.h include/topology/acpi.h include/lib/err.h \
 include/sys/limits.h
topology/acpi_internal.h:
include/topology/acpi.h:
include/lib/err.h:
include/sys/limits.h:
