build2/freestanding/lib/parse.o: lib/parse.c include/lib/parse.h \
 include/lib/err.h
include/lib/parse.h:
include/lib/err.h:
