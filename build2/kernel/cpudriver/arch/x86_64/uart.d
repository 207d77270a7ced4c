build2/kernel/cpudriver/arch/x86_64/uart.o: cpudriver/arch/x86_64/uart.c \
 cpudriver/arch/x86_64/include/arch/uart.h \
 cpudriver/arch/x86_64/include/arch/x86.h
cpudriver/arch/x86_64/include/arch/uart.h:
cpudriver/arch/x86_64/include/arch/x86.h:
