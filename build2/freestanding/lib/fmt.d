build2/freestanding/lib/fmt.o: lib/fmt.c include/lib/fmt.h
include/lib/fmt.h:
