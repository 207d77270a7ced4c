build2/kernel/cpudriver/arch/x86_64/traps.o : \
  cpudriver/arch/x86_64/traps.asm

