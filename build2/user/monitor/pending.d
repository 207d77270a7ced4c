build2/user/monitor/pending.o: monitor/pending.c include/lib/string.h \
 monitor/monitor.h include/lib/err.h include/monitor/proto.h \
 build2/gen/if/monitor.h include/urpc/urpc.h include/sys/limits.h \
 include/sys/monitor.h include/sys/syscall.h
include/lib/string.h:
monitor/monitor.h:
include/lib/err.h:
include/monitor/proto.h:
build2/gen/if/monitor.h:
include/urpc/urpc.h:
include/sys/limits.h:
include/sys/monitor.h:
include/sys/syscall.h:
