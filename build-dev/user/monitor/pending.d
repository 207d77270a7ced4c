build-dev/user/monitor/pending.o: monitor/pending.c include/lib/string.h \
 monitor/monitor.h include/lib/err.h include/monitor/proto.h \
 include/sys/limits.h include/sys/monitor.h include/sys/syscall.h \
 include/urpc/urpc.h
include/lib/string.h:
monitor/monitor.h:
include/lib/err.h:
include/monitor/proto.h:
include/sys/limits.h:
include/sys/monitor.h:
include/sys/syscall.h:
include/urpc/urpc.h:
