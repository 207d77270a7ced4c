build2/user/libos/waitset_sys.o: libos/waitset_sys.c include/libos/sys.h \
 include/lib/err.h include/sys/syscall.h include/libos/thread.h \
 include/libos/waitset.h include/libos/waitset_urpc.h include/urpc/urpc.h \
 libos/arch/x86_64/syscall_asm.h
include/libos/sys.h:
include/lib/err.h:
include/sys/syscall.h:
include/libos/thread.h:
include/libos/waitset.h:
include/libos/waitset_urpc.h:
include/urpc/urpc.h:
libos/arch/x86_64/syscall_asm.h:
