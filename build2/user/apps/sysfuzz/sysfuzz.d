build2/user/apps/sysfuzz/sysfuzz.o: apps/sysfuzz/sysfuzz.c \
 include/libos/libos.h include/lib/err.h include/lib/parse.h \
 include/lib/string.h include/libos/malloc.h include/libos/stdio.h \
 include/libos/sys.h include/sys/syscall.h include/sys/domain.h \
 include/sys/limits.h include/sys/monitor.h
include/libos/libos.h:
include/lib/err.h:
include/lib/parse.h:
include/lib/string.h:
include/libos/malloc.h:
include/libos/stdio.h:
include/libos/sys.h:
include/sys/syscall.h:
include/sys/domain.h:
include/sys/limits.h:
include/sys/monitor.h:
