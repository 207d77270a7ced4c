build2/kernel/cpudriver/memrange.o: cpudriver/memrange.c \
 cpudriver/include/kernel/memrange.h include/lib/err.h
cpudriver/include/kernel/memrange.h:
include/lib/err.h:
