build2/user/apps/soak/main.o: apps/soak/main.c include/libos/libos.h \
 include/lib/err.h include/lib/parse.h include/lib/string.h \
 include/libos/malloc.h include/libos/stdio.h include/libos/sys.h \
 include/sys/syscall.h apps/soak/soak.h build2/gen/if/soak.h \
 include/urpc/urpc.h include/sys/limits.h
include/libos/libos.h:
include/lib/err.h:
include/lib/parse.h:
include/lib/string.h:
include/libos/malloc.h:
include/libos/stdio.h:
include/libos/sys.h:
include/sys/syscall.h:
apps/soak/soak.h:
build2/gen/if/soak.h:
include/urpc/urpc.h:
include/sys/limits.h:
