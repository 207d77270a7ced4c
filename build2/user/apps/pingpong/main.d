build2/user/apps/pingpong/main.o: apps/pingpong/main.c \
 include/libos/libos.h include/lib/err.h include/lib/parse.h \
 include/lib/string.h include/libos/malloc.h include/libos/stdio.h \
 include/libos/sys.h include/sys/syscall.h apps/pingpong/pingpong.h \
 build2/gen/if/pingpong.h include/urpc/urpc.h
include/libos/libos.h:
include/lib/err.h:
include/lib/parse.h:
include/lib/string.h:
include/libos/malloc.h:
include/libos/stdio.h:
include/libos/sys.h:
include/sys/syscall.h:
apps/pingpong/pingpong.h:
build2/gen/if/pingpong.h:
include/urpc/urpc.h:
