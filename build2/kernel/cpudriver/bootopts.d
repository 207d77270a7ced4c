build2/kernel/cpudriver/bootopts.o: cpudriver/bootopts.c \
 cpudriver/include/kernel/boot.h cpudriver/include/kernel/memrange.h \
 include/lib/err.h cpudriver/include/kernel/cmdline.h
cpudriver/include/kernel/boot.h:
cpudriver/include/kernel/memrange.h:
include/lib/err.h:
cpudriver/include/kernel/cmdline.h:
