/*
 * thread_stack.c: thread stacks with guard pages (libos/thread.h).
 *
 * Thread stacks do not come from malloc: each thread gets a slot of
 * THREAD_SLOT bytes at THREAD_STACKS_VA + slot * THREAD_SLOT, whose upper
 * THREAD_STACK_SIZE bytes are mapped (fresh frames, SYS_FRAME_ALLOC +
 * SYS_MAP) and whose lower part stays unmapped.  A thread that overruns
 * its stack therefore faults in its own guard (and the domain ends with a
 * #PF whose address is in the slot) instead of silently writing into the
 * heap or a neighbour's stack.  The frames go back when the thread is
 * joined.  Slot bookkeeping runs under the thread lock.
 *
 * A domain that spans cores may not map pages any more (its replicas on
 * the other cores would not follow), so before it spans it maps a pool of
 * stacks (thread_stack_reserve); from then on stacks come from the pool
 * and go back to it, still mapped.
 */
#include <libos/libos.h>
#include <libos/thread.h>
#include "thread_impl.h"

#define THREAD_SLOTS 1024u
#define THREAD_SLOT  (2u * THREAD_STACK_SIZE)

static uint64_t slot_used[THREAD_SLOTS / 64];
static uint64_t slot_pooled[THREAD_SLOTS / 64];   /* mapped, free: the pool */

static bool bit(const uint64_t *m, unsigned i)
{
	return m[i / 64] >> (i % 64) & 1;
}

static void set_bit(uint64_t *m, unsigned i, bool v)
{
	if (v)
		m[i / 64] |= 1ull << (i % 64);
	else
		m[i / 64] &= ~(1ull << (i % 64));
}

/* A free slot: from the pool if `pooled`, else one never mapped. */
static bool slot_take(unsigned *slot, bool pooled)
{
	bool was = thread_lock_acquire(), got = false;
	for (unsigned i = 0; i < THREAD_SLOTS && !got; i++) {
		if (!bit(slot_used, i) && bit(slot_pooled, i) == pooled) {
			set_bit(slot_used, i, true);
			set_bit(slot_pooled, i, false);
			*slot = i;
			got = true;
		}
	}
	thread_lock_release(was);
	return got;
}

static void slot_give(unsigned slot, bool pooled)
{
	bool was = thread_lock_acquire();
	set_bit(slot_used, slot, false);
	set_bit(slot_pooled, slot, pooled);
	thread_lock_release(was);
}

static uint64_t page_va(unsigned slot, unsigned page)
{
	return THREAD_STACKS_VA + (uint64_t)slot * THREAD_SLOT + THREAD_SLOT -
	       THREAD_STACK_SIZE + (uint64_t)page * 4096;
}

static void unmap_pages(struct thread *t, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		sys_unmap(page_va(t->stack_slot, i));
		sys_frame_free(t->stack_pa[i]);
	}
}

static err_t map_slot(struct thread *t, unsigned slot)
{
	t->stack_slot = slot;
	for (unsigned i = 0; i < THREAD_STACK_PAGES; i++) {
		int64_t pa = sys_frame_alloc();
		err_t e = pa < 0 ? (err_t)pa : sys_map(page_va(slot, i), (uint64_t)pa, SYS_MAP_WRITE);
		if (e) {
			if (pa >= 0)
				sys_frame_free((uint64_t)pa);
			unmap_pages(t, i);
			return e == ERR_FULL ? ERR_NOMEM : e;
		}
		t->stack_pa[i] = (uint64_t)pa;
	}
	return ERR_OK;
}

err_t thread_stack_alloc(struct thread *t, uint64_t *top)
{
	unsigned slot;
	if (thread_spanning) {
		if (!slot_take(&slot, true))
			return ERR_FULL;
		t->stack_slot = slot;
	} else {
		if (!slot_take(&slot, false))
			return ERR_FULL;
		err_t e = map_slot(t, slot);
		if (e) {
			slot_give(slot, false);
			return e;
		}
	}
	*top = page_va(slot, THREAD_STACK_PAGES);
	return ERR_OK;
}

void thread_stack_free(struct thread *t)
{
	if (thread_spanning) {
		slot_give(t->stack_slot, true);
		return;
	}
	unmap_pages(t, THREAD_STACK_PAGES);
	slot_give(t->stack_slot, false);
}

err_t thread_stack_reserve(unsigned n)
{
	struct thread scratch;
	for (unsigned k = 0; k < n; k++) {
		unsigned slot;
		if (!slot_take(&slot, false))
			return ERR_FULL;
		err_t e = map_slot(&scratch, slot);
		slot_give(slot, e == ERR_OK);
		if (e)
			return e;
	}
	return ERR_OK;
}
