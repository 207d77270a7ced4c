build2/freestanding/urpc/area.o: urpc/area.c urpc/internal.h \
 include/urpc/urpc.h include/lib/err.h
urpc/internal.h:
include/urpc/urpc.h:
include/lib/err.h:
