build2/user/libos/waitset.o: libos/waitset.c include/libos/waitset.h \
 include/lib/err.h include/lib/string.h include/urpc/urpc.h
include/libos/waitset.h:
include/lib/err.h:
include/lib/string.h:
include/urpc/urpc.h:
