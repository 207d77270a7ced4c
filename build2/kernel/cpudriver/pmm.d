build2/kernel/cpudriver/pmm.o: cpudriver/pmm.c \
 cpudriver/include/kernel/pmm.h include/lib/err.h
cpudriver/include/kernel/pmm.h:
include/lib/err.h:
