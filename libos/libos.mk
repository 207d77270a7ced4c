# libos: the library linked into every domain.  Its pure parts (fmt, elf)
# are also linked into the CPU driver and unit-tested on the host.

# ELF64 validation and load planning (include/lib/elf.h); needs libos/fmt.c.
ELF_SRCS := libos/elf.c

# Pure sources must stay freestanding: compile them with the kernel's flags
# as a prerequisite of their host test, so a host-only habit breaks the build.
$(BUILD)/freestanding/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

# A real static executable for test_elf to accept and then corrupt.
ELF_SAMPLE_C := int counter = 1; static char bss[8192]; \
	void _start(void) { bss[counter]++; for (;;) ; }
$(BUILD)/host/elf_sample:
	@mkdir -p $(@D)
	echo '$(ELF_SAMPLE_C)' | $(HOST_CC) -x c - -O1 -static -nostdlib -no-pie -o $@

HOST_TESTS += $(BUILD)/host/test_elf
$(BUILD)/host/test_elf: HOST_CFLAGS += -DELF_SAMPLE='"$(BUILD)/host/elf_sample"'
$(BUILD)/host/test_elf: tests/unit/test_elf.c $(ELF_SRCS) libos/fmt.c \
		include/lib/elf.h include/lib/err.h tests/unit/test.h \
		$(BUILD)/host/elf_sample $(BUILD)/freestanding/libos/elf.o
	$(host-link)
