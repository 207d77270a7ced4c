build2/kernel/cpudriver/upcall.o: cpudriver/upcall.c \
 cpudriver/include/kernel/entry.h \
 cpudriver/arch/x86_64/include/arch/trap.h cpudriver/include/kernel/cpu.h \
 cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/sched.h \
 include/sys/limits.h cpudriver/include/kernel/domain.h include/lib/err.h \
 include/sys/domain.h cpudriver/include/kernel/kipc.h \
 cpudriver/include/kernel/span.h cpudriver/include/kernel/trace.h \
 include/sys/trace.h cpudriver/include/kernel/uaccess.h
cpudriver/include/kernel/entry.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/domain.h:
include/lib/err.h:
include/sys/domain.h:
cpudriver/include/kernel/kipc.h:
cpudriver/include/kernel/span.h:
cpudriver/include/kernel/trace.h:
include/sys/trace.h:
cpudriver/include/kernel/uaccess.h:
