build2/kernel/urpc/send.o: urpc/send.c urpc/internal.h \
 include/urpc/urpc.h include/lib/err.h
urpc/internal.h:
include/urpc/urpc.h:
include/lib/err.h:
