build2/freestanding/topology/cpuid.o: topology/cpuid.c \
 include/topology/cpuid.h include/lib/err.h
include/topology/cpuid.h:
include/lib/err.h:
