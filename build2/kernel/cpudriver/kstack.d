build2/kernel/cpudriver/kstack.o: cpudriver/kstack.c \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/cpu.h \
 cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/arch/x86_64/include/arch/trap.h \
 cpudriver/include/kernel/sched.h include/sys/limits.h \
 cpudriver/include/kernel/domain.h include/lib/err.h include/sys/domain.h \
 cpudriver/include/kernel/kipc.h cpudriver/include/kernel/span.h \
 cpudriver/include/kernel/kstack.h cpudriver/include/kernel/memlayout.h \
 cpudriver/include/kernel/panic.h cpudriver/include/kernel/pmm.h \
 cpudriver/arch/x86_64/include/arch/paging.h
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/domain.h:
include/lib/err.h:
include/sys/domain.h:
cpudriver/include/kernel/kipc.h:
cpudriver/include/kernel/span.h:
cpudriver/include/kernel/kstack.h:
cpudriver/include/kernel/memlayout.h:
cpudriver/include/kernel/panic.h:
cpudriver/include/kernel/pmm.h:
cpudriver/arch/x86_64/include/arch/paging.h:
