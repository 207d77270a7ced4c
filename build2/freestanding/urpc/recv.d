build2/freestanding/urpc/recv.o: urpc/recv.c urpc/internal.h \
 include/urpc/urpc.h include/lib/err.h
urpc/internal.h:
include/urpc/urpc.h:
include/lib/err.h:
