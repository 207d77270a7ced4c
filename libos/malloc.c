/*
 * malloc.c: the domain's heap (include/libos/malloc.h) over libos/heap.c.
 *
 * The page source maps fresh frames at the heap's top, page by page:
 * SYS_FRAME_ALLOC, then SYS_MAP writable.  When a page fails it gives its
 * frame back and reports the pages mapped so far, which the heap keeps as
 * free memory; nothing is left mapped that the heap does not know about.
 *
 * Threads (libos/thread.h): every call runs in the dispatcher's critical
 * section, so a preemption cannot let another thread into the heap, and
 * under a spinlock for the other cores of a spanning domain.
 */
#include <libos/heap.h>
#include <libos/libos.h>
#include <libos/thread.h>
#include <sys/domain.h>

static struct heap libos_heap;
static bool libos_heap_ready;
static uint32_t heap_lock;

/* The dispatcher disabled (one core) and a spinlock (the cores it spans). */
static bool heap_enter(void)
{
	bool was = libos_disp_disable();
	while (__atomic_exchange_n(&heap_lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&heap_lock, __ATOMIC_RELAXED))
			__asm__ volatile("pause");
	return was;
}

static void heap_leave(bool was)
{
	__atomic_store_n(&heap_lock, 0, __ATOMIC_RELEASE);
	libos_disp_restore(was);
}

static size_t heap_sys_grow(void *ctx, uintptr_t at, size_t bytes)
{
	size_t done;

	(void)ctx;
	for (done = 0; done < bytes; done += HEAP_PAGE) {
		int64_t pa = sys_frame_alloc();

		if (pa < 0)
			break;
		if (sys_map(at + done, (uint64_t)pa, SYS_MAP_WRITE) != ERR_OK) {
			sys_frame_free((uint64_t)pa);
			break;
		}
	}
	return done;
}

static struct heap *heap_get(void)
{
	static const struct heap_source src = { heap_sys_grow, NULL };

	if (!libos_heap_ready) {
		if (heap_init(&libos_heap, DOMAIN_HEAP_BASE, LIBOS_HEAP_MAX,
			      &src) != ERR_OK)
			libos_abort("heap_init failed");
		libos_heap_ready = true;
	}
	return &libos_heap;
}

void *malloc(size_t n)
{
	bool was = heap_enter();
	void *p = heap_alloc(heap_get(), n);

	heap_leave(was);
	return p;
}

void *calloc(size_t n, size_t size)
{
	bool was = heap_enter();
	void *p = heap_calloc(heap_get(), n, size);

	heap_leave(was);
	return p;
}

void free(void *p)
{
	bool was = heap_enter();
	err_t e = heap_free(heap_get(), p);

	heap_leave(was);
	if (e != ERR_OK)
		libos_abort("free: not a live heap block");
}

void *realloc(void *p, size_t n)
{
	void *q;
	bool was = heap_enter();
	err_t e = heap_realloc(heap_get(), p, n, &q);

	heap_leave(was);
	if (e == ERR_INVAL)
		libos_abort("realloc: not a live heap block");
	return q;
}
