build2/kernel/cpudriver/arch/x86_64/trampoline.o : \
  cpudriver/arch/x86_64/trampoline.asm

