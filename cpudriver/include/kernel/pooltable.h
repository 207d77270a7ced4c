/*
 * pooltable.h: a per-core kernel table in zeroed frames of the core's own
 * pool (the channel registry, the notification table, the kernel-IPC
 * inbox).  Call on the core that owns the table, at its start-up; the
 * frames are never given back.
 */
#ifndef KERNEL_POOLTABLE_H
#define KERNEL_POOLTABLE_H
#include <stddef.h>

/* `bytes` of zeroed, contiguous, page-aligned memory from this core's pool,
 * through the direct map; NULL if the pool has no such run. */
void *pool_table_alloc(size_t bytes);

#endif
