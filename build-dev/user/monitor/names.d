build-dev/user/monitor/names.o: monitor/names.c include/monitor/names.h \
 include/lib/err.h include/monitor/proto.h include/sys/limits.h
include/monitor/names.h:
include/lib/err.h:
include/monitor/proto.h:
include/sys/limits.h:
