# tools/elfcheck: a host program, lib/elf.c with the CPU driver's limits.
$(ELFCHECK): tools/elfcheck.c lib/elf.c lib/fmt.c include/lib/elf.h \
		include/sys/domain.h
	@mkdir -p $(@D)
	$(HOST_CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude -o $@ \
		tools/elfcheck.c lib/elf.c lib/fmt.c

# tools/linerot.c: a raw ping-pong in three memory patterns, a measurement
# (docs/03-urpc.md, "Eighth round"); built on request.
$(BUILD)/bench/linerot: tools/linerot.c
	@mkdir -p $(@D)
	$(HOST_CC) -std=gnu11 -O2 -Wall -Wextra -Werror -pthread -o $@ $<

# make check: static analysis of every C source (docs/10-static-checks.md).
#
#   clang-tidy  the checks in .clang-tidy (every finding is an error), each
#               file compiled with the flags of the build that uses it:
#                 kernel  KERNEL_C_SRCS with KERNEL_CFLAGS
#                 user    libos, monitor and apps with USER_CFLAGS
#                 host    unit tests, fuzz targets, host tools with HOST_CFLAGS
#               A file in two builds (urpc/, lib/fmt.c, ...) is checked
#               once, with the first group that lists it.  GCC-only flags
#               are dropped and clang's own freestanding headers replace
#               GCC's.
#   cppcheck    --enable=warning,performance,portability over the same
#               files, suppressions in tools/cppcheck-suppressions.txt
#               (each with its reason) or inline with a reason.
#   layers      tools/check-layers.py: which folder may include which
#               headers, and that the CPU driver links only cpudriver/,
#               lib/, urpc/ and topology/ (docs/00-architecture.md).
#
# Output per file goes to build/check/; the target prints every finding,
# a summary line, and fails if there was any.  CHECK_JOBS files at a time.
# Results are cached in build/check-cache/ (CHECK_CACHE; empty: none):
# clang-tidy skips a file whose preprocessed text, flags and configuration
# gave a clean result before (tools/tidy-cached.sh), cppcheck keeps its
# per-file analysis (--cppcheck-build-dir) and re-reads only changed files.
#
# Fragments are read in sorted order and topology.mk / urpc.mk come after
# this one, so every list here is recursive (=) and expanded only when the
# recipe runs.

CLANG_TIDY  := clang-tidy
CPPCHECK    := cppcheck
CHECK_JOBS  ?= 2
CHECK_DIR   := $(BUILD)/check
CHECK_CACHE ?= $(BUILD)/check-cache

# GCC's freestanding headers (-isystem ...) and GCC-only options out, clang's in.
CHECK_GCC_ONLY := -fno-tree-loop-distribute-patterns -Wno-format-truncation \
	-Werror -fsanitize=% -fno-sanitize-recover=%
CHECK_FIX = -isystem $(shell clang -print-file-name=include) \
	$(filter-out $(CHECK_GCC_ONLY) -isystem $(shell $(CC) -print-file-name=include),$(1))

CHECK_KERNEL_SRCS = $(sort $(KERNEL_C_SRCS))
CHECK_USER_SRCS   = $(filter-out $(CHECK_KERNEL_SRCS) $(BUILD)/%, \
	$(sort $(LIBOS_USER_SRCS) $(wildcard monitor/*.c) $(wildcard apps/*/*.c)))
CHECK_HOST_SRCS   = $(filter-out $(CHECK_KERNEL_SRCS) $(CHECK_USER_SRCS), \
	$(sort $(wildcard tests/unit/*.c tests/urpc/*.c tests/fuzz/*.c) \
	tools/elfcheck.c tools/linuxbench/pingpong.c tools/linerot.c))

CHECK_KERNEL_FLAGS = $(call CHECK_FIX,$(KERNEL_CFLAGS))
CHECK_USER_FLAGS   = $(call CHECK_FIX,$(USER_CFLAGS))
# Host flags: no -isystem swap (host headers are wanted), no sanitizers.
# test_elf.c names its sample file (lib/lib.mk).
CHECK_HOST_FLAGS   = $(filter-out $(CHECK_GCC_ONLY),$(HOST_CFLAGS)) -Icpudriver/include \
	'-DELF_SAMPLE="$(BUILD)/host/elf_sample"'

# cppcheck: one pass over every file; the include paths of all three builds.
CPPCHECK_FLAGS = --enable=warning,performance,portability --error-exitcode=1 \
	--inline-suppr --suppressions-list=tools/cppcheck-suppressions.txt \
	--std=c11 --platform=unix64 --quiet -j $(CHECK_JOBS) \
	$(if $(CHECK_CACHE),--cppcheck-build-dir=$(CHECK_CACHE)/cppcheck) \
	--template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
	-D__x86_64__ -D__GNUC__ -Iinclude -I$(BUILD)/gen -Icpudriver/include \
	-Icpudriver/arch/x86_64/include -Itests/unit

# One clang-tidy run per file of group $(1) (files $(2)), CHECK_JOBS at a
# time, each through tools/tidy-cached.sh: a file whose preprocessed text,
# flags and .clang-tidy are those of an earlier clean run is not checked
# again (CHECK_CACHE; `make check CHECK_CACHE=` checks everything).
define check-tidy-group
	@printf '%s\n' $(CHECK_$(1)_FLAGS) > $(CHECK_DIR)/$(1).flags
	@printf '%s\n' $(2) | xargs -P $(CHECK_JOBS) -I{} sh -c \
		'tools/tidy-cached.sh {} $(CHECK_DIR)/$(1).flags $(CHECK_DIR)/tidy "$(if $(CHECK_CACHE),$(CHECK_CACHE)/tidy)" \
		 || echo {} >>$(CHECK_DIR)/tidy.failed'
endef

.PHONY: check check-tidy check-cppcheck
check: deps-test $(IDL_HDRS)
	@rm -rf $(CHECK_DIR) && mkdir -p $(CHECK_DIR)/tidy
	@$(PYTHON) tools/check-layers.py --kernel-srcs $(KERNEL_C_SRCS) >$(CHECK_DIR)/layers.txt \
		|| echo failed >$(CHECK_DIR)/layers.failed
	@start=$$(date +%s); \
	$(MAKE) -k --no-print-directory check-tidy check-cppcheck; \
	end=$$(date +%s); \
	tidy=$$(cat $(CHECK_DIR)/tidy/*.txt | grep -c ': \(warning\|error\):' || true); \
	tfail=$$(cat $(CHECK_DIR)/tidy.failed 2>/dev/null | wc -l); \
	cpp=$$(grep -c ': \(warning\|error\|style\|performance\|portability\|information\):' \
		$(CHECK_DIR)/cppcheck.txt || true); \
	for f in $(CHECK_DIR)/tidy/*.txt; do [ -s $$f ] && cat $$f; done; \
	for f in $$(cat $(CHECK_DIR)/tidy.failed 2>/dev/null); do \
		e=$(CHECK_DIR)/tidy/$$(echo $$f | tr / _).err; \
		grep -v 'warnings\? generated\.$$' $$e || true; done; \
	cat $(CHECK_DIR)/cppcheck.txt; \
	grep -v '^check-layers:' $(CHECK_DIR)/layers.txt || true; \
	echo "check: clang-tidy $$tidy finding(s) in $$tfail file(s) of $(words $(CHECK_KERNEL_SRCS) $(CHECK_USER_SRCS) $(CHECK_HOST_SRCS)), cppcheck $$cpp finding(s), $$(tail -1 $(CHECK_DIR)/layers.txt), $$((end - start)) s"; \
	[ "$$tfail" = 0 ] && [ "$$tidy" = 0 ] && [ "$$cpp" = 0 ] && [ ! -s $(CHECK_DIR)/cppcheck.failed ] && \
		[ ! -s $(CHECK_DIR)/layers.failed ]

check-tidy:
	@mkdir -p $(CHECK_DIR)/tidy
	@echo "  TIDY    $(words $(CHECK_KERNEL_SRCS)) kernel, $(words $(CHECK_USER_SRCS)) user, $(words $(CHECK_HOST_SRCS)) host files"
	$(call check-tidy-group,KERNEL,$(CHECK_KERNEL_SRCS))
	$(call check-tidy-group,USER,$(CHECK_USER_SRCS))
	$(call check-tidy-group,HOST,$(CHECK_HOST_SRCS))

check-cppcheck:
	@mkdir -p $(CHECK_DIR) $(if $(CHECK_CACHE),$(CHECK_CACHE)/cppcheck)
	@echo "  CPPCHECK"
	@$(CPPCHECK) $(CPPCHECK_FLAGS) $(CHECK_KERNEL_SRCS) $(CHECK_USER_SRCS) \
		$(CHECK_HOST_SRCS) 2>$(CHECK_DIR)/cppcheck.txt \
		|| echo failed >$(CHECK_DIR)/cppcheck.failed
