# Top-level Makefile of the multikernel.
#
#   make            build the kernel image and boot modules into build/
#   make run        boot it in QEMU (SMP=4 MEM=512M, QEMUFLAGS=, TOPO=, MANIFEST=)
#   make test       build and run every test; ends with "N passed, N failed"
#   make iso        GRUB rescue ISO that boots the same image
#   make gdb        boot QEMU stopped, with a GDB stub on :1234, and attach gdb
#   make bench      cross-core ping-pong: URPC vs kernel IPC vs Linux (SMP=, TOPO=)
#   make bench-host URPC benchmark on Linux
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS each
#
# Each subsystem adds its own rules in <subsystem>/<subsystem>.mk; this file
# holds only the toolchain settings and the top-level targets.

BUILD      ?= build
SMP        ?= 4
MEM        ?= 512M
TOPO       ?=
MANIFEST   ?=
QEMUFLAGS  ?=
CMDLINE    ?=
# The watchdog of make run: 2 minutes plus 10 s per core (2 670 s at 255
# cores, where a whole run took 775 s at host load 20-70 and about 30
# minutes at load 50-70: the monitors' start 3 minutes, each of the
# ping-pong's 50 pairs 10-40 s; docs/11-reliability.md).  It only ends a
# run that hangs: every wait of the run is bounded by its own time-out.
TIMEOUT    ?= $(shell expr 120 + 10 \* $(SMP))
FUZZ_SECONDS ?= 60

CC         := gcc
HOST_CC    := gcc
NASM       := nasm
PYTHON     := python3

# Freestanding kernel C: no host headers beyond the compiler's own, no SSE,
# no red zone (interrupts use the kernel stack), higher-half code model.
KERNEL_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdlib -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx -mcmodel=kernel \
	-fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
	-Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wundef \
	-Iinclude -Icpudriver/include -Icpudriver/arch/x86_64/include

# Host C for unit tests: same sources, native, with sanitizers.
HOST_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-Wall -Wextra -Werror -Wno-format-truncation -Iinclude -I$(BUILD)/gen -Itests/unit
HOST_LDFLAGS := -fsanitize=address,undefined -lpthread

# ---- One recipe per kind of artefact ------------------------------------
#
#   host test        $(host-link): a host binary from every .c prerequisite,
#                    with sanitizers (tests/unit, tests/urpc, ...)
#   freestanding     $(BUILD)/freestanding/<path>.o: any pure source compiled
#   object           with the kernel's flags, a prerequisite of its host test
#                    so that a host-only habit breaks the build
#   user program     $(call user-program,<binary>,<objects>): crt0 first,
#                    libos.a last, apps/user.ld, then tools/elfcheck runs the
#                    kernel's own ELF check on it (apps/apps.mk, monitor)
#   kernel object    $(BUILD)/kernel/<path>.o (cpudriver/cpudriver.mk)
#   user object      $(BUILD)/user/<path>.o (libos/libos.mk)

$(BUILD)/freestanding/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -I$(BUILD)/gen -MMD -MP -c $< -o $@

# The link of a user program: no host libraries, no PIE, 4 KiB segment
# alignment, no build id note, a non-executable stack; -lgcc for any helper
# GCC may call.
USER_LDS := apps/user.ld
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(USER_LDS) \
	-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--build-id=none
define user-program
$(1): $(2) $(BUILD)/libos/crt0.o $(BUILD)/libos/libos.a $(USER_LDS) $(ELFCHECK)
	@mkdir -p $$(@D)
	@echo "  LD[U]   $$@"
	@$$(CC) $$(USER_LDFLAGS) -o $$@.tmp $(BUILD)/libos/crt0.o $(2) $(BUILD)/libos/libos.a -lgcc
	@$$(ELFCHECK) $$@.tmp
	@mv $$@.tmp $$@
endef

# Link a host test binary from all its prerequisites.
define host-link
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^) $(HOST_LDFLAGS)
endef

# The host build tool that runs the kernel's ELF validator over every user
# program at link time (tools/tools.mk builds it, apps/apps.mk uses it).
ELFCHECK := $(BUILD)/host/elfcheck

# Filled in by the subsystem fragments.
HOST_TESTS  :=
INTEG_TESTS  = $(sort $(wildcard tests/integration/test_*.py))
FUZZ_TARGETS :=
BOOT_MODULES :=

.PHONY: all deps deps-test deps-bench run bench test unit-tests iso gdb clean fuzz check
all: kernel

include $(sort $(wildcard */*.mk))

deps:
	@tools/deps.sh build
deps-test:
	@tools/deps.sh test
deps-bench:
	@tools/deps.sh bench

# The ping-pong benchmark: matrix, table, build/bench/pingpong.{json,png}.
PINGPONG_ITERS ?= 2000
bench: deps-bench kernel
	$(PYTHON) tools/bench.py --smp "$(SMP)" --topo "$(TOPO)" --mem "$(MEM)" \
		--iters $(PINGPONG_ITERS)

# The demo: every boot module, started as the manifest says.
DEFAULT_MANIFEST := tools/manifests/default.manifest
run: deps kernel $(BOOT_MODULES)
	$(PYTHON) tools/qemu.py --smp "$(SMP)" --mem "$(MEM)" --topo "$(TOPO)" \
		--cmdline "$(CMDLINE)" --timeout $(TIMEOUT) \
		$(foreach m,$(BOOT_MODULES),--module $(m)) \
		--manifest "$(or $(MANIFEST),$(DEFAULT_MANIFEST))" -- $(QEMUFLAGS)

iso: deps $(BUILD)/multikernel.iso

gdb: deps kernel
	@echo "QEMU waits for GDB on :1234; kernel symbols: $(KERNEL_ELF)"
	$(PYTHON) tools/qemu.py --smp "$(SMP)" --mem "$(MEM)" --topo "$(TOPO)" \
		--cmdline "$(CMDLINE)" --timeout 0 --gdb &
	sleep 1; gdb -q $(KERNEL_ELF) -ex "target remote :1234"

unit-tests: $(HOST_TESTS)

test: deps-test kernel iso unit-tests
	@$(PYTHON) tools/run-tests.py --timeout 900 $(HOST_TESTS) \
		$(foreach t,$(INTEG_TESTS),"$(PYTHON) $(t)")

clean:
	rm -rf $(BUILD)
