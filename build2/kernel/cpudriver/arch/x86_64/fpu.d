build2/kernel/cpudriver/arch/x86_64/fpu.o: cpudriver/arch/x86_64/fpu.c \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/cpu.h \
 cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/arch/x86_64/include/arch/trap.h \
 cpudriver/include/kernel/sched.h include/sys/limits.h \
 cpudriver/include/kernel/fpu.h include/lib/err.h \
 cpudriver/include/kernel/memlayout.h cpudriver/include/kernel/panic.h \
 cpudriver/include/kernel/pmm.h cpudriver/arch/x86_64/include/arch/x86.h \
 include/lib/string.h
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/fpu.h:
include/lib/err.h:
cpudriver/include/kernel/memlayout.h:
cpudriver/include/kernel/panic.h:
cpudriver/include/kernel/pmm.h:
cpudriver/arch/x86_64/include/arch/x86.h:
include/lib/string.h:
