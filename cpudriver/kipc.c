/* kipc.c: kernel-mediated IPC for comparison with URPC (see kernel/kipc.h). */
#include <kernel/pooltable.h>
#include <kernel/console.h>
#include <kernel/corestatus.h>
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/kipc.h>
#include <kernel/machine.h>
#include <kernel/memlayout.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/uaccess.h>
#include <arch/lapic.h>
#include <arch/x86.h>
#include <lib/string.h>
#include <sys/rights.h>
#include <sys/syscall.h>

struct kipc_inbox {
	uint32_t lock;                 /* taken by senders and by the owner */
	uint32_t head, tail;
	uint32_t dropped;
	struct kipc_msg m[KIPC_INBOX];
};


static void lock(uint32_t *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(l, __ATOMIC_RELAXED))
			cpu_relax();
}

static void unlock(uint32_t *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

static struct domain *local_domain(uint32_t id)
{
	struct sched *s = &cpu_self()->sched;
	for (unsigned i = 0; i < SCHED_MAX_DOMAINS; i++)
		if (s->domains[i] && s->domains[i]->id == id && s->domains[i]->state != DOM_ZOMBIE)
			return s->domains[i];
	return 0;
}

/* Into a local domain's queue; wakes it if it waits. */
static err_t deliver(const struct kipc_msg *m)
{
	struct domain *d = local_domain(m->dst_domain);
	if (!d)
		return ERR_NOENT;
	struct kipc_queue *q = &d->ipc;
	if (q->tail - q->head == KIPC_QUEUE)
		return ERR_FULL;
	q->m[q->tail++ % KIPC_QUEUE] = *m;
	if (d->state == DOM_WAITING) {
		d->wait_result = 0;
		d->state = DOM_RUNNABLE;
	}
	return ERR_OK;
}

static void on_ipc(struct trap_frame *f)
{
	(void)f;
	struct kipc_inbox *in = core_status[cpu_self()->id].ipc_inbox;
	lapic_eoi();
	lock(&in->lock);
	while (in->head != in->tail) {
		if (deliver(&in->m[in->head % KIPC_INBOX]))
			in->dropped++;
		in->head++;
	}
	unlock(&in->lock);
}

void kipc_init(void)
{
	struct kipc_inbox *in = pool_table_alloc(sizeof *in);
	if (!in) {
		klog("kernel IPC: no memory for the inbox; this core receives none\n");
		return;
	}
	trap_set_irq_handler(VEC_IPC, on_ipc);
	__atomic_store_n(&core_status[cpu_self()->id].ipc_inbox, in, __ATOMIC_RELEASE);
}

static err_t post_remote(unsigned core, const struct kipc_msg *m)
{
	struct kipc_inbox *in = __atomic_load_n(&core_status[core].ipc_inbox, __ATOMIC_ACQUIRE);
	if (!in)
		return ERR_RANGE;
	lock(&in->lock);
	bool full = in->tail - in->head == KIPC_INBOX;
	if (!full)
		in->m[in->tail++ % KIPC_INBOX] = *m;
	unlock(&in->lock);
	if (full)
		return ERR_FULL;
	return lapic_send_ipi(machine_topo()->cores[core].apic_id, VEC_IPC) ? ERR_OK : ERR_BUSY;
}

int64_t sys_ipc_send(uint64_t core, uint64_t domain, uint64_t uva, uint64_t len)
{
	struct kipc_msg m;
	struct cpu *c = cpu_self();
	if (!c->sched.current->privileged && !(c->sched.current->rights & DOMAIN_RIGHT_KIPC)) {
		domain_refused(c->sched.current, "SYS_IPC_SEND", ERR_PERM, "no kipc right");
		return ERR_PERM;
	}
	if (len > sizeof m.words)
		return ERR_TOOBIG;
	if (core >= smp_cores_planned() || core_status_get((unsigned)core) != CORE_UP)
		return ERR_RANGE;
	memset(&m, 0, sizeof m);
	err_t e = copy_from_user(m.words, uva, len);
	if (e)
		return e;
	m.src_core = c->id;
	m.src_domain = c->sched.current->id;
	m.dst_domain = (uint32_t)domain;
	m.len = (uint32_t)len;
	return core == c->id ? deliver(&m) : post_remote((unsigned)core, &m);
}

int64_t sys_ipc_recv(uint64_t uva, uint64_t ticks)
{
	struct domain *d = cpu_self()->sched.current;
	struct kipc_queue *q = &d->ipc;
	while (q->head == q->tail) {
		sched_consume_notification(d); /* only a message ends this wait */
		if (sched_wait(ticks) == ERR_TIMEOUT && q->head == q->tail)
			return ERR_TIMEOUT;
	}
	struct kipc_msg *m = &q->m[q->head % KIPC_QUEUE];
	err_t e = copy_to_user(uva, m, sizeof *m);
	if (e)
		return e;
	q->head++;
	return m->len;
}
