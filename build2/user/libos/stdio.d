build2/user/libos/stdio.o: libos/stdio.c include/lib/fmt.h \
 include/libos/libos.h include/lib/err.h include/lib/parse.h \
 include/lib/string.h include/libos/malloc.h include/libos/stdio.h \
 include/libos/sys.h include/sys/syscall.h
include/lib/fmt.h:
include/libos/libos.h:
include/lib/err.h:
include/lib/parse.h:
include/lib/string.h:
include/libos/malloc.h:
include/libos/stdio.h:
include/libos/sys.h:
include/sys/syscall.h:
