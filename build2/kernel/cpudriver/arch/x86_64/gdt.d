build2/kernel/cpudriver/arch/x86_64/gdt.o: cpudriver/arch/x86_64/gdt.c \
 cpudriver/arch/x86_64/include/arch/gdt.h \
 cpudriver/arch/x86_64/include/arch/x86.h \
 cpudriver/arch/x86_64/include/arch/trap.h
cpudriver/arch/x86_64/include/arch/gdt.h:
cpudriver/arch/x86_64/include/arch/x86.h:
cpudriver/arch/x86_64/include/arch/trap.h:
