build2/freestanding/topology/acpi_srat.o: topology/acpi_srat.c \
 topology/acpi_internal.h include/topology/acpi.h include/lib/err.h \
 include/sys/limits.h
topology/acpi_internal.h:
include/topology/acpi.h:
include/lib/err.h:
include/sys/limits.h:
