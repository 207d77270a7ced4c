# apps: the programs that run as domains, one directory per program.
#
#   apps/<name>/*.c  ->  build/apps/<name>   static ELF64 at 0x400000
#
# Each app links libos's crt0.o first and libos.a last (libos/libos.mk)
# with apps/user.ld, and is then checked by build/host/elfcheck, which runs
# the kernel's own ELF validator (lib/elf.c) with the kernel's limits:
# an app the CPU driver would refuse breaks the build.  Every app is a boot
# module (BOOT_MODULES), and `make` / `make kernel` build them all.
#
# To add an app: create apps/<name>/<name>.c with main() and add <name>
# to APPS below.  Docs: docs/07-libos.md.

APPS := hello hostile spin echo client spawner memxfer badmsg stopper restarter bcastbench pingpong soak isoattack fpstress threads sysfuzz parmul spanvm
APPS += tracebad monattack churn shell
APPS += namerace namebench muter

APP_BINS := $(patsubst %,$(BUILD)/apps/%,$(APPS))
BOOT_MODULES += $(APP_BINS)

.PHONY: apps
apps: $(APP_BINS)
all: apps
kernel: apps

# $(1): app name.  Objects come from the user pattern rule in libos.mk; the
# link is the top Makefile's user-program.
define app-rule
APP_OBJS_$(1) := $$(patsubst %.c,$$(BUILD)/user/%.o,$$(wildcard apps/$(1)/*.c))
-include $$(APP_OBJS_$(1):.o=.d)
$$(eval $$(call user-program,$$(BUILD)/apps/$(1),$$(APP_OBJS_$(1))))
endef
$(foreach a,$(APPS),$(eval $(call app-rule,$(a))))

# The system-call fuzzer during a soak: apps/sysfuzz on every core for
# FUZZ_SYS_SECONDS (default 60; SMP applies) while the soak runs about as
# long or longer (1200 messages per channel per second).  The soak's totals line
# (lost, corrupted) and each fuzzer's "done:" line are the result; a short
# run is in make test (tests/integration/test_isolation.py).
FUZZ_SYS_SECONDS ?= 60
.PHONY: fuzz-sys
fuzz-sys: deps kernel
	@printf 'monitor all\nsoak 0 rights=spawn coord msgs=%s\nsysfuzz all %s\n' \
		$$(( $(FUZZ_SYS_SECONDS) * 1200 )) $(FUZZ_SYS_SECONDS) > $(BUILD)/fuzz-sys.manifest
	$(PYTHON) tools/qemu.py --smp "$(SMP)" --mem "$(MEM)" \
		--timeout $$(( $(FUZZ_SYS_SECONDS) * 4 + 600 )) \
		--module $(BUILD)/apps/monitor --module $(BUILD)/apps/soak \
		--module $(BUILD)/apps/sysfuzz --manifest $(BUILD)/fuzz-sys.manifest

# The long soak: traffic between every pair of cores with faults injected
# (SOAK_MSGS per channel, default 100000; SMP applies).  The short one is in
# make test (tests/integration/test_soak.py).
SOAK_MSGS ?= 100000
.PHONY: soak
soak: deps kernel
	@printf 'monitor all\nsoak 0 rights=spawn,stop coord msgs=%s stop=%s victims=4 hostile=1\n' \
		$(SOAK_MSGS) $$(( $(SMP) - 1 )) > $(BUILD)/soak-long.manifest
	$(PYTHON) tools/qemu.py --smp "$(SMP)" --mem "$(MEM)" --timeout 7200 \
		--module $(BUILD)/apps/monitor --module $(BUILD)/apps/soak \
		--module $(BUILD)/apps/badmsg --module $(BUILD)/apps/echo \
		--manifest $(BUILD)/soak-long.manifest

# The soak at 255 cores (QEMU's ceiling) with the liveness tally: soak
# traffic between the first SOAK_SCALE_NODES cores (all pairs) while all
# 255 monitors watch each other; passes only with every message delivered
# (0 lost, 0 corrupted) and no core declared down (tools/soak-scale.py).
# The default took 5 minutes here at host load 42-84 (docs/11-reliability.md);
# SOAK_SCALE_NODES=64 (the most) and more messages take longer.  Not in
# make test; the watchdog ends it after 30 minutes.
SOAK_SCALE_SMP ?= 255
SOAK_SCALE_NODES ?= 32
SOAK_SCALE_MSGS ?= 200
.PHONY: soak-scale
soak-scale: deps kernel
	$(PYTHON) tools/soak-scale.py --smp $(SOAK_SCALE_SMP) --nodes $(SOAK_SCALE_NODES) \
		--msgs $(SOAK_SCALE_MSGS) --mem 2G --timeout 1800

# Unmap of one page touched on N cores, ours (apps/spanvm) beside Linux's
# munmap in the same QEMU configuration (tools/bench-unmap.py).
UNMAP_CORES ?= 2,4,8,16,32
UNMAP_ROUNDS ?= 100
.PHONY: bench-unmap
bench-unmap: deps-bench kernel
	$(PYTHON) tools/bench-unmap.py --cores $(UNMAP_CORES) --rounds $(UNMAP_ROUNDS)

# The shell's line editor is pure logic: host test with sanitizers, and a
# freestanding build of it as a prerequisite.
HOST_TESTS += $(BUILD)/host/test_lineedit
$(BUILD)/host/test_lineedit: tests/unit/test_lineedit.c apps/shell/lineedit.c \
		apps/shell/lineedit.h tests/unit/test.h $(BUILD)/freestanding/apps/shell/lineedit.o
	$(host-link)
