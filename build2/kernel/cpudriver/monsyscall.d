build2/kernel/cpudriver/monsyscall.o: cpudriver/monsyscall.c \
 cpudriver/include/kernel/chanreg.h include/lib/err.h \
 cpudriver/include/kernel/chanwake.h cpudriver/include/kernel/entry.h \
 cpudriver/arch/x86_64/include/arch/trap.h cpudriver/include/kernel/cpu.h \
 cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/sched.h \
 include/sys/limits.h cpudriver/include/kernel/corestatus.h \
 cpudriver/include/kernel/domain.h include/sys/domain.h \
 cpudriver/include/kernel/kipc.h cpudriver/include/kernel/span.h \
 cpudriver/include/kernel/frames.h cpudriver/include/kernel/machine.h \
 include/topology/topo.h include/topology/acpi.h include/topology/cpuid.h \
 cpudriver/include/kernel/memlayout.h cpudriver/include/kernel/monlinks.h \
 cpudriver/include/kernel/memrange.h include/sys/monitor.h \
 include/sys/syscall.h cpudriver/include/kernel/pmm.h \
 cpudriver/include/kernel/services.h cpudriver/include/kernel/boot.h \
 cpudriver/include/kernel/smp.h cpudriver/include/kernel/uaccess.h \
 cpudriver/arch/x86_64/include/arch/lapic.h \
 cpudriver/arch/x86_64/include/arch/paging.h include/lib/string.h \
 include/sys/rights.h include/urpc/urpc.h
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
cpudriver/include/kernel/corestatus.h:
cpudriver/include/kernel/domain.h:
include/sys/domain.h:
cpudriver/include/kernel/kipc.h:
cpudriver/include/kernel/span.h:
cpudriver/include/kernel/frames.h:
cpudriver/include/kernel/machine.h:
include/topology/topo.h:
include/topology/acpi.h:
include/topology/cpuid.h:
cpudriver/include/kernel/memlayout.h:
cpudriver/include/kernel/monlinks.h:
cpudriver/include/kernel/memrange.h:
include/sys/monitor.h:
include/sys/syscall.h:
cpudriver/include/kernel/pmm.h:
cpudriver/include/kernel/services.h:
cpudriver/include/kernel/boot.h:
cpudriver/include/kernel/smp.h:
cpudriver/include/kernel/uaccess.h:
cpudriver/arch/x86_64/include/arch/lapic.h:
cpudriver/arch/x86_64/include/arch/paging.h:
include/lib/string.h:
include/sys/rights.h:
include/urpc/urpc.h:
