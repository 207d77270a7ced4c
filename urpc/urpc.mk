# urpc: cache-line message channels (include/urpc/urpc.h, docs/03-urpc.md).
#
#   URPC_SRCS       the library's sources; link them into anything that
#                   uses channels (they are freestanding, see below)
#   make bench-host Linux benchmark against raw ping-pong, ck_ring, pipe,
#                   eventfd; BENCH_CPU_A / BENCH_CPU_B pick the two cores,
#                   BENCH_ITERS the round trips, writes build/bench/host.json
#
# Host tests: unit cases, a two-thread stress (ASan/UBSan and TSan builds;
# `build/host/test_urpc_stress 5000000` for a long run), sleep/wake cycles
# with futex hooks, and the spin model of the protocol with its mutants
# (tests/urpc/spin-check.sh).  A libFuzzer target for the decoder is at the
# end.  BENCH_ARGS passes further bench options (-m, -s, -r).

URPC_SRCS := urpc/area.c urpc/send.c urpc/recv.c urpc/notify.c urpc/waitset.c \
	urpc/trace.c
URPC_HDRS := include/urpc/urpc.h include/urpc/fastpath.h urpc/internal.h include/lib/err.h
URPC_TEST_HDRS := $(URPC_HDRS) tests/unit/test.h tests/urpc/urpc_linux.h
URPC_LINUX := tests/urpc/urpc_linux.c

# Freestanding check: every source compiles with the kernel's flags, and
# the objects together need nothing but each other and the mem* functions
# GCC may emit.  A prerequisite of every urpc host test.
URPC_FREE_OBJS := $(patsubst %.c,$(BUILD)/freestanding/%.o,$(URPC_SRCS))
-include $(URPC_FREE_OBJS:.o=.d)
$(BUILD)/urpc/freestanding.ok: $(URPC_FREE_OBJS)
	@mkdir -p $(@D)
	ld -r -o $(BUILD)/urpc/urpc-free.o $^
	@if nm -u $(BUILD)/urpc/urpc-free.o | \
	    grep -Ev ' (memcpy|memset|memmove|memcmp)$$'; then \
		echo "urpc: library needs symbols a freestanding build lacks"; \
		exit 1; fi
	@touch $@

HOST_TESTS += $(BUILD)/host/test_urpc
$(BUILD)/host/test_urpc: tests/urpc/test_urpc.c $(URPC_SRCS) \
		$(URPC_HDRS) tests/unit/test.h $(BUILD)/urpc/freestanding.ok
	$(host-link)

# Two pinned threads, every message checked; count as argument
# (default bounded so `make test` stays short).
HOST_TESTS += $(BUILD)/host/test_urpc_stress
$(BUILD)/host/test_urpc_stress: tests/urpc/test_urpc_stress.c $(URPC_LINUX) \
		$(URPC_SRCS) $(URPC_TEST_HDRS) $(BUILD)/urpc/freestanding.ok
	$(host-link)

# The same stress under ThreadSanitizer (smaller default count).  TSan does
# not model atomic_thread_fence (GCC warns, -Wtsan); the fences are still
# emitted, and they order only atomics (the sleep flag against the slot
# word), never plain data, so TSan loses nothing by ignoring them.
URPC_TSAN_CFLAGS := $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(HOST_CFLAGS)) \
	-O1 -fsanitize=thread -Wno-tsan -DURPC_STRESS_DEFAULT=100000
HOST_TESTS += $(BUILD)/host/test_urpc_stress_tsan
$(BUILD)/host/test_urpc_stress_tsan: tests/urpc/test_urpc_stress.c $(URPC_LINUX) \
		$(URPC_SRCS) $(URPC_TEST_HDRS) $(BUILD)/urpc/freestanding.ok
	@mkdir -p $(@D)
	$(HOST_CC) $(URPC_TSAN_CFLAGS) -o $@ $(filter %.c,$^) -fsanitize=thread -lpthread

HOST_TESTS += $(BUILD)/host/test_urpc_sleep
$(BUILD)/host/test_urpc_sleep: tests/urpc/test_urpc_sleep.c $(URPC_LINUX) \
		$(URPC_SRCS) $(URPC_TEST_HDRS) $(BUILD)/urpc/freestanding.ok
	$(host-link)

# A peer rewriting the area header while the other side attaches
# (urpc_chan_init reads the header once); URPC_HDRFLIP_ACCEPTED= for longer.
HOST_TESTS += $(BUILD)/host/test_urpc_hdrflip
$(BUILD)/host/test_urpc_hdrflip: tests/urpc/test_urpc_hdrflip.c \
		$(URPC_SRCS) $(URPC_TEST_HDRS) $(BUILD)/urpc/freestanding.ok
	$(host-link)

# The spin model of the ring and the sleep/wake protocol, and its mutants
# (tests/urpc/urpc.pml); a script, run as a command by tools/run-tests.py.
HOST_TESTS += tests/urpc/spin-check.sh

# make bench-host: tests/urpc/bench_host.c at -O2, no sanitizers, threads
# pinned with hwloc.  BENCH_ARGS passes more options (-n, -m, -s).
BENCH_CPU_A ?=
BENCH_CPU_B ?=
BENCH_ITERS ?= 200000
BENCH_ARGS  ?=
.PHONY: bench-host
$(BUILD)/bench/bench_host: tests/urpc/bench_host.c $(URPC_LINUX) $(URPC_SRCS) \
		$(URPC_HDRS) tests/urpc/urpc_linux.h $(BUILD)/urpc/freestanding.ok
	@mkdir -p $(@D)
	$(HOST_CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude \
		-o $@ $(filter %.c,$^) -lhwloc -lpthread
bench-host: $(BUILD)/bench/bench_host
	$(BUILD)/bench/bench_host $(if $(BENCH_CPU_A),-a $(BENCH_CPU_A)) \
		$(if $(BENCH_CPU_B),-b $(BENCH_CPU_B)) -n $(BENCH_ITERS) \
		-o $(BUILD)/bench/host.json $(BENCH_ARGS)

# libFuzzer target (tests/fuzz.mk builds it): the receive-side decoder and
# the area check against a hostile peer; seeds in tests/fuzz/corpus/urpc/.
FUZZ_TARGETS += urpc
fuzz_urpc_SRCS := tests/fuzz/fuzz_urpc.c $(URPC_SRCS)
