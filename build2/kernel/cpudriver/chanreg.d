build2/kernel/cpudriver/chanreg.o: cpudriver/chanreg.c \
 cpudriver/include/kernel/chanreg.h include/lib/err.h \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/corestatus.h \
 cpudriver/include/kernel/cpu.h cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/arch/x86_64/include/arch/trap.h \
 cpudriver/include/kernel/sched.h include/sys/limits.h \
 cpudriver/include/kernel/memlayout.h cpudriver/include/kernel/pmm.h \
 include/lib/string.h
cpudriver/include/kernel/chanreg.h:
include/lib/err.h:
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/corestatus.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/memlayout.h:
cpudriver/include/kernel/pmm.h:
include/lib/string.h:
