build2/kernel/cpudriver/arch/x86_64/trap.o: cpudriver/arch/x86_64/trap.c \
 cpudriver/arch/x86_64/include/arch/trap.h \
 cpudriver/arch/x86_64/include/arch/x86.h \
 cpudriver/include/kernel/entry.h cpudriver/include/kernel/cpu.h \
 cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/sched.h \
 include/sys/limits.h cpudriver/include/kernel/event.h \
 cpudriver/include/kernel/domain.h include/lib/err.h include/sys/domain.h \
 cpudriver/include/kernel/kipc.h cpudriver/include/kernel/span.h \
 cpudriver/include/kernel/fpu.h cpudriver/include/kernel/panic.h \
 cpudriver/include/kernel/trace.h include/sys/trace.h
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/arch/x86_64/include/arch/x86.h:
cpudriver/include/kernel/entry.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/event.h:
cpudriver/include/kernel/domain.h:
include/lib/err.h:
include/sys/domain.h:
cpudriver/include/kernel/kipc.h:
cpudriver/include/kernel/span.h:
cpudriver/include/kernel/fpu.h:
cpudriver/include/kernel/panic.h:
cpudriver/include/kernel/trace.h:
include/sys/trace.h:
