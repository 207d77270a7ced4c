build2/kernel/cpudriver/arch/x86_64/paging.o: \
 cpudriver/arch/x86_64/paging.c \
 cpudriver/arch/x86_64/include/arch/paging.h include/lib/err.h \
 cpudriver/arch/x86_64/include/arch/x86.h \
 cpudriver/include/kernel/memlayout.h cpudriver/include/kernel/pmm.h \
 include/sys/domain.h include/sys/limits.h
cpudriver/arch/x86_64/include/arch/paging.h:
include/lib/err.h:
cpudriver/arch/x86_64/include/arch/x86.h:
cpudriver/include/kernel/memlayout.h:
cpudriver/include/kernel/pmm.h:
include/sys/domain.h:
include/sys/limits.h:
