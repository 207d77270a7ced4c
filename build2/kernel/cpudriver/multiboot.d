build2/kernel/cpudriver/multiboot.o: cpudriver/multiboot.c \
 cpudriver/include/kernel/multiboot.h include/lib/err.h \
 cpudriver/include/kernel/boot.h cpudriver/include/kernel/memrange.h \
 include/lib/fmt.h
cpudriver/include/kernel/multiboot.h:
include/lib/err.h:
cpudriver/include/kernel/boot.h:
cpudriver/include/kernel/memrange.h:
include/lib/fmt.h:
