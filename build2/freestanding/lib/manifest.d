build2/freestanding/lib/manifest.o: lib/manifest.c include/lib/manifest.h \
 include/lib/err.h include/sys/limits.h include/lib/fmt.h
include/lib/manifest.h:
include/lib/err.h:
include/sys/limits.h:
include/lib/fmt.h:
