build2/user/build2/gen/if/soak.o: build2/gen/if/soak.c \
 build2/gen/if/soak.h include/lib/err.h include/urpc/urpc.h \
 include/sys/limits.h include/lib/fmt.h
build2/gen/if/soak.h:
include/lib/err.h:
include/urpc/urpc.h:
include/sys/limits.h:
include/lib/fmt.h:
