build2/kernel/cpudriver/services.o: cpudriver/services.c \
 cpudriver/include/kernel/boot.h cpudriver/include/kernel/memrange.h \
 include/lib/err.h cpudriver/include/kernel/console.h \
 cpudriver/include/kernel/corestatus.h cpudriver/include/kernel/cpu.h \
 cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/arch/x86_64/include/arch/trap.h \
 cpudriver/include/kernel/sched.h include/sys/limits.h \
 cpudriver/include/kernel/domain.h include/sys/domain.h \
 cpudriver/include/kernel/kipc.h cpudriver/include/kernel/span.h \
 cpudriver/include/kernel/frames.h cpudriver/include/kernel/memlayout.h \
 cpudriver/include/kernel/platform.h cpudriver/include/kernel/pmm.h \
 cpudriver/include/kernel/services.h cpudriver/include/kernel/smp.h \
 cpudriver/include/kernel/monlinks.h include/sys/monitor.h \
 include/sys/syscall.h cpudriver/include/kernel/trace.h \
 include/sys/trace.h cpudriver/arch/x86_64/include/arch/paging.h \
 include/lib/fmt.h include/lib/string.h include/lib/manifest.h \
 include/lib/parse.h
cpudriver/include/kernel/boot.h:
cpudriver/include/kernel/memrange.h:
include/lib/err.h:
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/corestatus.h:
cpudriver/include/kernel/cpu.h:
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/arch/x86_64/include/arch/trap.h:
cpudriver/include/kernel/sched.h:
include/sys/limits.h:
cpudriver/include/kernel/domain.h:
include/sys/domain.h:
cpudriver/include/kernel/kipc.h:
cpudriver/include/kernel/span.h:
cpudriver/include/kernel/frames.h:
cpudriver/include/kernel/memlayout.h:
cpudriver/include/kernel/platform.h:
cpudriver/include/kernel/pmm.h:
cpudriver/include/kernel/services.h:
cpudriver/include/kernel/smp.h:
cpudriver/include/kernel/monlinks.h:
include/sys/monitor.h:
include/sys/syscall.h:
cpudriver/include/kernel/trace.h:
include/sys/trace.h:
cpudriver/arch/x86_64/include/arch/paging.h:
include/lib/fmt.h:
include/lib/string.h:
include/lib/manifest.h:
include/lib/parse.h:
