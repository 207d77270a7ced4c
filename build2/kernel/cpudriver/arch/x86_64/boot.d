build2/kernel/cpudriver/arch/x86_64/boot.o : \
  cpudriver/arch/x86_64/boot.asm

