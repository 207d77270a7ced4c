build2/user/libos/syscall.o: libos/syscall.c include/libos/sys.h \
 include/lib/err.h include/sys/syscall.h libos/arch/x86_64/syscall_asm.h
include/libos/sys.h:
include/lib/err.h:
include/sys/syscall.h:
libos/arch/x86_64/syscall_asm.h:
