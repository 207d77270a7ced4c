build2/kernel/cpudriver/arch/x86_64/lapic.o: \
 cpudriver/arch/x86_64/lapic.c cpudriver/arch/x86_64/include/arch/lapic.h \
 cpudriver/arch/x86_64/include/arch/x86.h \
 cpudriver/include/kernel/memlayout.h
cpudriver/arch/x86_64/include/arch/lapic.h:
cpudriver/arch/x86_64/include/arch/x86.h:
cpudriver/include/kernel/memlayout.h:
