build2/user/lib/fmt.o: lib/fmt.c include/lib/fmt.h
include/lib/fmt.h:
