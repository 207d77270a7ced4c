build2/freestanding/build2/gen/if/monitor.o: build2/gen/if/monitor.c \
 build2/gen/if/monitor.h include/lib/err.h include/urpc/urpc.h \
 include/sys/limits.h include/sys/monitor.h include/sys/syscall.h \
 include/lib/fmt.h
build2/gen/if/monitor.h:
include/lib/err.h:
include/urpc/urpc.h:
include/sys/limits.h:
include/sys/monitor.h:
include/sys/syscall.h:
include/lib/fmt.h:
