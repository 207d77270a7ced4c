build2/freestanding/urpc/waitset.o: urpc/waitset.c urpc/internal.h \
 include/urpc/urpc.h include/lib/err.h
urpc/internal.h:
include/urpc/urpc.h:
include/lib/err.h:
