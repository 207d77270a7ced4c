build2/user/monitor/span.o: monitor/span.c include/libos/libos.h \
 include/lib/err.h include/lib/parse.h include/lib/string.h \
 include/libos/malloc.h include/libos/stdio.h include/libos/sys.h \
 include/sys/syscall.h monitor/monitor.h include/monitor/proto.h \
 build2/gen/if/monitor.h include/urpc/urpc.h include/sys/limits.h \
 include/sys/monitor.h monitor/monsys.h
include/libos/libos.h:
include/lib/err.h:
include/lib/parse.h:
include/lib/string.h:
include/libos/malloc.h:
include/libos/stdio.h:
include/libos/sys.h:
include/sys/syscall.h:
monitor/monitor.h:
include/monitor/proto.h:
build2/gen/if/monitor.h:
include/urpc/urpc.h:
include/sys/limits.h:
include/sys/monitor.h:
monitor/monsys.h:
