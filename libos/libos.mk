# libos: the library linked into every domain.  It carries lib/ (the code
# shared with the CPU driver, lib/lib.mk) so every domain can use it.

# ---- The user runtime: build/libos/libos.a and build/libos/crt0.o --------
#
# Every domain links crt0.o first and libos.a last (apps/apps.mk).  User
# code is freestanding like the kernel's but runs in ring 3 with the normal
# small code model; the red zone is fine there (the kernel takes interrupts
# on its own stack).  x86-64's baseline ABI with SSE/SSE2: every domain's
# (and every user-level thread's) x87/SSE/AVX state is saved and restored
# (cpudriver/arch/x86_64/fpu.c, libos/arch/x86_64/dispatch.asm), so user C
# may use double and the compiler may vectorise.  The URPC library is part
# of libos.a, so any domain can use channels (libos/waitset_urpc.h).
USER_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdlib -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-mcmodel=small \
	-fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
	-Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wundef \
	-Iinclude -I$(BUILD)/gen

LIBOS_A    := $(BUILD)/libos/libos.a
LIBOS_CRT0 := $(BUILD)/libos/crt0.o
LIBOS_USER_SRCS := libos/start.c libos/syscall.c libos/stdio.c \
	libos/heap.c libos/malloc.c libos/waitset.c libos/waitset_urpc.c \
	libos/waitset_sys.c libos/monclient.c libos/dispatch.c libos/trace.c \
	libos/thread.c libos/thread_sync.c libos/thread_stack.c libos/span.c \
	$(wildcard urpc/*.c) $(wildcard lib/*.c) $(IDL_SRCS)
LIBOS_USER_OBJS := $(patsubst %.c,$(BUILD)/user/%.o,$(LIBOS_USER_SRCS))

-include $(LIBOS_USER_OBJS:.o=.d)

# Any user-space C file (libos, urpc, apps) compiles through this rule.
$(BUILD)/user/%.o: %.c | $(IDL_HDRS)
	@mkdir -p $(@D)
	@echo "  CC[U]   $<"
	@$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(LIBOS_CRT0): libos/arch/x86_64/crt0.asm
	@mkdir -p $(@D)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -g -F dwarf -o $@ $<

LIBOS_DISPATCH_O := $(BUILD)/libos/dispatch_asm.o
$(LIBOS_DISPATCH_O): libos/arch/x86_64/dispatch.asm libos/arch/x86_64/sys_domain.inc
	@mkdir -p $(@D)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -g -F dwarf -Ilibos/arch/x86_64/ -o $@ $<

$(LIBOS_A): $(LIBOS_USER_OBJS) $(LIBOS_DISPATCH_O)
	@mkdir -p $(@D)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

.PHONY: libos
libos: $(LIBOS_A) $(LIBOS_CRT0)

# ---- Host tests of libos's pure parts ------------------------------------
HOST_TESTS += $(BUILD)/host/test_malloc $(BUILD)/host/test_waitset

$(BUILD)/host/test_malloc: tests/unit/test_malloc.c libos/heap.c \
		include/libos/heap.h tests/unit/test.h \
		$(BUILD)/freestanding/libos/heap.o
	$(host-link)

$(BUILD)/host/test_waitset: tests/unit/test_waitset.c libos/waitset.c \
		libos/waitset_urpc.c $(wildcard urpc/*.c) \
		include/libos/waitset.h include/libos/waitset_urpc.h \
		tests/unit/test.h $(BUILD)/freestanding/libos/waitset.o \
		$(BUILD)/freestanding/libos/waitset_urpc.o
	$(host-link)
