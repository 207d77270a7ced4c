build2/kernel/cpudriver/selftest.o: cpudriver/selftest.c \
 cpudriver/include/kernel/selftest.h cpudriver/include/kernel/console.h \
 cpudriver/include/kernel/cpu.h cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/arch/x86_64/include/arch/trap.h \
 cpudriver/include/kernel/sched.h include/sys/limits.h \
 cpudriver/include/kernel/kstack.h include/lib/err.h \
 cpudriver/include/kernel/memlayout.h cpudriver/include/kernel/platform.h \
 cpudriver/include/kernel/pmm.h cpudriver/include/kernel/boot.h \
 cpudriver/include/kernel/memrange.h \
 cpudriver/arch/x86_64/include/arch/paging.h \
 cpudriver/arch/x86_64/include/arch/x86.h include/lib/string.h
cpudriver/include/kernel/selftest.h:
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/kstack.h:
include/lib/err.h:
cpudriver/include/kernel/memlayout.h:
cpudriver/include/kernel/platform.h:
cpudriver/include/kernel/pmm.h:
cpudriver/include/kernel/boot.h:
cpudriver/include/kernel/memrange.h:
cpudriver/arch/x86_64/include/arch/paging.h:
cpudriver/arch/x86_64/include/arch/x86.h:
include/lib/string.h:
