build2/user/libos/heap.o: libos/heap.c include/libos/heap.h \
 include/lib/err.h include/lib/string.h
include/libos/heap.h:
include/lib/err.h:
include/lib/string.h:
