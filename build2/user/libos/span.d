build2/user/libos/span.o: libos/span.c include/libos/libos.h \
 include/lib/err.h include/lib/parse.h include/lib/string.h \
 include/libos/malloc.h include/libos/stdio.h include/libos/sys.h \
 include/sys/syscall.h include/libos/monclient.h include/monitor/proto.h \
 build2/gen/if/monitor.h include/urpc/urpc.h include/sys/limits.h \
 include/sys/monitor.h include/libos/span.h include/libos/thread.h \
 libos/thread_impl.h include/sys/domain.h libos/dispatch.h
include/libos/libos.h:
include/lib/err.h:
include/lib/parse.h:
include/lib/string.h:
include/libos/malloc.h:
include/libos/stdio.h:
include/libos/sys.h:
include/sys/syscall.h:
include/libos/monclient.h:
include/monitor/proto.h:
build2/gen/if/monitor.h:
include/urpc/urpc.h:
include/sys/limits.h:
include/sys/monitor.h:
include/libos/span.h:
include/libos/thread.h:
libos/thread_impl.h:
include/sys/domain.h:
libos/dispatch.h:
