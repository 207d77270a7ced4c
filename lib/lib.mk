# lib/: pure code shared by the CPU driver, the monitors, libos and the host
# tools (include/lib/*.h): formatting, strings, number / key=value / program
# name parsing, ELF validation, the boot manifest parser.
#
# Everything here is freestanding and depends on nothing outside lib/; the
# kernel links every lib/*.c (cpudriver/cpudriver.mk), libos.a carries them
# all for the domains (libos/libos.mk).  Each source is also unit-tested on
# the host, and compiled with the kernel's flags as a prerequisite of its
# test, so a host-only habit breaks `make unit-tests`.

LIB_SRCS := $(wildcard lib/*.c)
LIB_HDRS := $(wildcard include/lib/*.h)

# Every test also compiles its source as a freestanding object (top Makefile).
-include $(patsubst %.c,$(BUILD)/freestanding/%.d,$(LIB_SRCS))

HOST_TESTS += $(BUILD)/host/test_fmt $(BUILD)/host/test_parse \
	$(BUILD)/host/test_elf $(BUILD)/host/test_manifest

$(BUILD)/host/test_fmt: tests/unit/test_fmt.c lib/fmt.c include/lib/fmt.h tests/unit/test.h \
		$(BUILD)/freestanding/lib/fmt.o
	$(host-link)

$(BUILD)/host/test_parse: tests/unit/test_parse.c lib/parse.c include/lib/parse.h \
		tests/unit/test.h $(BUILD)/freestanding/lib/parse.o
	$(host-link)

# A real static executable for test_elf to accept and then corrupt.
ELF_SAMPLE_C := int counter = 1; static char bss[8192]; \
	void _start(void) { bss[counter]++; for (;;) ; }
$(BUILD)/host/elf_sample:
	@mkdir -p $(@D)
	echo '$(ELF_SAMPLE_C)' | $(HOST_CC) -x c - -O1 -static -nostdlib -no-pie -o $@

$(BUILD)/host/test_elf: HOST_CFLAGS += -DELF_SAMPLE='"$(BUILD)/host/elf_sample"'
$(BUILD)/host/test_elf: tests/unit/test_elf.c lib/elf.c lib/fmt.c \
		include/lib/elf.h include/lib/err.h tests/unit/test.h \
		$(BUILD)/host/elf_sample $(BUILD)/freestanding/lib/elf.o
	$(host-link)

$(BUILD)/host/test_manifest: tests/unit/test_manifest.c lib/manifest.c lib/fmt.c \
		include/lib/manifest.h include/lib/err.h tests/unit/test.h \
		$(BUILD)/freestanding/lib/manifest.o
	$(host-link)

HOST_TESTS += $(BUILD)/host/test_vmtree
$(BUILD)/host/test_vmtree: tests/unit/test_vmtree.c lib/vmtree.c include/lib/vmtree.h \
		tests/unit/test.h $(BUILD)/freestanding/lib/vmtree.o
	$(host-link)

HOST_TESTS += $(BUILD)/host/test_spanq
$(BUILD)/host/test_spanq: tests/unit/test_spanq.c lib/spanq.c include/lib/spanq.h \
		tests/unit/test.h $(BUILD)/freestanding/lib/spanq.o
	$(host-link)
