build2/user/apps/pingpong/client.o: apps/pingpong/client.c \
 include/libos/libos.h include/lib/err.h include/lib/parse.h \
 include/lib/string.h include/libos/malloc.h include/libos/stdio.h \
 include/libos/sys.h include/sys/syscall.h include/libos/monclient.h \
 include/monitor/proto.h build2/gen/if/monitor.h include/urpc/urpc.h \
 include/sys/limits.h include/sys/monitor.h apps/pingpong/pingpong.h \
 build2/gen/if/pingpong.h
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
apps/pingpong/pingpong.h:
build2/gen/if/pingpong.h:
