build2/user/apps/fpstress/fpstress.o: apps/fpstress/fpstress.c \
 include/libos/libos.h include/lib/err.h include/lib/parse.h \
 include/lib/string.h include/libos/malloc.h include/libos/stdio.h \
 include/libos/sys.h include/sys/syscall.h include/libos/thread.h
include/libos/libos.h:
include/lib/err.h:
include/lib/parse.h:
include/lib/string.h:
include/libos/malloc.h:
include/libos/stdio.h:
include/libos/sys.h:
include/sys/syscall.h:
include/libos/thread.h:
