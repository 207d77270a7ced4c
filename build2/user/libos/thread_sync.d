build2/user/libos/thread_sync.o: libos/thread_sync.c \
 include/libos/libos.h include/lib/err.h include/lib/parse.h \
 include/lib/string.h include/libos/malloc.h include/libos/stdio.h \
 include/libos/sys.h include/sys/syscall.h include/libos/thread.h \
 libos/thread_impl.h include/sys/domain.h include/sys/limits.h
include/libos/libos.h:
include/lib/err.h:
include/lib/parse.h:
include/lib/string.h:
include/libos/malloc.h:
include/libos/stdio.h:
include/libos/sys.h:
include/sys/syscall.h:
include/libos/thread.h:
libos/thread_impl.h:
include/sys/domain.h:
include/sys/limits.h:
