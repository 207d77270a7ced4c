build2/kernel/cpudriver/arch/x86_64/syscall.o : \
  cpudriver/arch/x86_64/syscall.asm

