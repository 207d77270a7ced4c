# monitor: the per-core ring-3 service that owns the core's view of global
# state.  Its pure parts are unit-tested on the host.

# Monitor protocol checker (include/monitor/proto.h) and monitor 0's name
# registry (include/monitor/names.h): pure, freestanding, host-tested.
PROTO_SRCS := $(IDL_DIR)/monitor.c $(wildcard urpc/*.c)
NAMES_SRCS := monitor/names.c

HOST_TESTS += $(BUILD)/host/test_proto
$(BUILD)/host/test_proto: tests/unit/test_proto.c $(PROTO_SRCS) lib/fmt.c \
		include/monitor/proto.h include/sys/monitor.h include/lib/err.h \
		tests/unit/test.h $(IDL_HDRS) $(BUILD)/freestanding/$(IDL_DIR)/monitor.o
	$(host-link)

HOST_TESTS += $(BUILD)/host/test_names
$(BUILD)/host/test_names: tests/unit/test_names.c $(NAMES_SRCS) \
		include/monitor/names.h include/monitor/proto.h include/lib/err.h $(IDL_HDRS) \
		tests/unit/test.h $(BUILD)/freestanding/monitor/names.o
	$(host-link)

# The replicated registry's two-phase commit (include/monitor/nameagree.h).
HOST_TESTS += $(BUILD)/host/test_nameagree
$(BUILD)/host/test_nameagree: tests/unit/test_nameagree.c monitor/nameagree.c \
		monitor/nametree.c lib/vmtree.c $(NAMES_SRCS) include/monitor/nameagree.h \
		include/monitor/nametree.h include/lib/vmtree.h include/monitor/names.h \
		include/monitor/proto.h include/lib/err.h $(IDL_HDRS) tests/unit/test.h \
		$(BUILD)/freestanding/monitor/nameagree.o $(BUILD)/freestanding/monitor/nametree.o
	$(host-link)

# Shortest live paths between monitors and the hop limit (include/monitor/routepath.h).
HOST_TESTS += $(BUILD)/host/test_routepath
$(BUILD)/host/test_routepath: tests/unit/test_routepath.c monitor/routepath.c \
		include/monitor/routepath.h include/sys/monitor.h tests/unit/test.h \
		$(BUILD)/freestanding/monitor/routepath.o
	$(host-link)

# Which rights a domain's request needs (include/monitor/rights.h).
HOST_TESTS += $(BUILD)/host/test_monrights
$(BUILD)/host/test_monrights: tests/unit/test_monrights.c monitor/rights.c lib/fmt.c \
		include/monitor/rights.h include/sys/rights.h include/monitor/proto.h \
		tests/unit/test.h $(BUILD)/freestanding/monitor/rights.o
	$(host-link)

# Per-domain limits of the monitors' resources (include/monitor/quota.h).
HOST_TESTS += $(BUILD)/host/test_monquota
$(BUILD)/host/test_monquota: tests/unit/test_monquota.c monitor/quota.c \
		include/monitor/quota.h include/lib/err.h tests/unit/test.h \
		$(BUILD)/freestanding/monitor/quota.o
	$(host-link)

# A monitor's share of the monitors' memory: the bitmap allocator
# (include/monitor/frameset.h) and the split among monitors (memshare.h).
HOST_TESTS += $(BUILD)/host/test_frameset
$(BUILD)/host/test_frameset: tests/unit/test_frameset.c monitor/frameset.c monitor/memshare.c \
		include/monitor/frameset.h include/monitor/memshare.h include/sys/monitor.h \
		include/lib/err.h tests/unit/test.h $(BUILD)/freestanding/monitor/frameset.o \
		$(BUILD)/freestanding/monitor/memshare.o
	$(host-link)

# Liveness (monitor/liveness.c) in a scripted world: one monitor, its clock,
# its messages; two stopped neighbours, refutes, hostile liveness messages.
HOST_TESTS += $(BUILD)/host/test_liveness
$(BUILD)/host/test_liveness: tests/unit/test_liveness.c monitor/liveness.c monitor/incarnation.c \
		lib/string.c \
		monitor/monitor.h include/monitor/proto.h tests/unit/test.h $(IDL_HDRS)
	$(host-link)

# The pool reuse agreement (monitor/poolreuse.c) in a scripted world: one
# restarter, the others' answers; answers from non-parties and about no
# agreement refused.
HOST_TESTS += $(BUILD)/host/test_poolreuse
$(BUILD)/host/test_poolreuse: tests/unit/test_poolreuse.c monitor/poolreuse.c lib/string.c \
		monitor/monitor.h include/monitor/proto.h tests/unit/test.h $(IDL_HDRS)
	$(host-link)

# Dozens of busy domains on every core of a 4-core machine for a minute
# (BUSY_SECONDS, BUSY_DOMAINS per core): no core may be declared down.  make
# test runs the same test for 20 s (tests/integration/test_monitor.py).
BUSY_SECONDS ?= 60
BUSY_DOMAINS ?= 24
.PHONY: monitor-busy
monitor-busy: deps-test kernel
	MONITOR_BUSY_MS=$$(( $(BUSY_SECONDS) * 1000 )) MONITOR_BUSY_DOMAINS=$(BUSY_DOMAINS) \
		$(PYTHON) tests/integration/test_monitor.py busy

# libFuzzer target for mon_msg_check (tests/fuzz.mk).
FUZZ_TARGETS += monproto
fuzz_monproto_SRCS := tests/fuzz/fuzz_monproto.c $(PROTO_SRCS) lib/fmt.c

# The monitor domain: every .c in monitor/ (its pure parts included), linked
# like an app (apps/apps.mk) and started first by every CPU driver.
MONITOR_OBJS := $(patsubst %.c,$(BUILD)/user/%.o,$(wildcard monitor/*.c))
-include $(MONITOR_OBJS:.o=.d)
BOOT_MODULES += $(BUILD)/apps/monitor
$(eval $(call user-program,$(BUILD)/apps/monitor,$(MONITOR_OBJS)))
kernel: $(BUILD)/apps/monitor

# restart.many alone (core 2 restarted seven times; make test runs it with
# the rest of test_restart.py): for loops, e.g.
#   for i in $$(seq 10); do make test-restart-many || break; done
.PHONY: test-restart-many
test-restart-many: deps-test kernel
	RESTART_ONLY=many $(PYTHON) tests/integration/test_restart.py
