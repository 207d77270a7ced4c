build2/kernel/cpudriver/arch/x86_64/exit.o: cpudriver/arch/x86_64/exit.c \
 cpudriver/include/kernel/console.h cpudriver/include/kernel/platform.h \
 cpudriver/arch/x86_64/include/arch/x86.h
cpudriver/include/kernel/console.h:
cpudriver/include/kernel/platform.h:
cpudriver/arch/x86_64/include/arch/x86.h:
