# topology/: ACPI tables, CPUID topology, the machine model, broadcast trees.
#
# TOPOLOGY_SRCS is what the kernel links (with KERNEL_CFLAGS; they also need
# lib/fmt.c).  Every source is also a freestanding object (top Makefile), a
# prerequisite of the topology host tests, so a source that stops building
# freestanding breaks `make unit-tests` and `make test`.

TOPOLOGY_SRCS := topology/acpi.c topology/acpi_madt.c topology/acpi_srat.c \
	topology/acpi_slit.c topology/cpuid.c topology/topo.c \
	topology/topo_print.c topology/bcast_tree.c
TOPOLOGY_HDRS := $(wildcard include/topology/*.h) topology/acpi_internal.h
TOPOLOGY_KOBJS := $(patsubst %.c,$(BUILD)/freestanding/%.o,$(TOPOLOGY_SRCS))
-include $(TOPOLOGY_KOBJS:.o=.d)

TOPO_TEST_DEPS := $(TOPOLOGY_SRCS) lib/fmt.c $(TOPOLOGY_HDRS) \
	tests/unit/test.h $(TOPOLOGY_KOBJS)

HOST_TESTS += $(BUILD)/host/test_acpi $(BUILD)/host/test_cpuid \
	$(BUILD)/host/test_topo $(BUILD)/host/test_bcast

$(BUILD)/host/test_acpi: tests/unit/test_acpi.c tests/unit/test_acpi_fixture.h $(TOPO_TEST_DEPS)
	$(host-link)
$(BUILD)/host/test_cpuid: tests/unit/test_cpuid.c $(TOPO_TEST_DEPS)
	$(host-link)
$(BUILD)/host/test_topo: tests/unit/test_topo.c tests/unit/test_acpi_fixture.h $(TOPO_TEST_DEPS)
	$(host-link)
$(BUILD)/host/test_bcast: tests/unit/test_bcast.c $(TOPO_TEST_DEPS)
	$(host-link)

# libFuzzer target, run by tests/fuzz/fuzz.mk (`make fuzz`).
FUZZ_TARGETS += acpi
fuzz_acpi_SRCS := tests/fuzz/fuzz_acpi.c topology/acpi.c topology/acpi_madt.c \
	topology/acpi_srat.c topology/acpi_slit.c topology/cpuid.c \
	topology/topo.c topology/topo_print.c topology/bcast_tree.c lib/fmt.c
