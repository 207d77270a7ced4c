build2/user/apps/spin/spin.o: apps/spin/spin.c include/libos/libos.h \
 include/lib/err.h include/lib/parse.h include/lib/string.h \
 include/libos/malloc.h include/libos/stdio.h include/libos/sys.h \
 include/sys/syscall.h
include/libos/libos.h:
include/lib/err.h:
include/lib/parse.h:
include/lib/string.h:
include/libos/malloc.h:
include/libos/stdio.h:
include/libos/sys.h:
include/sys/syscall.h:
