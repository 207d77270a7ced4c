# libFuzzer targets (docs/05-fuzzing.md).
#
# A subsystem declares a target in its own fragment:
#
#     FUZZ_TARGETS += elf
#     fuzz_elf_SRCS := tests/fuzz/fuzz_elf.c lib/elf.c lib/fmt.c
#     fuzz_elf_CFLAGS := ...        (optional, extra compiler flags)
#
# and checks in a seed corpus as tests/fuzz/corpus/<t>/ (small, meaningful
# files).  This file turns every entry into
#
#   build/fuzz/fuzz_<t>   clang -fsanitize=fuzzer,address,undefined
#   make fuzz             each target for FUZZ_SECONDS; new inputs go to
#                         build/fuzz/corpus/<t>, crashes to
#                         build/fuzz/artifacts/<t>/; prints a summary per
#                         target and fails if any crashed
#   build/fuzz/regress    a HOST_TESTS entry (so part of `make test`): every
#                         target over its checked-in corpus plus
#                         FUZZ_REGRESS_SECONDS of fuzzing, one
#                         `TEST fuzz.<t> PASS|FAIL` line each
#
# Fragments are included in sorted order, so topology.mk and urpc.mk add
# their targets after this file has been read.  Nothing here may therefore
# expand FUZZ_TARGETS or fuzz_<t>_SRCS while the makefiles are read: the
# prerequisite lists below use secondary expansion ($$), which make performs
# only after every fragment is in, and recipes are expanded when they run.
# (.SECONDEXPANSION applies to every rule read after it; a prerequisite
# containing a literal `$$` would now be expanded twice.  None does.)

FUZZ_CC      := clang
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Wall -Wextra -Iinclude -I$(BUILD)/gen -Icpudriver/include
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_REGRESS_SECONDS ?= 10
FUZZ_DRIVER  := tests/fuzz/fuzz.py

# The ELF validator (lib/elf.c).
FUZZ_TARGETS += elf
fuzz_elf_SRCS := tests/fuzz/fuzz_elf.c lib/elf.c lib/fmt.c

# The boot manifest parser (lib/manifest.c).
FUZZ_TARGETS += manifest
fuzz_manifest_SRCS := tests/fuzz/fuzz_manifest.c lib/manifest.c lib/fmt.c

.SECONDEXPANSION:

# One binary per target, from its sources and every header it may include.
$(FUZZ_DIR)/fuzz_%: $$(fuzz_$$*_SRCS) $$(wildcard include/*/*.h) tests/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(fuzz_$*_CFLAGS) -o $@ $(filter %.c,$^)

.PHONY: fuzz fuzz-build
fuzz-build: $$(patsubst %,$(FUZZ_DIR)/fuzz_%,$$(FUZZ_TARGETS))

fuzz: deps-test fuzz-build
	@$(PYTHON) $(FUZZ_DRIVER) run --build $(FUZZ_DIR) --seconds $(FUZZ_SECONDS) \
		$(FUZZ_TARGETS)

# The regression entry of `make test`: a two-line script naming the targets.
# Rewritten only when its text changes, so it stays up to date when a
# fragment adds a target without rebuilding anything else.
HOST_TESTS += $(FUZZ_DIR)/regress
$(FUZZ_DIR)/regress: $$(patsubst %,$(FUZZ_DIR)/fuzz_%,$$(FUZZ_TARGETS)) $(FUZZ_DRIVER) fuzz-regress-force
	@mkdir -p $(@D)
	@printf '#!/bin/sh\nexec %s %s regress --build %s --seconds %s %s\n' \
		'$(PYTHON)' '$(FUZZ_DRIVER)' '$(FUZZ_DIR)' '$(FUZZ_REGRESS_SECONDS)' \
		'$(FUZZ_TARGETS)' > $@.tmp
	@chmod +x $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

.PHONY: fuzz-regress-force
fuzz-regress-force:
