# monitor: the per-core ring-3 service that owns the core's view of global
# state.  Its pure parts are unit-tested on the host.

# Boot manifest parser (include/monitor/manifest.h); needs libos/fmt.c.
MANIFEST_SRCS := monitor/manifest.c

# test_manifest also compiles manifest.c with the kernel's flags (pattern
# rule in libos/libos.mk) so that it stays freestanding.
HOST_TESTS += $(BUILD)/host/test_manifest
$(BUILD)/host/test_manifest: tests/unit/test_manifest.c $(MANIFEST_SRCS) libos/fmt.c \
		include/monitor/manifest.h include/lib/err.h tests/unit/test.h \
		$(BUILD)/freestanding/monitor/manifest.o
	$(host-link)

# Monitor protocol checker (include/monitor/proto.h) and monitor 0's name
# registry (include/monitor/names.h): pure, freestanding, host-tested.
PROTO_SRCS := monitor/proto.c
NAMES_SRCS := monitor/names.c

HOST_TESTS += $(BUILD)/host/test_proto
$(BUILD)/host/test_proto: tests/unit/test_proto.c $(PROTO_SRCS) libos/fmt.c \
		include/monitor/proto.h include/sys/monitor.h include/lib/err.h \
		tests/unit/test.h $(BUILD)/freestanding/monitor/proto.o
	$(host-link)

HOST_TESTS += $(BUILD)/host/test_names
$(BUILD)/host/test_names: tests/unit/test_names.c $(NAMES_SRCS) \
		include/monitor/names.h include/monitor/proto.h include/lib/err.h \
		tests/unit/test.h $(BUILD)/freestanding/monitor/names.o
	$(host-link)
