build2/kernel/cpudriver/arch/x86_64/apstart.o: \
 cpudriver/arch/x86_64/apstart.c \
 cpudriver/arch/x86_64/include/arch/apstart.h include/lib/err.h \
 cpudriver/arch/x86_64/include/arch/lapic.h \
 cpudriver/arch/x86_64/include/arch/paging.h \
 cpudriver/arch/x86_64/include/arch/trampoline.h \
 cpudriver/arch/x86_64/include/arch/x86.h \
 cpudriver/include/kernel/memlayout.h cpudriver/include/kernel/pmm.h \
 include/lib/string.h
cpudriver/arch/x86_64/include/arch/apstart.h:
include/lib/err.h:
cpudriver/arch/x86_64/include/arch/lapic.h:
cpudriver/arch/x86_64/include/arch/paging.h:
cpudriver/arch/x86_64/include/arch/trampoline.h:
cpudriver/arch/x86_64/include/arch/x86.h:
cpudriver/include/kernel/memlayout.h:
cpudriver/include/kernel/pmm.h:
include/lib/string.h:
