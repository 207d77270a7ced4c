build2/freestanding/build2/gen/if/pingpong.o: build2/gen/if/pingpong.c \
 build2/gen/if/pingpong.h include/lib/err.h include/urpc/urpc.h \
 include/lib/fmt.h
build2/gen/if/pingpong.h:
include/lib/err.h:
include/urpc/urpc.h:
include/lib/fmt.h:
