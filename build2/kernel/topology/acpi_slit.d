build2/kernel/topology/acpi_slit.o: topology/acpi_slit.c \
 topology/acpi_internal.h include/topology/acpi.h include/lib/err.h \
 include/sys/limits.h
topology/acpi_internal.h:
include/topology/acpi.h:
include/lib/err.h:
include/sys/limits.h:
