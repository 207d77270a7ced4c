build2/user/lib/elf.o: lib/elf.c include/lib/elf.h include/lib/err.h \
 include/lib/fmt.h
include/lib/elf.h:
include/lib/err.h:
include/lib/fmt.h:
