build2/kernel/cpudriver/domain.o: cpudriver/domain.c \
 cpudriver/include/kernel/chanwake.h include/lib/err.h \
 cpudriver/include/kernel/entry.h \
 cpudriver/arch/x86_64/include/arch/trap.h cpudriver/include/kernel/cpu.h \
 cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/sched.h \
 include/sys/limits.h cpudriver/include/kernel/event.h \
 cpudriver/include/kernel/domain.h include/sys/domain.h \
 cpudriver/include/kernel/kipc.h cpudriver/include/kernel/span.h \
 cpudriver/include/kernel/frames.h cpudriver/include/kernel/fpu.h \
 cpudriver/include/kernel/kstack.h cpudriver/include/kernel/memlayout.h \
 cpudriver/include/kernel/pmm.h cpudriver/include/kernel/smp.h \
 cpudriver/include/kernel/memrange.h cpudriver/include/kernel/trace.h \
 include/sys/trace.h cpudriver/arch/x86_64/include/arch/paging.h \
 include/lib/elf.h include/lib/fmt.h include/lib/parse.h \
 include/lib/string.h include/sys/monitor.h include/sys/syscall.h
cpudriver/include/kernel/chanwake.h:
include/lib/err.h:
cpudriver/include/kernel/entry.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/event.h:
cpudriver/include/kernel/domain.h:
include/sys/domain.h:
cpudriver/include/kernel/kipc.h:
cpudriver/include/kernel/span.h:
cpudriver/include/kernel/frames.h:
cpudriver/include/kernel/fpu.h:
cpudriver/include/kernel/kstack.h:
cpudriver/include/kernel/memlayout.h:
cpudriver/include/kernel/pmm.h:
cpudriver/include/kernel/smp.h:
cpudriver/include/kernel/memrange.h:
cpudriver/include/kernel/trace.h:
include/sys/trace.h:
cpudriver/arch/x86_64/include/arch/paging.h:
include/lib/elf.h:
include/lib/fmt.h:
include/lib/parse.h:
include/lib/string.h:
include/sys/monitor.h:
include/sys/syscall.h:
