build2/kernel/cpudriver/ap.o: cpudriver/ap.c \
 cpudriver/include/kernel/entry.h \
 cpudriver/arch/x86_64/include/arch/trap.h cpudriver/include/kernel/cpu.h \
 cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/sched.h \
 include/sys/limits.h cpudriver/include/kernel/fpu.h include/lib/err.h \
 cpudriver/include/kernel/kstack.h cpudriver/include/kernel/panic.h \
 cpudriver/include/kernel/pmm.h cpudriver/include/kernel/services.h \
 cpudriver/include/kernel/boot.h cpudriver/include/kernel/memrange.h \
 cpudriver/include/kernel/smp.h cpudriver/include/kernel/smptest.h \
 cpudriver/include/kernel/tick.h cpudriver/include/kernel/trace.h \
 include/sys/trace.h cpudriver/arch/x86_64/include/arch/lapic.h \
 cpudriver/arch/x86_64/include/arch/paging.h \
 cpudriver/arch/x86_64/include/arch/x86.h
cpudriver/include/kernel/entry.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/fpu.h:
include/lib/err.h:
cpudriver/include/kernel/kstack.h:
cpudriver/include/kernel/panic.h:
cpudriver/include/kernel/pmm.h:
cpudriver/include/kernel/services.h:
cpudriver/include/kernel/boot.h:
cpudriver/include/kernel/memrange.h:
cpudriver/include/kernel/smp.h:
cpudriver/include/kernel/smptest.h:
cpudriver/include/kernel/tick.h:
cpudriver/include/kernel/trace.h:
include/sys/trace.h:
cpudriver/arch/x86_64/include/arch/lapic.h:
cpudriver/arch/x86_64/include/arch/paging.h:
cpudriver/arch/x86_64/include/arch/x86.h:
