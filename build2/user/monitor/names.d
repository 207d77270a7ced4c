build2/user/monitor/names.o: monitor/names.c include/monitor/names.h \
 include/lib/err.h include/monitor/proto.h build2/gen/if/monitor.h \
 include/urpc/urpc.h include/sys/limits.h include/sys/monitor.h \
 include/sys/syscall.h
include/monitor/names.h:
include/lib/err.h:
include/monitor/proto.h:
build2/gen/if/monitor.h:
include/urpc/urpc.h:
include/sys/limits.h:
include/sys/monitor.h:
include/sys/syscall.h:
