# if/: the interface files, one per protocol, and the code generated from
# them by the interface compiler tools/idl/idlc.py (docs/00-architecture.md).
#
#   if/<name>.if  ->  build/gen/if/<name>.h       types, structs, prototypes
#                     build/gen/if/<name>.c       gate, names, typed sends
#                     build/gen/if/<name>_fuzz.c  libFuzzer harness
#
# Generated files are build outputs, never committed.  Code includes them
# as <if/<name>.h> (every build has -I$(BUILD)/gen).  Every generated codec
# is part of libos.a (libos/libos.mk), so any domain can use any interface;
# every harness is a fuzz target `if_<name>` (tests/fuzz.mk) with its seeds
# in tests/fuzz/corpus/if_<name>/.  The compiler's own host tests are
# tests/idl/test_idlc.py.

IDL       := tools/idl/idlc.py
IDL_DIR   := $(BUILD)/gen/if
IDL_FILES := $(sort $(wildcard if/*.if))
IDL_NAMES := $(patsubst if/%.if,%,$(IDL_FILES))
IDL_HDRS  := $(patsubst %,$(IDL_DIR)/%.h,$(IDL_NAMES))
IDL_SRCS  := $(patsubst %,$(IDL_DIR)/%.c,$(IDL_NAMES))

# One run writes all three; the header stands for them (the compiler
# rewrites a file only when its text changes).
$(IDL_DIR)/%.h: if/%.if $(IDL)
	@mkdir -p $(@D)
	@echo "  IDL     $<"
	@$(PYTHON) $(IDL) $< --header $@ --codec $(IDL_DIR)/$*.c --fuzz $(IDL_DIR)/$*_fuzz.c
	@touch $@
$(IDL_DIR)/%.c $(IDL_DIR)/%_fuzz.c: $(IDL_DIR)/%.h
	@:
# Never delete them as intermediates of a chain of rules.
.SECONDARY: $(IDL_SRCS) $(patsubst %,$(IDL_DIR)/%_fuzz.c,$(IDL_NAMES))

.PHONY: idl
idl: $(IDL_HDRS)

# The generated code must stay freestanding and warning-free like the rest:
# tests depend on $(BUILD)/freestanding/$(IDL_DIR)/<name>.o (top Makefile).

# The compiler's tests: good files compile, malformed ones are refused with
# file:line:column and a sentence, never a traceback.
HOST_TESTS += tests/idl/test_idlc.py

# A fuzz target per interface (tests/fuzz.mk).
$(foreach n,$(IDL_NAMES),$(eval FUZZ_TARGETS += if_$(n)))
$(foreach n,$(IDL_NAMES),$(eval fuzz_if_$(n)_SRCS := $(IDL_DIR)/$(n)_fuzz.c $(IDL_DIR)/$(n).c lib/fmt.c $(wildcard urpc/*.c)))

# The generated code of the small interfaces, exercised on the host.
HOST_TESTS += $(BUILD)/host/test_ifgen
$(BUILD)/host/test_ifgen: tests/unit/test_ifgen.c $(IDL_DIR)/echo.c $(IDL_DIR)/soak.c $(IDL_DIR)/pingpong.c \
		lib/fmt.c $(wildcard urpc/*.c) tests/unit/test.h $(IDL_HDRS) \
		$(BUILD)/freestanding/$(IDL_DIR)/echo.o $(BUILD)/freestanding/$(IDL_DIR)/soak.o \
		$(BUILD)/freestanding/$(IDL_DIR)/pingpong.o
	$(host-link)
