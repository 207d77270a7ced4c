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
 * joined.  Slot bookkeeping runs with the dispatcher disabled.
 */
#include <libos/libos.h>
#include <libos/thread.h>
#include "thread_impl.h"

#define THREAD_SLOTS 1024u
#define THREAD_SLOT  (2u * THREAD_STACK_SIZE)

static uint64_t slot_used[THREAD_SLOTS / 64];

static bool slot_take(unsigned *slot)
{
	bool was = libos_disp_disable(), got = false;
	for (unsigned i = 0; i < THREAD_SLOTS && !got; i++) {
		if (!(slot_used[i / 64] >> (i % 64) & 1)) {
			slot_used[i / 64] |= 1ull << (i % 64);
			*slot = i;
			got = true;
		}
	}
	libos_disp_restore(was);
	return got;
}

static void slot_give(unsigned slot)
{
	bool was = libos_disp_disable();
	slot_used[slot / 64] &= ~(1ull << (slot % 64));
	libos_disp_restore(was);
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

err_t thread_stack_alloc(struct thread *t, uint64_t *top)
{
	unsigned slot;
	if (!slot_take(&slot))
		return ERR_FULL;
	t->stack_slot = slot;
	for (unsigned i = 0; i < THREAD_STACK_PAGES; i++) {
		int64_t pa = sys_frame_alloc();
		err_t e = pa < 0 ? (err_t)pa : sys_map(page_va(slot, i), (uint64_t)pa, SYS_MAP_WRITE);
		if (e) {
			if (pa >= 0)
				sys_frame_free((uint64_t)pa);
			unmap_pages(t, i);
			slot_give(slot);
			return e == ERR_FULL ? ERR_NOMEM : e;
		}
		t->stack_pa[i] = (uint64_t)pa;
	}
	*top = page_va(slot, THREAD_STACK_PAGES);
	return ERR_OK;
}

void thread_stack_free(struct thread *t)
{
	unmap_pages(t, THREAD_STACK_PAGES);
	slot_give(t->stack_slot);
}
