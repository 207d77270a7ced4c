build2/user/monitor/memory.o: monitor/memory.c monitor/monitor.h \
 include/lib/err.h include/monitor/proto.h build2/gen/if/monitor.h \
 include/urpc/urpc.h include/sys/limits.h include/sys/monitor.h \
 include/sys/syscall.h
monitor/monitor.h:
include/lib/err.h:
include/monitor/proto.h:
build2/gen/if/monitor.h:
include/urpc/urpc.h:
include/sys/limits.h:
include/sys/monitor.h:
include/sys/syscall.h:
