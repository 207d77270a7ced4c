/*
 * heap.c: boundary-tag allocator with a free list (see include/libos/heap.h).
 *
 * Every operation first checks what it was given (a pointer's header, a
 * size's overflow) and only then changes the heap.  heap_make_free() is
 * the one place a block becomes free: it coalesces with both neighbours,
 * fixes the successor's prev_size and links the result, which is what
 * keeps "no two free blocks adjacent" true.
 *
 * Under AddressSanitizer (host tests) the allocator also poisons what a
 * program must not touch: the payload of free blocks past their links and
 * the slack after each allocation's requested size.  The header and the
 * links of a block are always addressable, for the allocator.
 */
#include <libos/heap.h>
#include <lib/string.h>
#include <stdbool.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define HEAP_POISON(a, n)   ASAN_POISON_MEMORY_REGION((void *)(a), (n))
#define HEAP_UNPOISON(a, n) ASAN_UNPOISON_MEMORY_REGION((void *)(a), (n))
#define HEAP_POISONED(a)    __asan_address_is_poisoned((void *)(a))
#else
#define HEAP_POISON(a, n)   ((void)(a), (void)(n))
#define HEAP_UNPOISON(a, n) ((void)(a), (void)(n))
#define HEAP_POISONED(a)    0
#endif

#define HEAP_USED ((size_t)1)

struct heap_block {
	size_t size;                    /* block bytes | HEAP_USED */
	size_t prev_size;               /* previous block's bytes, 0: first */
	/* free blocks only: */
	struct heap_block *next_free;
	struct heap_block *prev_free;
};

_Static_assert(HEAP_HDR == 2 * sizeof(size_t), "header is two words");
_Static_assert(sizeof(struct heap_block) <= HEAP_MIN_BLOCK, "links fit");

static size_t blk_size(const struct heap_block *b)
{
	return b->size & ~HEAP_USED;
}

static bool blk_used(const struct heap_block *b)
{
	return b->size & HEAP_USED;
}

static uintptr_t blk_end(const struct heap_block *b)
{
	return (uintptr_t)b + blk_size(b);
}

static struct heap_block *blk_next(const struct heap *h,
				   const struct heap_block *b)
{
	return blk_end(b) < h->top ? (struct heap_block *)blk_end(b) : NULL;
}

static struct heap_block *blk_prev(const struct heap_block *b)
{
	return b->prev_size ? (struct heap_block *)((uintptr_t)b - b->prev_size)
			    : NULL;
}

/* Write a header at `at` (which may lie inside a poisoned payload). */
static struct heap_block *blk_put(uintptr_t at, size_t size, size_t prev_size)
{
	struct heap_block *b = (struct heap_block *)at;

	HEAP_UNPOISON(at, HEAP_MIN_BLOCK);
	b->size = size;
	b->prev_size = prev_size;
	return b;
}

static void list_push(struct heap *h, struct heap_block *b)
{
	b->prev_free = NULL;
	b->next_free = h->free_head;
	if (h->free_head)
		h->free_head->prev_free = b;
	h->free_head = b;
}

static void list_remove(struct heap *h, struct heap_block *b)
{
	if (b->prev_free)
		b->prev_free->next_free = b->next_free;
	else
		h->free_head = b->next_free;
	if (b->next_free)
		b->next_free->prev_free = b->prev_free;
}

/* Tell the successor (if any) how big b is now, and track the last block. */
static void blk_fix_next(struct heap *h, struct heap_block *b)
{
	struct heap_block *n = blk_next(h, b);

	if (n)
		n->prev_size = blk_size(b);
	else
		h->last = b;
}

/* Make the (not listed) block b free: coalesce, link, poison. */
static void heap_make_free(struct heap *h, struct heap_block *b)
{
	struct heap_block *n = blk_next(h, b), *p = blk_prev(b);

	HEAP_UNPOISON(b, HEAP_MIN_BLOCK);       /* links may have been slack */
	b->size = blk_size(b);
	if (n && !blk_used(n)) {
		list_remove(h, n);
		b->size += blk_size(n);
	}
	if (p && !blk_used(p)) {
		list_remove(h, p);
		p->size += b->size;
		b = p;
	}
	blk_fix_next(h, b);
	list_push(h, b);
	HEAP_POISON((uintptr_t)b + HEAP_MIN_BLOCK, blk_size(b) - HEAP_MIN_BLOCK);
}

/* Shrink used block b to `need` bytes if the rest makes a block. */
static void heap_split(struct heap *h, struct heap_block *b, size_t need)
{
	size_t size = blk_size(b);
	struct heap_block *rest;

	if (size - need < HEAP_MIN_BLOCK)
		return;
	b->size = need | HEAP_USED;
	rest = blk_put((uintptr_t)b + need, size - need, need);
	heap_make_free(h, rest);
}

/* Mark b used for a request of n bytes and poison its slack. */
static void *heap_hand_out(struct heap *h, struct heap_block *b, size_t n)
{
	void *p = (void *)((uintptr_t)b + HEAP_HDR);

	b->size |= HEAP_USED;
	HEAP_POISON(p, blk_size(b) - HEAP_HDR);
	HEAP_UNPOISON(p, n);
	h->in_use++;
	return p;
}

/* Block bytes for an n-byte request, 0 if n is absurd. */
static size_t heap_need(const struct heap *h, size_t n)
{
	size_t need;

	if (n > h->limit - h->base)
		return 0;
	need = (n + HEAP_HDR + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1);
	return need < HEAP_MIN_BLOCK ? HEAP_MIN_BLOCK : need;
}

/*
 * Grow so that a free block of at least `need` bytes ends at top; NULL if
 * the limit or the page source says no (whatever the source did provide
 * is kept as a free block).
 */
static struct heap_block *heap_grow(struct heap *h, size_t need)
{
	size_t have = 0, want, got, room = h->limit - h->top;
	struct heap_block *b;

	if (h->last && !blk_used(h->last))
		have = blk_size(h->last);
	want = need - have;
	want = (want + HEAP_PAGE - 1) & ~(size_t)(HEAP_PAGE - 1);
	if (want > room)
		return NULL;
	if (want < h->grow_min)
		want = h->grow_min < room ? h->grow_min : room;
	got = h->src.grow(h->src.ctx, h->top, want);
	if (got > want)
		got = want;             /* a source that claims too much */
	got &= ~(size_t)(HEAP_PAGE - 1);
	if (got == 0)
		return NULL;
	h->grows++;
	b = blk_put(h->top, got, h->last ? blk_size(h->last) : 0);
	h->top += got;
	heap_make_free(h, b);
	/* b reaches the top, so heap_make_free() left h->last set; the test
	 * of h->last is for the analyzer, which cannot follow that. */
	return h->last && blk_size(h->last) >= need ? h->last : NULL;
}

err_t heap_init(struct heap *h, uintptr_t base, size_t max,
		const struct heap_source *src)
{
	if (!h || !src || !src->grow || base % HEAP_PAGE || max % HEAP_PAGE ||
	    base + max < base)
		return ERR_INVAL;
	memset(h, 0, sizeof *h);
	h->base = h->top = base;
	h->limit = base + max;
	h->src = *src;
	h->grow_min = HEAP_GROW_MIN;
	return ERR_OK;
}

void *heap_alloc(struct heap *h, size_t n)
{
	size_t need = heap_need(h, n);
	struct heap_block *b;

	if (!need)
		return NULL;
	for (b = h->free_head; b; b = b->next_free)
		if (blk_size(b) >= need)
			break;
	if (!b && !(b = heap_grow(h, need)))
		return NULL;
	list_remove(h, b);
	b->size |= HEAP_USED;
	heap_split(h, b, need);
	return heap_hand_out(h, b, n);
}

void *heap_calloc(struct heap *h, size_t n, size_t size)
{
	void *p;

	if (size && n > (size_t)-1 / size)
		return NULL;
	p = heap_alloc(h, n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

/* The block of payload pointer p if its header is believable, else NULL. */
static struct heap_block *heap_lookup(const struct heap *h, const void *p)
{
	uintptr_t a = (uintptr_t)p;
	struct heap_block *b, *prev;

	if (a % HEAP_ALIGN || a < h->base + HEAP_HDR || a >= h->top)
		return NULL;
	b = (struct heap_block *)(a - HEAP_HDR);
	if (HEAP_POISONED(b))           /* inside a free block: not live */
		return NULL;
	if (!blk_used(b) || blk_size(b) < HEAP_MIN_BLOCK ||
	    blk_size(b) % HEAP_ALIGN || blk_size(b) > h->top - (uintptr_t)b)
		return NULL;
	if (b->prev_size % HEAP_ALIGN ||
	    b->prev_size > (uintptr_t)b - h->base ||
	    (b->prev_size == 0) != ((uintptr_t)b == h->base))
		return NULL;
	prev = blk_prev(b);
	if (prev && (HEAP_POISONED(prev) || blk_size(prev) != b->prev_size))
		return NULL;
	return b;
}

err_t heap_free(struct heap *h, void *p)
{
	struct heap_block *b;

	if (!p)
		return ERR_OK;
	b = heap_lookup(h, p);
	if (!b)
		return ERR_INVAL;
	h->in_use--;
	heap_make_free(h, b);
	return ERR_OK;
}

err_t heap_realloc(struct heap *h, void *p, size_t n, void **out)
{
	struct heap_block *b, *nx;
	size_t need;
	void *q;

	*out = NULL;
	if (!p) {
		*out = heap_alloc(h, n);
		return *out ? ERR_OK : ERR_NOMEM;
	}
	b = heap_lookup(h, p);
	if (!b)
		return ERR_INVAL;
	need = heap_need(h, n);
	if (!need)
		return ERR_NOMEM;
	nx = blk_next(h, b);
	if (need > blk_size(b) && nx && !blk_used(nx) &&
	    blk_size(b) + blk_size(nx) >= need) {
		list_remove(h, nx);
		HEAP_UNPOISON(nx, blk_size(nx));
		b->size += blk_size(nx);
		blk_fix_next(h, b);
	}
	if (need <= blk_size(b)) {
		HEAP_UNPOISON(p, blk_size(b) - HEAP_HDR);
		heap_split(h, b, need);
		h->in_use--;
		*out = heap_hand_out(h, b, n);
		return ERR_OK;
	}
	q = heap_alloc(h, n);
	if (!q)
		return ERR_NOMEM;
	HEAP_UNPOISON(p, blk_size(b) - HEAP_HDR);
	memcpy(q, p, blk_size(b) - HEAP_HDR);
	heap_free(h, p);
	*out = q;
	return ERR_OK;
}

size_t heap_usable(const struct heap *h, const void *p)
{
	const struct heap_block *b = heap_lookup(h, p);

	return b ? blk_size(b) - HEAP_HDR : 0;
}

size_t heap_free_bytes(const struct heap *h)
{
	size_t sum = 0;

	for (const struct heap_block *b = h->free_head; b; b = b->next_free)
		sum += blk_size(b);
	return sum;
}

err_t heap_check(const struct heap *h)
{
	size_t nfree = 0, listed = 0, used = 0, prev_size = 0;
	const struct heap_block *b, *prev = NULL;
	uintptr_t a;

	for (a = h->base; a < h->top; a += blk_size(b)) {
		b = (const struct heap_block *)a;
		if (blk_size(b) < HEAP_MIN_BLOCK || blk_size(b) % HEAP_ALIGN ||
		    blk_size(b) > h->top - a || b->prev_size != prev_size)
			return ERR_RANGE;
		if (!blk_used(b)) {
			if (prev && !blk_used(prev))
				return ERR_RANGE;       /* not coalesced */
			nfree++;
		} else {
			used++;
		}
		prev_size = blk_size(b);
		prev = b;
	}
	if (a != h->top || prev != h->last || used != h->in_use)
		return ERR_RANGE;
	for (b = h->free_head; b; b = b->next_free) {
		if ((uintptr_t)b < h->base || (uintptr_t)b >= h->top ||
		    blk_used(b) || ++listed > nfree ||
		    (b->next_free && b->next_free->prev_free != b) ||
		    (b == h->free_head && b->prev_free))
			return ERR_RANGE;
	}
	return listed == nfree ? ERR_OK : ERR_RANGE;
}
