build2/kernel/cpudriver/panic.o: cpudriver/panic.c \
 cpudriver/include/kernel/panic.h cpudriver/include/kernel/console.h \
 cpudriver/include/kernel/cpu.h cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/arch/x86_64/include/arch/trap.h \
 cpudriver/include/kernel/sched.h include/sys/limits.h \
 cpudriver/include/kernel/boot.h cpudriver/include/kernel/memrange.h \
 include/lib/err.h cpudriver/include/kernel/corestatus.h \
 cpudriver/include/kernel/platform.h \
 cpudriver/arch/x86_64/include/arch/x86.h include/lib/fmt.h
cpudriver/include/kernel/panic.h:
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/boot.h:
cpudriver/include/kernel/memrange.h:
include/lib/err.h:
cpudriver/include/kernel/corestatus.h:
cpudriver/include/kernel/platform.h:
cpudriver/arch/x86_64/include/arch/x86.h:
include/lib/fmt.h:
