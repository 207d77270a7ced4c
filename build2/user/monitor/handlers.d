build2/user/monitor/handlers.o: monitor/handlers.c include/libos/libos.h \
 include/lib/err.h include/lib/parse.h include/lib/string.h \
 include/libos/malloc.h include/libos/stdio.h include/libos/sys.h \
 include/sys/syscall.h include/libos/trace.h include/sys/trace.h \
 monitor/monitor.h include/monitor/proto.h build2/gen/if/monitor.h \
 include/urpc/urpc.h include/sys/limits.h include/sys/monitor.h \
 monitor/monsys.h
include/libos/libos.h:
include/lib/err.h:
include/lib/parse.h:
include/lib/string.h:
include/libos/malloc.h:
include/libos/stdio.h:
include/libos/sys.h:
include/sys/syscall.h:
include/libos/trace.h:
include/sys/trace.h:
monitor/monitor.h:
include/monitor/proto.h:
build2/gen/if/monitor.h:
include/urpc/urpc.h:
include/sys/limits.h:
include/sys/monitor.h:
monitor/monsys.h:
