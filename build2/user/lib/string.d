build2/user/lib/string.o: lib/string.c include/lib/string.h
include/lib/string.h:
