build2/kernel/cpudriver/event.o: cpudriver/event.c \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/cpu.h \
 cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/arch/x86_64/include/arch/trap.h \
 cpudriver/include/kernel/sched.h include/sys/limits.h \
 cpudriver/include/kernel/event.h include/lib/fmt.h
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/event.h:
include/lib/fmt.h:
