# The CPU driver: one image, run by every core.
#
# build/kernel.elf  ELF64 with symbols (for GDB and the tests' symbol checks)
# build/kernel.bin  flat Multiboot v1 image (a.out kludge) for -kernel and GRUB

KERNEL_ELF := $(BUILD)/kernel.elf
KERNEL_BIN := $(BUILD)/kernel.bin

KERNEL_C_SRCS := \
	cpudriver/main.c cpudriver/console.c cpudriver/event.c cpudriver/panic.c \
	cpudriver/cmdline.c cpudriver/bootopts.c cpudriver/multiboot.c \
	cpudriver/memrange.c cpudriver/pmm.c cpudriver/selftest.c \
	cpudriver/machine.c cpudriver/corepool.c cpudriver/corestatus.c cpudriver/fence.c \
	cpudriver/smp.c cpudriver/bootgate.c cpudriver/ap.c cpudriver/tick.c cpudriver/smptest.c \
	cpudriver/arch/x86_64/lapic.c cpudriver/arch/x86_64/apstart.c \
	cpudriver/domain.c cpudriver/sched.c cpudriver/syscall.c cpudriver/uaccess.c \
	cpudriver/services.c cpudriver/monsyscall.c cpudriver/monlinks.c cpudriver/kipc.c cpudriver/upcall.c cpudriver/kstack.c cpudriver/chanreg.c cpudriver/chanwake.c cpudriver/chantable.c cpudriver/frames.c cpudriver/pooltable.c cpudriver/poolreuse.c \
	cpudriver/trace.c cpudriver/span.c cpudriver/coninput.c cpudriver/arch/x86_64/ioapic.c \
	$(wildcard lib/*.c) $(wildcard urpc/*.c) \
	cpudriver/arch/x86_64/uart.c cpudriver/arch/x86_64/exit.c \
	cpudriver/arch/x86_64/gdt.c cpudriver/arch/x86_64/trap.c \
	cpudriver/arch/x86_64/cpu.c cpudriver/arch/x86_64/paging.c \
	cpudriver/arch/x86_64/fpu.c \
	$(wildcard topology/*.c)
KERNEL_ASM_SRCS := cpudriver/arch/x86_64/boot.asm cpudriver/arch/x86_64/traps.asm \
	cpudriver/arch/x86_64/trampoline.asm cpudriver/arch/x86_64/syscall.asm

KERNEL_OBJS := $(patsubst %.c,$(BUILD)/kernel/%.o,$(KERNEL_C_SRCS)) \
	$(patsubst %.asm,$(BUILD)/kernel/%.o,$(KERNEL_ASM_SRCS))
KERNEL_LDS := cpudriver/arch/x86_64/linker.ld

-include $(KERNEL_OBJS:.o=.d)

.PHONY: kernel
kernel: $(KERNEL_BIN)

$(BUILD)/kernel/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/kernel/%.o: %.asm
	@mkdir -p $(@D)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -g -F dwarf -Icpudriver/arch/x86_64/ -MD $(@:.o=.d) -o $@ $<

$(KERNEL_ELF): $(KERNEL_OBJS) $(KERNEL_LDS)
	$(CC) -nostdlib -static -no-pie -Wl,-T,$(KERNEL_LDS) -Wl,-z,max-page-size=0x1000 \
		-Wl,--no-warn-rwx-segments -Wl,--build-id=none -Wl,-z,noexecstack -o $@ $(KERNEL_OBJS) -lgcc

$(KERNEL_BIN): $(KERNEL_ELF)
	objcopy -O binary $< $@

# GRUB rescue ISO: GRUB loads the same flat image with its multiboot command.
$(BUILD)/multikernel.iso: $(KERNEL_BIN) tools/grub.cfg $(BOOT_MODULES)
	@rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	cp $(KERNEL_BIN) $(BUILD)/iso/boot/kernel.bin
	cp tools/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BUILD)/iso 2>$(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

# Host unit tests of the CPU driver's pure logic.
CPUDRIVER_HOST_CFLAGS := -Icpudriver/include
HOST_TESTS += $(BUILD)/host/test_memrange $(BUILD)/host/test_pmm \
	$(BUILD)/host/test_cmdline $(BUILD)/host/test_bootopts $(BUILD)/host/test_multiboot \
	$(BUILD)/host/test_corepool $(BUILD)/host/test_chantable

$(BUILD)/host/test_memrange: tests/unit/test_memrange.c cpudriver/memrange.c
	$(host-link) $(CPUDRIVER_HOST_CFLAGS)
$(BUILD)/host/test_pmm: tests/unit/test_pmm.c cpudriver/pmm.c
	$(host-link) $(CPUDRIVER_HOST_CFLAGS)
$(BUILD)/host/test_cmdline: tests/unit/test_cmdline.c cpudriver/cmdline.c lib/parse.c
	$(host-link) $(CPUDRIVER_HOST_CFLAGS)
$(BUILD)/host/test_bootopts: tests/unit/test_bootopts.c cpudriver/bootopts.c cpudriver/cmdline.c \
		lib/parse.c lib/fmt.c
	$(host-link) $(CPUDRIVER_HOST_CFLAGS)
$(BUILD)/host/test_multiboot: tests/unit/test_multiboot.c cpudriver/multiboot.c \
		cpudriver/memrange.c lib/fmt.c
	$(host-link) $(CPUDRIVER_HOST_CFLAGS)
$(BUILD)/host/test_chantable: tests/unit/test_chantable.c cpudriver/chantable.c
	$(host-link) $(CPUDRIVER_HOST_CFLAGS) -pthread
$(BUILD)/host/test_corepool: tests/unit/test_corepool.c cpudriver/corepool.c \
		cpudriver/memrange.c topology/topo.c topology/cpuid.c lib/fmt.c
	$(host-link) $(CPUDRIVER_HOST_CFLAGS)

# Boot time to "all cores up" for several core counts (a benchmark, no asserts).
BOOT_BENCH_CORES ?= 1,2,4,8,16
.PHONY: bench-boot
bench-boot: deps kernel
	$(PYTHON) tools/bench-boot.py --cores $(BOOT_BENCH_CORES) --mem $(MEM)

# Boot time, broadcast and ping-pong against the core count, up to 255.
# SCALE_ARGS=--boot-only: just the boot column (all cores up, kernel time,
# time from QEMU's start), minutes instead of hours.
SCALE_CORES ?= 4,16,32,64,128,255
SCALE_ARGS ?=
.PHONY: bench-scale
bench-scale: deps-bench kernel
	$(PYTHON) tools/bench-scale.py --cores $(SCALE_CORES) --mem 2G $(SCALE_ARGS)
