/*
 * libos/malloc.h: the domain's heap.
 *
 * ISO C contracts.  The heap is one contiguous range growing up from
 * DOMAIN_HEAP_BASE (include/sys/domain.h) to at most LIBOS_HEAP_MAX bytes;
 * it grows by whole pages, each a frame from SYS_FRAME_ALLOC mapped
 * writable with SYS_MAP, and never shrinks.  Blocks are 16-byte aligned.
 * malloc(0) returns a unique pointer.  Freeing a pointer malloc did not
 * return, or freeing twice, is caught when the block header shows it and
 * ends the domain with libos_abort().  The allocator itself is
 * libos/heap.h, which knows nothing about system calls.
 */
#ifndef LIBOS_MALLOC_H
#define LIBOS_MALLOC_H

#include <stddef.h>

#define LIBOS_HEAP_MAX  (1ull << 30)

void *malloc(size_t n);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);

#endif
