build-dev/user/monitor/memory.o: monitor/memory.c monitor/monitor.h \
 include/lib/err.h include/monitor/proto.h include/sys/limits.h \
 include/sys/monitor.h include/sys/syscall.h include/urpc/urpc.h
monitor/monitor.h:
include/lib/err.h:
include/monitor/proto.h:
include/sys/limits.h:
include/sys/monitor.h:
include/sys/syscall.h:
include/urpc/urpc.h:
