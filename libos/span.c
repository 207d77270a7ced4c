/*
 * span.c: a domain on several cores (libos/span.h), libos's side.
 *
 * The home (slot 0) asks its monitor for an instance on a core with
 * mon_span(core, slot); the instance's libos_start sees span_home_domain
 * in its start info and calls libos_span_start, which sets up that core's
 * dispatcher for the slot and enters the thread scheduler on the
 * instance's own stack, never running main.  thread_nslots is published
 * only after the monitors confirmed the instance, so a thread is never
 * queued for a dispatcher that does not exist.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <libos/span.h>
#include <sys/monitor.h>
#include "thread_impl.h"
#include "dispatch.h"

static struct thread_mutex span_mu = THREAD_MUTEX_INIT;

err_t libos_span_reserve(unsigned stacks, size_t heap)
{
	if (thread_spanning)
		return ERR_SPANNED;
	void *p = heap ? malloc(heap) : 0;
	if (heap && !p)
		return ERR_NOMEM;
	free(p);        /* the pages stay with the heap */
	return thread_stack_reserve(stacks);
}

static int slot_of(unsigned core)
{
	for (uint32_t s = 0; s < thread_nslots; s++)
		if (thread_slot_core[s] == core)
			return (int)s;
	return -1;
}

err_t libos_span_add(unsigned core)
{
	if (core >= libos_ncores())
		return ERR_RANGE;
	thread_mutex_lock(&span_mu);
	err_t e = ERR_OK;
	uint32_t slot = thread_nslots;
	if (slot_of(core) >= 0)
		e = core == libos_core_id() ? ERR_INVAL : ERR_EXIST;
	else if (slot >= THREAD_SLOTS_MAX)
		e = ERR_FULL;
	if (!e && !thread_spanning) {
		e = libos_span_reserve(LIBOS_SPAN_STACKS, LIBOS_SPAN_HEAP);
		if (!e)
			thread_spanning = true;
	}
	if (!e) {
		thread_slot_core[slot] = core;
		uint32_t instance;
		e = mon_span(core, slot, &instance);
	}
	if (!e) {
		bool was = thread_lock_acquire();
		thread_nslots = slot + 1;
		thread_lock_release(was);
	}
	thread_mutex_unlock(&span_mu);
	return e;
}

unsigned libos_span_ncores(void)
{
	return thread_nslots;
}

unsigned libos_span_core(unsigned i)
{
	return i < thread_nslots ? thread_slot_core[i] : ~0u;
}

err_t thread_create_on(unsigned core, struct thread **out, int (*fn)(void *arg), void *arg)
{
	int s = slot_of(core);
	return s < 0 ? ERR_NOENT : thread_create_slot((uint32_t)s, out, fn, arg);
}

err_t thread_move(unsigned core)
{
	int s = slot_of(core);
	if (s < 0)
		return ERR_NOENT;
	thread_enter();
	struct thread *me = thread_me();
	me->slot = (uint32_t)s;
	thread_make_runnable(me);
	thread_block_current();
	return ERR_OK;
}

unsigned thread_core(void)
{
	return disp_local()->core;
}

void libos_span_start(const struct domain_start *info)
{
	uint32_t slot = (uint32_t)info->span_arg;
	if (slot == 0 || slot >= THREAD_SLOTS_MAX || thread_slot_core[slot] != info->core)
		libos_abort("span: this instance's slot is not the one its home asked for");
	libos_disp_disable();
	disp_local()->cur = 0;
	libos_disp_setup(DOMAIN_STACK_TOP, slot);
	thread_lock_acquire();
	libos_thread_idle_start(DOMAIN_STACK_TOP);
}

static unsigned vm_mode = MON_VM_LAZY;

err_t libos_span_vm_mode(unsigned mode)
{
	if (mode > MON_VM_LAZY)
		return ERR_INVAL;
	vm_mode = mode;
	return ERR_OK;
}

/*
 * One request at a time: they change the same tables.  Lazy unmap and
 * protect first ask the home's CPU driver to do it alone (SYS_SPAN_LAZY: no
 * other core runs the domain right now); ERR_BUSY: through the monitor.
 */
static err_t span_vm(uint32_t op, uint64_t va, uint64_t arg, unsigned pages)
{
	thread_mutex_lock(&span_mu);
	err_t e = ERR_BUSY;
	if (vm_mode == MON_VM_LAZY && op != SPAN_VM_MAP)
		e = sys_span_lazy(op, va, arg, pages);
	if (e == ERR_BUSY)
		e = mon_vm(op, va, arg, pages, vm_mode);
	thread_mutex_unlock(&span_mu);
	return e;
}

err_t libos_span_map(uint64_t va, uint64_t pa, unsigned flags)
{
	if ((pa & 0xfff) || (flags & ~3u))
		return ERR_INVAL;
	return span_vm(SPAN_VM_MAP, va, pa | flags, 1);
}

err_t libos_span_unmap(uint64_t va)
{
	return span_vm(SPAN_VM_UNMAP, va, 0, 1);
}

err_t libos_span_unmap_range(uint64_t va, unsigned pages)
{
	if (pages == 0 || pages > SPAN_VM_MAX_PAGES)
		return ERR_RANGE;
	return span_vm(SPAN_VM_UNMAP, va, 0, pages);
}

err_t libos_span_protect(uint64_t va, unsigned pages, unsigned flags)
{
	if (pages == 0 || pages > SPAN_VM_MAX_PAGES)
		return ERR_RANGE;
	if (flags & ~3u)
		return ERR_INVAL;
	return span_vm(SPAN_VM_PROTECT, va, flags, pages);
}
