build2/user/libos/waitset_urpc.o: libos/waitset_urpc.c \
 include/libos/waitset_urpc.h include/libos/waitset.h include/lib/err.h \
 include/urpc/urpc.h
include/libos/waitset_urpc.h:
include/libos/waitset.h:
include/lib/err.h:
include/urpc/urpc.h:
