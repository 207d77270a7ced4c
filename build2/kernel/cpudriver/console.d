build2/kernel/cpudriver/console.o: cpudriver/console.c \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/cpu.h \
 cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/arch/x86_64/include/arch/trap.h \
 cpudriver/include/kernel/sched.h include/sys/limits.h \
 cpudriver/arch/x86_64/include/arch/uart.h \
 cpudriver/arch/x86_64/include/arch/x86.h include/lib/fmt.h
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/arch/x86_64/include/arch/uart.h:
cpudriver/arch/x86_64/include/arch/x86.h:
include/lib/fmt.h:
