build2/user/apps/threads/threads.o: apps/threads/threads.c \
 include/libos/libos.h include/lib/err.h include/lib/parse.h \
 include/lib/string.h include/libos/malloc.h include/libos/stdio.h \
 include/libos/sys.h include/sys/syscall.h include/libos/thread.h \
 include/libos/waitset_urpc.h include/libos/waitset.h include/urpc/urpc.h
include/libos/libos.h:
include/lib/err.h:
include/lib/parse.h:
include/lib/string.h:
include/libos/malloc.h:
include/libos/stdio.h:
include/libos/sys.h:
include/sys/syscall.h:
include/libos/thread.h:
include/libos/waitset_urpc.h:
include/libos/waitset.h:
include/urpc/urpc.h:
