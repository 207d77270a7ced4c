/*
 * test_malloc: the heap core (libos/heap.c) over a fake page source.
 *
 * The fake source hands out pages of one host block, checks that the heap
 * asks for them in order, and can be told to run dry after K pages.  The
 * heap poisons free and slack bytes for ASan, so any stray access by the
 * allocator or a test aborts; heap_check() runs after every operation of
 * the random stress, which also verifies every block's contents.
 */
#define TEST_PROGRAM "malloc"
#include "test.h"
#include <libos/heap.h>
#include <sanitizer/asan_interface.h>
#include <stdlib.h>

#define REGION (8u << 20)

struct fake_src {
	uint8_t *mem;
	uintptr_t top;          /* next address the heap must ask for */
	size_t pages_left;      /* grant at most this many more pages */
	unsigned calls;
	bool bad_order;
};

static size_t fake_grow(void *ctx, uintptr_t at, size_t bytes)
{
	struct fake_src *f = ctx;
	size_t pages = bytes / HEAP_PAGE;

	f->calls++;
	if (at != f->top || bytes % HEAP_PAGE ||
	    at + bytes > (uintptr_t)f->mem + REGION)
		f->bad_order = true;
	if (pages > f->pages_left)
		pages = f->pages_left;
	f->pages_left -= pages;
	f->top += pages * HEAP_PAGE;
	return pages * HEAP_PAGE;
}

static struct fake_src src;
static struct heap heap;

static void setup_limited(size_t pages)
{
	struct heap_source hs = { fake_grow, &src };

	if (!src.mem)
		src.mem = aligned_alloc(HEAP_PAGE, REGION);
	ASAN_UNPOISON_MEMORY_REGION(src.mem, REGION);
	memset(src.mem, 0xa5, REGION);          /* dirty, like reused memory */
	ASAN_POISON_MEMORY_REGION(src.mem, REGION);  /* not granted yet */
	src.top = (uintptr_t)src.mem;
	src.pages_left = pages;
	src.calls = 0;
	src.bad_order = false;
	if (heap_init(&heap, (uintptr_t)src.mem, REGION, &hs) != ERR_OK)
		abort();
}

static void setup(void)
{
	setup_limited(REGION / HEAP_PAGE);
}

static void t_init_rejects_bad_arguments(void)
{
	struct heap h;
	struct heap_source hs = { fake_grow, &src }, none = { NULL, NULL };

	CHECK_EQ(heap_init(&h, 0x1001000, 0x10000, &hs), ERR_OK);
	CHECK_EQ(heap_init(&h, 0x1000010, 0x10000, &hs), ERR_INVAL);
	CHECK_EQ(heap_init(&h, 0x1000000, 0x10010, &hs), ERR_INVAL);
	CHECK_EQ(heap_init(&h, (uintptr_t)-4096, 0x10000, &hs), ERR_INVAL);
	CHECK_EQ(heap_init(&h, 0x1000000, 0x10000, &none), ERR_INVAL);
	CHECK_EQ(heap_init(&h, 0x1000000, 0x10000, NULL), ERR_INVAL);
}

static void t_basic_alignment_and_contents(void)
{
	uint8_t *p[64];

	setup();
	CHECK_EQ(heap_check(&heap), ERR_OK);
	for (int i = 0; i < 64; i++) {
		p[i] = heap_alloc(&heap, (size_t)i * 7 + 1);
		CHECK(p[i] != NULL);
		CHECK_EQ((uintptr_t)p[i] % 16, 0);
		CHECK(heap_usable(&heap, p[i]) >= (size_t)i * 7 + 1);
		memset(p[i], i, (size_t)i * 7 + 1);
	}
	for (int i = 0; i < 64; i++)
		for (int j = 0; j < i * 7 + 1; j++)
			CHECK_EQ(p[i][j], i);
	CHECK_EQ(heap.in_use, 64);
	CHECK_EQ(heap_check(&heap), ERR_OK);
	CHECK(!src.bad_order);
	CHECK_EQ(src.calls, 1);                 /* one grow of grow_min */
}

static void t_zero_size_gives_unique_pointers(void)
{
	setup();
	void *a = heap_alloc(&heap, 0), *b = heap_alloc(&heap, 0);

	CHECK(a && b && a != b);
	CHECK_EQ(heap_free(&heap, a), ERR_OK);
	CHECK_EQ(heap_free(&heap, b), ERR_OK);
	CHECK_EQ(heap_free(&heap, NULL), ERR_OK);
}

static void t_free_all_coalesces_to_one_block(void)
{
	void *p[200];
	unsigned order[200];

	setup();
	for (unsigned i = 0; i < 200; i++) {
		p[i] = heap_alloc(&heap, (i * 37) % 500 + 1);
		order[i] = i;
		CHECK(p[i] != NULL);
	}
	srand(7);
	for (unsigned i = 199; i > 0; i--) {
		unsigned j = (unsigned)rand() % (i + 1), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (unsigned i = 0; i < 200; i++) {
		CHECK_EQ(heap_free(&heap, p[order[i]]), ERR_OK);
		CHECK_EQ(heap_check(&heap), ERR_OK);
	}
	CHECK_EQ(heap.in_use, 0);
	CHECK_EQ(heap_free_bytes(&heap), heap.top - heap.base);
	CHECK(heap.free_head == heap.last && heap.last != NULL);
}

static void t_freed_block_is_reused(void)
{
	setup();
	void *a = heap_alloc(&heap, 100);
	void *b = heap_alloc(&heap, 100);

	CHECK_EQ(heap_free(&heap, a), ERR_OK);
	CHECK(heap_alloc(&heap, 90) == a);
	(void)b;
	CHECK_EQ(heap_check(&heap), ERR_OK);
}

static void t_double_and_stray_free_refused(void)
{
	int on_stack;

	setup();
	uint8_t *a = heap_alloc(&heap, 64), *b = heap_alloc(&heap, 64);
	uint8_t *c = heap_alloc(&heap, 64);

	CHECK_EQ(heap_free(&heap, b), ERR_OK);
	CHECK_EQ(heap_free(&heap, b), ERR_INVAL);       /* double free */
	CHECK_EQ(heap_free(&heap, a), ERR_OK);          /* merges with b */
	CHECK_EQ(heap_free(&heap, b), ERR_INVAL);       /* now interior */
	CHECK_EQ(heap_free(&heap, c + 16), ERR_INVAL);  /* inside a block */
	CHECK_EQ(heap_free(&heap, c + 1), ERR_INVAL);   /* misaligned */
	CHECK_EQ(heap_free(&heap, &on_stack), ERR_INVAL);
	CHECK_EQ(heap_free(&heap, (void *)(heap.top + 64)), ERR_INVAL);
	CHECK_EQ(heap.in_use, 1);
	CHECK_EQ(heap_check(&heap), ERR_OK);
	void *q;
	CHECK_EQ(heap_realloc(&heap, a, 10, &q), ERR_INVAL);
	CHECK(q == NULL);
	CHECK_EQ(heap_usable(&heap, a), 0);
}

static void t_realloc_keeps_contents(void)
{
	void *q;

	setup();
	uint8_t *a = heap_alloc(&heap, 40), *b = heap_alloc(&heap, 200);
	uint8_t *c = heap_alloc(&heap, 40);

	memset(a, 1, 40);
	CHECK_EQ(heap_free(&heap, b), ERR_OK);
	CHECK_EQ(heap_realloc(&heap, a, 150, &q), ERR_OK);
	CHECK(q == a);                                  /* grew in place */
	for (int i = 0; i < 40; i++)
		CHECK_EQ(a[i], 1);
	memset(a, 2, 150);
	CHECK_EQ(heap_realloc(&heap, a, 1000, &q), ERR_OK);
	CHECK(q != a);                                  /* had to move */
	for (int i = 0; i < 150; i++)
		CHECK_EQ(((uint8_t *)q)[i], 2);
	a = q;
	CHECK_EQ(heap_realloc(&heap, a, 20, &q), ERR_OK);   /* shrink */
	CHECK(q == a);
	CHECK_EQ(heap_realloc(&heap, NULL, 20, &q), ERR_OK);
	CHECK(q != NULL);
	CHECK_EQ(heap_check(&heap), ERR_OK);
	(void)c;
}

static void t_calloc_zeroes_dirty_memory_and_checks_overflow(void)
{
	setup();
	uint8_t *a = heap_alloc(&heap, 512);

	memset(a, 0xff, 512);
	CHECK_EQ(heap_free(&heap, a), ERR_OK);
	uint8_t *z = heap_calloc(&heap, 16, 32);
	CHECK(z != NULL);
	for (int i = 0; z && i < 512; i++)
		CHECK_EQ(z[i], 0);
	CHECK(heap_calloc(&heap, (size_t)1 << 33, (size_t)1 << 33) == NULL);
	CHECK(heap_calloc(&heap, SIZE_MAX, 2) == NULL);
}

static void t_slack_and_free_bytes_are_poisoned(void)
{
	setup();
	uint8_t *a = heap_alloc(&heap, 20), *b = heap_alloc(&heap, 100);

	CHECK(!__asan_address_is_poisoned(a + 19));
	CHECK(__asan_address_is_poisoned(a + 20));      /* slack */
	CHECK_EQ(heap_free(&heap, b), ERR_OK);
	CHECK(__asan_address_is_poisoned(b + 50));      /* freed */
	CHECK(__asan_address_is_poisoned((uint8_t *)heap.top - 8));
}

static void t_page_source_failure(void)
{
	setup_limited(0);
	CHECK(heap_alloc(&heap, 10) == NULL);
	CHECK_EQ(heap.top, heap.base);
	CHECK_EQ(heap_check(&heap), ERR_OK);

	/* Three pages, then dry: a 64 KiB grow comes back short. */
	setup_limited(3);
	CHECK(heap_alloc(&heap, 20000) == NULL);
	CHECK_EQ(heap.top - heap.base, 3 * HEAP_PAGE);  /* kept as free */
	CHECK_EQ(heap_check(&heap), ERR_OK);
	unsigned calls = src.calls;
	void *p = heap_alloc(&heap, 10000);             /* fits what we got */
	CHECK(p != NULL);
	CHECK_EQ(src.calls, calls);
	CHECK_EQ(heap_check(&heap), ERR_OK);
	CHECK(!src.bad_order);
}

static void t_limit_and_huge_requests(void)
{
	setup();
	CHECK(heap_alloc(&heap, REGION) == NULL);       /* header won't fit */
	CHECK(heap_alloc(&heap, SIZE_MAX) == NULL);
	CHECK(heap_alloc(&heap, SIZE_MAX - 8) == NULL);
	CHECK_EQ(src.calls, 0);
	void *big = heap_alloc(&heap, REGION - HEAP_HDR);   /* exactly all */
	CHECK(big != NULL);
	CHECK_EQ(heap.top, heap.limit);
	CHECK(heap_alloc(&heap, 1) == NULL);
	CHECK_EQ(heap_free(&heap, big), ERR_OK);
	CHECK(heap_alloc(&heap, 1) != NULL);
	CHECK_EQ(heap_check(&heap), ERR_OK);
}

static void t_growth_merges_with_free_last_block(void)
{
	setup();
	void *a = heap_alloc(&heap, 1000);
	CHECK_EQ(src.calls, 1);
	size_t top0 = heap.top - heap.base;
	void *b = heap_alloc(&heap, top0);      /* needs a grow */
	CHECK(b != NULL);
	CHECK_EQ(src.calls, 2);
	/* It should reuse the free tail: grown by less than top0 + 1 page. */
	CHECK(heap.top - heap.base < 2 * top0 + HEAP_PAGE);
	CHECK_EQ(heap_check(&heap), ERR_OK);
	(void)a;
}

/* Random alloc/free/realloc with every block's pattern checked. */
static void t_random_stress(void)
{
	enum { SLOTS = 256, OPS = 20000 };
	static uint8_t *p[SLOTS];
	static size_t len[SLOTS];
	uint32_t x = 12345;

	setup();
	memset(p, 0, sizeof p);
	for (int op = 0; op < OPS && !test_case_failed; op++) {
		x = x * 1103515245u + 12345u;
		unsigned s = (x >> 8) % SLOTS;
		size_t n = (x >> 16) % ((x & 1) ? 64 : 9000);
		uint8_t tag = (uint8_t)(s * 13 + 1);

		if (p[s]) {
			for (size_t i = 0; i < len[s]; i++)
				if (p[s][i] != tag) {
					CHECK(!"block contents changed");
					break;
				}
		}
		if (p[s] && (x & 0x30000000) == 0) {
			void *q;
			CHECK_EQ(heap_realloc(&heap, p[s], n, &q), ERR_OK);
			p[s] = q;
			len[s] = n < len[s] ? n : len[s];
		} else if (p[s]) {
			CHECK_EQ(heap_free(&heap, p[s]), ERR_OK);
			p[s] = NULL;
			continue;
		} else {
			p[s] = heap_alloc(&heap, n);
			len[s] = n;
		}
		CHECK(p[s] != NULL);
		if (!p[s])
			break;
		memset(p[s], tag, n);
		len[s] = n;
		CHECK_EQ(heap_check(&heap), ERR_OK);
	}
	for (unsigned s = 0; s < SLOTS; s++)
		CHECK_EQ(heap_free(&heap, p[s]), ERR_OK);
	CHECK_EQ(heap.in_use, 0);
	CHECK_EQ(heap_free_bytes(&heap), heap.top - heap.base);
	CHECK(!src.bad_order);
}

int main(void)
{
	RUN(t_init_rejects_bad_arguments);
	RUN(t_basic_alignment_and_contents);
	RUN(t_zero_size_gives_unique_pointers);
	RUN(t_free_all_coalesces_to_one_block);
	RUN(t_freed_block_is_reused);
	RUN(t_double_and_stray_free_refused);
	RUN(t_realloc_keeps_contents);
	RUN(t_calloc_zeroes_dirty_memory_and_checks_overflow);
	RUN(t_slack_and_free_bytes_are_poisoned);
	RUN(t_page_source_failure);
	RUN(t_limit_and_huge_requests);
	RUN(t_growth_merges_with_free_last_block);
	RUN(t_random_stress);
	ASAN_UNPOISON_MEMORY_REGION(src.mem, REGION);
	free(src.mem);
	return test_summary();
}
