build2/user/libos/thread.o: libos/thread.c include/libos/libos.h \
 include/lib/err.h include/lib/parse.h include/lib/string.h \
 include/libos/malloc.h include/libos/stdio.h include/libos/sys.h \
 include/sys/syscall.h include/libos/thread.h include/sys/limits.h \
 libos/thread_impl.h include/sys/domain.h
include/libos/libos.h:
include/lib/err.h:
include/lib/parse.h:
include/lib/string.h:
include/libos/malloc.h:
include/libos/stdio.h:
include/libos/sys.h:
include/sys/syscall.h:
include/libos/thread.h:
include/sys/limits.h:
libos/thread_impl.h:
include/sys/domain.h:
