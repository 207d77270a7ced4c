build2/user/libos/malloc.o: libos/malloc.c include/libos/heap.h \
 include/lib/err.h include/libos/libos.h include/lib/parse.h \
 include/lib/string.h include/libos/malloc.h include/libos/stdio.h \
 include/libos/sys.h include/sys/syscall.h include/libos/thread.h \
 include/sys/domain.h include/sys/limits.h
include/libos/heap.h:
include/lib/err.h:
include/libos/libos.h:
include/lib/parse.h:
include/lib/string.h:
include/libos/malloc.h:
include/libos/stdio.h:
include/libos/sys.h:
include/sys/syscall.h:
include/libos/thread.h:
include/sys/domain.h:
include/sys/limits.h:
