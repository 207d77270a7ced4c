build2/user/libos/trace.o: libos/trace.c include/libos/libos.h \
 include/lib/err.h include/lib/parse.h include/lib/string.h \
 include/libos/malloc.h include/libos/stdio.h include/libos/sys.h \
 include/sys/syscall.h include/libos/trace.h include/sys/trace.h \
 include/urpc/urpc.h
include/libos/libos.h:
include/lib/err.h:
include/lib/parse.h:
include/lib/string.h:
include/libos/malloc.h:
include/libos/stdio.h:
include/libos/sys.h:
include/sys/syscall.h:
include/libos/trace.h:
include/sys/trace.h:
include/urpc/urpc.h:
