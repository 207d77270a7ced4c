build2/kernel/cpudriver/cmdline.o: cpudriver/cmdline.c \
 cpudriver/include/kernel/cmdline.h include/lib/parse.h include/lib/err.h
cpudriver/include/kernel/cmdline.h:
include/lib/parse.h:
include/lib/err.h:
