build-dev/user/monitor/proto.o: monitor/proto.c include/monitor/proto.h \
 include/lib/err.h include/sys/limits.h include/sys/monitor.h \
 include/sys/syscall.h include/lib/fmt.h
include/monitor/proto.h:
include/lib/err.h:
include/sys/limits.h:
include/sys/monitor.h:
include/sys/syscall.h:
include/lib/fmt.h:
