build2/kernel/urpc/notify.o: urpc/notify.c urpc/internal.h \
 include/urpc/urpc.h include/lib/err.h
urpc/internal.h:
include/urpc/urpc.h:
include/lib/err.h:
