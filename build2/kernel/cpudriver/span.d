build2/kernel/cpudriver/span.o: cpudriver/span.c \
 cpudriver/include/kernel/chanreg.h include/lib/err.h \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/cpu.h \
 cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/arch/x86_64/include/arch/trap.h \
 cpudriver/include/kernel/sched.h include/sys/limits.h \
 cpudriver/include/kernel/domain.h include/sys/domain.h \
 cpudriver/include/kernel/kipc.h cpudriver/include/kernel/span.h \
 cpudriver/include/kernel/frames.h cpudriver/include/kernel/panic.h \
 cpudriver/include/kernel/memlayout.h cpudriver/include/kernel/pmm.h \
 cpudriver/include/kernel/smp.h cpudriver/include/kernel/memrange.h \
 cpudriver/include/kernel/uaccess.h \
 cpudriver/arch/x86_64/include/arch/paging.h include/lib/string.h \
 include/sys/monitor.h include/sys/syscall.h include/sys/trace.h
cpudriver/include/kernel/chanreg.h:
include/lib/err.h:
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/domain.h:
include/sys/domain.h:
cpudriver/include/kernel/kipc.h:
cpudriver/include/kernel/span.h:
cpudriver/include/kernel/frames.h:
cpudriver/include/kernel/panic.h:
cpudriver/include/kernel/memlayout.h:
cpudriver/include/kernel/pmm.h:
cpudriver/include/kernel/smp.h:
cpudriver/include/kernel/memrange.h:
cpudriver/include/kernel/uaccess.h:
cpudriver/arch/x86_64/include/arch/paging.h:
include/lib/string.h:
include/sys/monitor.h:
include/sys/syscall.h:
include/sys/trace.h:
