build2/kernel/cpudriver/tick.o: cpudriver/tick.c \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/corestatus.h \
 cpudriver/include/kernel/cpu.h cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/arch/x86_64/include/arch/trap.h \
 cpudriver/include/kernel/sched.h include/sys/limits.h \
 cpudriver/include/kernel/tick.h \
 cpudriver/arch/x86_64/include/arch/lapic.h \
 cpudriver/arch/x86_64/include/arch/x86.h
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/corestatus.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/tick.h:
cpudriver/arch/x86_64/include/arch/lapic.h:
cpudriver/arch/x86_64/include/arch/x86.h:
