build2/freestanding/build2/gen/if/echo.o: build2/gen/if/echo.c \
 build2/gen/if/echo.h include/lib/err.h include/urpc/urpc.h \
 include/lib/fmt.h
build2/gen/if/echo.h:
include/lib/err.h:
include/urpc/urpc.h:
include/lib/fmt.h:
