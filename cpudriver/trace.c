/*
 * trace.c: the CPU driver's side of tracing (kernel/trace.h, sys/trace.h).
 *
 * Rings: one per core (KERNEL_TRACE_PAGES from the core's pool) and one
 * per domain (DOMAIN_TRACE_PAGES, owned frames of the domain mapped at
 * DOMAIN_TRACE_VA), made only when the command line asks for tracing.
 *
 * Dumping: the core that asks sets `on` to 0, sends VEC_TRACE to every
 * other up core and prints its own rings; each core prints only its own
 * kernel ring and its own domains' rings (no core reads another's), then
 * counts itself in trace_ctl->dumps_done (and every line it prints in
 * trace_ctl->dump_lines, which the waiting core watches).  A domain's
 * ring is written by the domain, so everything in it is untrusted: the
 * head is clamped, the bytes are only encoded, and a URPC event's area
 * address is translated through the domain's own page table (no mapping:
 * left as it is).
 */
#include <kernel/boot.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/corestatus.h>
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/machine.h>
#include <kernel/memlayout.h>
#include <kernel/memrange.h>
#include <kernel/pmm.h>
#include <kernel/smp.h>
#include <kernel/trace.h>
#include <arch/lapic.h>
#include <arch/paging.h>
#include <arch/x86.h>
#include <lib/string.h>
#include <sys/rights.h>

#define EVENTS_PER_LINE 9       /* 288 bytes, 384 base64 characters */
/*
 * The core that waits for a dump gives up after DUMP_QUIET_S seconds in
 * which no core printed a line (a core that died mid-dump), never while
 * the dump progresses: at 4 cores the dump is ~2.7 MB of serial output,
 * which took 18 s on a loaded host (load 34 on 2 CPUs), and a fixed 20 s
 * from the start cut the last core's last rings off.
 */
#define DUMP_QUIET_S    20

static struct trace_ctl no_rings; /* all zero: recording can never start */
struct trace_ctl *trace_ctl = &no_rings;
static uint64_t ctl_pa;           /* 0: no rings */

#define KEPT_RINGS 16           /* ended domains' rings a core keeps */

/* One core's tracing state, from its own pool; only that core touches it. */
struct trace_core {
	struct trace_ring *ring;             /* the CPU driver's */
	unsigned nkept;
	struct kept_ring {
		struct trace_ring *ring;
		uint32_t dom;
		char program[PROGRAM_NAME_MAX];
	} kept[KEPT_RINGS];                  /* oldest first */
};

static void on_dump_ipi(struct trap_frame *f);

static struct trace_ring *ring_init(void *mem, uint64_t bytes)
{
	struct trace_ring *r = mem;
	memset(r, 0, sizeof *r);
	r->magic = TRACE_MAGIC;
	r->cap = (uint32_t)TRACE_RING_CAP(bytes);
	return r;
}

void trace_boot_init(struct mem_ranges *free_ram)
{
	char v[8];
	if (!cmdline_get(boot_info.cmdline, "trace", v, sizeof v))
		return;
	bool on = strcmp(v, "on") == 0;
	if (!on && strcmp(v, "off") != 0)
		return; /* said at boot (boot_options_check): no tracing */
	uint64_t pa;
	if (memrange_take(free_ram, PAGE_SIZE, PAGE_SIZE, 0, ~0ull, &pa)) {
		klog("trace: no memory for the control frame; no tracing\n");
		return;
	}
	struct trace_ctl *ctl = phys_to_virt(pa);
	memset(ctl, 0, PAGE_SIZE);
	ctl->dump_at_end = on;
	ctl_pa = pa;
	trace_ctl = ctl;
	klog("trace: rings on every core and domain, recording %s\n", on ? "on" : "off");
}

void trace_core_init(void)
{
	struct cpu *c = cpu_self();
	uint64_t pa, tpa;
	if (!ctl_pa)
		return;
	uint64_t tc_pages = (sizeof(struct trace_core) + PAGE_SIZE - 1) / PAGE_SIZE;
	if (pmm_alloc_contig(c->pool, KERNEL_TRACE_PAGES, 1, &pa) ||
	    pmm_alloc_contig(c->pool, tc_pages, 1, &tpa)) {
		klog("trace: no memory for this core's ring\n");
		return;
	}
	struct trace_core *tc = phys_to_virt(tpa);
	memset(tc, 0, sizeof *tc);
	tc->ring = ring_init(phys_to_virt(pa), KERNEL_TRACE_PAGES * PAGE_SIZE);
	trap_set_irq_handler(VEC_TRACE, on_dump_ipi);
	c->trace = tc;
	if (c->id == 0 && trace_ctl->dump_at_end)
		trace_ctl->on = 1;
}

void trace_record(uint16_t type, uint32_t a, uint64_t b, uint64_t c)
{
	struct cpu *cpu = cpu_self();
	if (!cpu->trace)
		return;
	struct trace_ring *r = cpu->trace->ring;
	struct domain *d = cpu->sched.current;
	struct trace_ev *e = &r->ev[r->head % r->cap];
	e->tsc = rdtsc();
	e->type = type;
	e->dom = d ? (uint16_t)d->id : 0;
	e->a = a;
	e->b = b;
	e->c = c;
	r->head++;
}

/*
 * The ring's frames belong to the CPU driver, not to the domain: they are
 * mapped like a channel area (the domain cannot unmap them) and outlive
 * the domain, so its events can be dumped after it ended.
 */
int trace_domain_setup(struct domain *d)
{
	struct pmm_pool *pool = cpu_self()->pool;
	uint64_t pa, n = DOMAIN_TRACE_PAGES;
	if (!cpu_self()->trace)
		return ERR_OK;
	err_t e = pmm_alloc_contig(pool, n, 1, &pa);
	if (e)
		return e;
	for (uint64_t i = 0; i < n && !e; i++)
		e = domain_map_foreign(d, DOMAIN_TRACE_VA + i * PAGE_SIZE, pa + i * PAGE_SIZE,
				       PTE_W | PTE_NX);
	if (!e)
		e = domain_map_foreign(d, DOMAIN_TRACE_CTL_VA, ctl_pa, PTE_NX);
	if (e) {
		pmm_free(pool, pa, n);
		return e; /* the caller destroys d, whose page tables go with it */
	}
	d->trace = ring_init(phys_to_virt(pa), n * PAGE_SIZE);
	uint64_t st = vm_lookup(d->pml4, DOMAIN_START_INFO);
	((struct domain_start *)phys_to_virt(st & PTE_ADDR))->trace_ring = DOMAIN_TRACE_VA;
	return ERR_OK;
}
/* The base64 alphabet; index 64 is the padding. */
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

static unsigned base64(char *out, const uint8_t *in, unsigned n)
{
	unsigned o = 0;
	for (unsigned i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
			     (i + 2 < n ? in[i + 2] : 0);
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[i + 1 < n ? v >> 6 & 63 : 64];
		out[o++] = b64[i + 2 < n ? v & 63 : 64];
	}
	out[o] = 0;
	return o;
}

/* A URPC event's area address, from the domain's address space to physical. */
static void translate(const struct domain *d, struct trace_ev *e)
{
	if (!d || e->type < TR_URPC_SEND || e->type > TR_URPC_WAKE)
		return;
	uint64_t va = e->b & ~(PAGE_SIZE - 1);
	if (va >= 0x0000800000000000ull)
		return;
	uint64_t pte = vm_lookup(d->pml4, va);
	if (pte & PTE_P)
		e->b = (pte & PTE_ADDR) | (e->b & (PAGE_SIZE - 1));
}

static void dump_ring(const struct trace_ring *r, uint32_t cap, const struct domain *d,
		      unsigned dom, const char *program)
{
	unsigned core = cpu_self()->id;
	uint64_t head = r->head, first = head > cap ? head - cap : 0;
	struct trace_ev ev[EVENTS_PER_LINE];
	char line[EVENTS_PER_LINE * TRACE_EV_SIZE / 3 * 4 + 8];
	kprintf("TRACE B %u %u %s %lu %lu %lu\n", core, dom, program, cpu_self()->tsc_hz,
		head - first, first);
	for (uint64_t i = first; i < head;) {
		unsigned n = 0;
		for (; n < EVENTS_PER_LINE && i < head; n++, i++) {
			ev[n] = r->ev[i % cap];
			translate(d, &ev[n]);
		}
		base64(line, (const uint8_t *)ev, n * TRACE_EV_SIZE);
		kprintf("TRACE D %u %u %s\n", core, dom, line);
		__atomic_fetch_add(&trace_ctl->dump_lines, 1, __ATOMIC_RELAXED);
	}
	kprintf("TRACE E %u %u\n", core, dom);
}

static const uint32_t domain_cap = (uint32_t)TRACE_RING_CAP(DOMAIN_TRACE_PAGES * PAGE_SIZE);

/* An ended domain's ring: kept (its URPC addresses translated now) for the dump. */
void trace_domain_end(struct domain *d)
{
	struct trace_core *tc = cpu_self()->trace;
	struct trace_ring *r = d->trace;
	d->trace = 0;
	if (!r)
		return;
	if (!tc || !r->head) {
		pmm_free(cpu_self()->pool, virt_to_phys(r), DOMAIN_TRACE_PAGES);
		return;
	}
	if (tc->nkept == KEPT_RINGS) {
		pmm_free(cpu_self()->pool, virt_to_phys(tc->kept[0].ring), DOMAIN_TRACE_PAGES);
		memmove(&tc->kept[0], &tc->kept[1], sizeof tc->kept[0] * (KEPT_RINGS - 1));
		tc->nkept--;
	}
	for (uint32_t i = 0; i < domain_cap; i++)
		translate(d, &r->ev[i]);
	struct kept_ring *k = &tc->kept[tc->nkept++];
	k->ring = r;
	k->dom = d->id;
	memcpy(k->program, d->program, sizeof k->program);
}

/* This core's rings, then pass the turn on (one core prints at a time). */
static void dump_self(void)
{
	struct cpu *c = cpu_self();
	struct trace_core *tc = c->trace;
	if (tc) {
		dump_ring(tc->ring, tc->ring->cap, 0, 0, "kernel");
		for (unsigned i = 0; i < tc->nkept; i++)
			dump_ring(tc->kept[i].ring, domain_cap, 0, tc->kept[i].dom,
				  tc->kept[i].program);
		for (unsigned i = 0; i < SCHED_MAX_DOMAINS; i++) {
			struct domain *d = c->sched.domains[i];
			if (d && d->trace)
				dump_ring(d->trace, domain_cap, d, d->id, d->program);
		}
	}
	__atomic_fetch_add(&trace_ctl->dumps_done, 1, __ATOMIC_RELEASE);
	unsigned n = smp_cores_planned();
	for (unsigned i = c->id + 1; i < n; i++)
		if (core_status_get(i) == CORE_UP &&
		    lapic_send_ipi(machine_topo()->cores[i].apic_id, VEC_TRACE))
			return;
}

static void on_dump_ipi(struct trap_frame *f)
{
	(void)f;
	lapic_eoi();
	dump_self();
}

/*
 * Waits until `up` cores have dumped, or until no line was printed for
 * DUMP_QUIET_S seconds; returns how many dumped.
 */
static unsigned wait_dumps(unsigned up)
{
	uint64_t quiet = DUMP_QUIET_S * cpu_self()->tsc_hz, end = rdtsc() + quiet;
	uint32_t seen = __atomic_load_n(&trace_ctl->dump_lines, __ATOMIC_RELAXED);
	unsigned done;
	while ((done = __atomic_load_n(&trace_ctl->dumps_done, __ATOMIC_ACQUIRE)) < up) {
		uint32_t now = __atomic_load_n(&trace_ctl->dump_lines, __ATOMIC_RELAXED);
		if (now != seen) {
			seen = now;
			end = rdtsc() + quiet;
		} else if (rdtsc() >= end) {
			break;
		}
		cpu_relax();
	}
	return done;
}

void trace_dump_all(bool wait)
{
	unsigned n = smp_cores_planned(), up = 0;
	if (!ctl_pa)
		return;
	trace_ctl->on = 0;
	for (unsigned i = 0; i < n; i++)
		up += core_status_get(i) == CORE_UP;
	__atomic_store_n(&trace_ctl->dumps_done, 0, __ATOMIC_RELEASE);
	if (cpu_self()->id == 0) {
		dump_self();
	} else if (!lapic_send_ipi(machine_topo()->cores[0].apic_id, VEC_TRACE)) {
		kprintf("TRACE done 0\n");
		return;
	}
	if (wait)
		kprintf("TRACE done %u\n", wait_dumps(up));
}

int64_t trace_syscall(uint64_t op)
{
	struct domain *d = cpu_self()->sched.current;
	if (!d->privileged && !(d->rights & DOMAIN_RIGHT_TRACE))
		return ERR_PERM;
	if (op < TRACE_OP_START || op > TRACE_OP_STATUS)
		return ERR_INVAL;
	if (!ctl_pa)
		return ERR_UNSUPPORTED;
	switch (op) {
	case TRACE_OP_START: trace_ctl->on = 1; return ERR_OK;
	case TRACE_OP_STOP:  trace_ctl->on = 0; return ERR_OK;
	case TRACE_OP_DUMP:  trace_dump_all(false); return ERR_OK;
	default:             return trace_ctl->on;
	}
}
