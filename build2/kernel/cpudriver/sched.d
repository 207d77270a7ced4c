build2/kernel/cpudriver/sched.o: cpudriver/sched.c \
 cpudriver/include/kernel/chanreg.h include/lib/err.h \
 cpudriver/include/kernel/chanwake.h cpudriver/include/kernel/entry.h \
 cpudriver/arch/x86_64/include/arch/trap.h cpudriver/include/kernel/cpu.h \
 cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/sched.h \
 include/sys/limits.h cpudriver/include/kernel/event.h \
 cpudriver/include/kernel/corestatus.h cpudriver/include/kernel/domain.h \
 include/sys/domain.h cpudriver/include/kernel/kipc.h \
 cpudriver/include/kernel/span.h cpudriver/include/kernel/fpu.h \
 cpudriver/include/kernel/panic.h cpudriver/include/kernel/tick.h \
 cpudriver/include/kernel/trace.h include/sys/trace.h \
 cpudriver/arch/x86_64/include/arch/lapic.h \
 cpudriver/arch/x86_64/include/arch/x86.h
cpudriver/include/kernel/chanreg.h:
include/lib/err.h:
cpudriver/include/kernel/chanwake.h:
cpudriver/include/kernel/entry.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/event.h:
cpudriver/include/kernel/corestatus.h:
cpudriver/include/kernel/domain.h:
include/sys/domain.h:
cpudriver/include/kernel/kipc.h:
cpudriver/include/kernel/span.h:
cpudriver/include/kernel/fpu.h:
cpudriver/include/kernel/panic.h:
cpudriver/include/kernel/tick.h:
cpudriver/include/kernel/trace.h:
include/sys/trace.h:
cpudriver/arch/x86_64/include/arch/lapic.h:
cpudriver/arch/x86_64/include/arch/x86.h:
