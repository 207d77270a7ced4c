/*
 * dispatch.h: libos-private: the dispatcher's set-up, called once by
 * libos_start (start.c) before main, on the domain's only thread.
 */
#ifndef LIBOS_DISPATCH_H
#define LIBOS_DISPATCH_H
#include <sys/domain.h>

/* Set up the dispatcher: FPU save format, threads, the upcall stack, the
 * critical section, and the entry the kernel upcalls (published last). */
void libos_dispatch_init(const struct domain_start *info);

/* A spanned domain's instance on another core starts here instead of main (span.c). */
__attribute__((noreturn)) void libos_span_start(const struct domain_start *info);

#endif
