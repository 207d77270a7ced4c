/*
 * spanvm: map and unmap by messages in a domain that spans cores.
 *
 *   spanvm check N     span N cores; map a fresh frame on all of them
 *                      (libos_span_map); a worker on every core writes
 *                      its mark and reads everyone's (one page, every
 *                      core sees every write); unmap it (returns when all
 *                      cores dropped it); then the frame can be freed; and
 *                      the refusals: unmap of a page not mapped, of a
 *                      loader page, of a per-core page, map of a frame not
 *                      owned, map with bad flags
 *   spanvm probe N K   span N cores, map, unmap, then a thread on the
 *                      K-th core of the span touches the page: the domain
 *                      must end with #PF at that address (on that core)
 *   spanvm wprobe N K  span N cores, map two pages writable, protect
 *                      them read-only; every core reads them; then a
 *                      thread on the K-th core writes: the domain must end
 *                      with #PF at that address (on that core)
 *   spanvm stop N [C]  span N cores, map, stop core C of the span (the
 *                      last by default), unmap: must complete for the
 *                      live cores (the monitor names the stopped one), not
 *                      hang
 *   spanvm bprobe N K  as probe, but a thread on every other core of the
 *                      span keeps running (spinning) through the unmap, so
 *                      the domain runs there and every core must answer;
 *                      then the K-th core's thread touches the page
 *   spanvm lstop N C   span N cores, map, every core touches, unmap (the
 *                      other cores idle: the change is queued for them),
 *                      then core C of the span stops with it queued; then
 *                      80 protects (the stopped core's queue fills: the
 *                      full-queue path meets a dead core), a map and an
 *                      unmap: each completes, nothing hangs
 *   spanvm lazyfull N  span N cores, map two pages, 80 protects (read-only,
 *                      writable, ...) while the other cores idle, so their
 *                      queues fill and the full-queue path (messages)
 *                      takes over; every core then reads, and writes after
 *                      the last (writable) protect
 *   spanvm hostile N   the lazy queues are kernel memory: the privileged
 *                      calls that fill or apply them are refused to a
 *                      domain; SYS_SPAN_LAZY refuses a map, a loader or
 *                      per-core page, and answers ERR_BUSY (go through the
 *                      monitor) on an instance's core; with an unmap queued for the idle cores, of
 *                      the frames the pool gave out while it spanned none it
 *                      can map holds a span list or a queue (the lists and queues
 *                      are its pinned frames: ERR_PERM); an unknown mode
 *                      is refused by the monitor
 *   spanvm notify N    span N cores (fewer than the machine has): notifying
 *                      a core of the span works (it wakes the domain's own
 *                      instance there), a core outside it is refused
 *                      (ERR_PERM): a participant has no wider notify right
 *   spanvm homestop N  span N cores, a thread spinning on every other core
 *                      of the span, then stop the home's own core: the
 *                      monitors must end the other instances (their home
 *                      is gone); a thread still running HOMESTOP_MS later
 *                      says WRONG and ends its instance itself
 *   spanvm order N     one change at a time, against a domain that sends
 *                      raw requests without waiting (needs N + 1 cores
 *                      and the stop right): span N cores, stop the last
 *                      (so a change to it stays in flight until it is
 *                      declared down), send a map; while it is in
 *                      flight SYS_SPAN_LAZY, a second MON_VM_REQ and a
 *                      MON_SPAN_REQ must be refused (ERR_BUSY, answered
 *                      before the map); then stop core N and ask to span
 *                      it: while that span is being created a MON_VM_REQ
 *                      must be refused too; then an unmap, and the K = 2nd
 *                      core's touch must fault (nothing left mapped there)
 *   spanvm refused     before spanning, map a frame at a per-core address
 *                      (the trace ring's, free when tracing is off: never
 *                      exported, so the instance does not have it); span
 *                      2 cores; unmap it (lazy: queued for the idle
 *                      instance, the home's own done at once); then a
 *                      thread on the other core: that core's kernel
 *                      refuses the queued change (a per-core page), ends
 *                      the instance, and so the domain everywhere
 *   spanvm notifyonly  span 2 cores, spawn `spanvm waiter` on the other
 *                      core (a domain outside the span, blocked in
 *                      SYS_WAIT), notify that core 200 times: only the
 *                      domain's own instance may wake
 *   spanvm waiter MS   SYS_WAIT for MS ms, counting the wake-ups
 *   spanvm bench N R   R rounds: map, every core's worker touches the
 *                      page, unmap; the unmap's latency in cycles as seen
 *                      by the caller (median, p99); with `busy` after R a
 *                      thread spins on every other core through the rounds
 *                      (it touches the page when told), so the domain runs
 *                      on every core and each must answer
 * A last argument lazy, tree, unicast or seq picks how the monitors reach
 * the other cores (libos_span_vm_mode; lazy by default); bench takes `all`:
 * the four one after the other.
 *
 * Lines: "check ok ..." / "... WRONG ...", "probe: core C touches ...",
 * "bench N cores: median M p99 P cycles over R unmaps (mode)".
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <libos/span.h>
#include <libos/thread.h>
#include <sys/domain.h>
#include <sys/trace.h>

#define VA 0x0000005000000000ull
#define MAX 64u

static unsigned ncores;
static const char *mode_name = "lazy";
static volatile uint64_t *page = (volatile uint64_t *)VA;

static err_t span_to(unsigned n)
{
	unsigned home = libos_core_id();
	while (libos_span_ncores() < n) {
		err_t e = libos_span_add((home + libos_span_ncores()) % libos_ncores());
		if (e)
			return e;
	}
	return ERR_OK;
}

static int marker(void *arg)
{
	unsigned i = (unsigned)(uintptr_t)arg;
	page[i] = 0xabc000u + thread_core();
	return 0;
}

static bool run_on_all(int (*fn)(void *), unsigned n)
{
	struct thread *t[MAX];
	for (unsigned i = 0; i < n; i++)
		if (thread_create_on(libos_span_core(i), &t[i], fn, (void *)(uintptr_t)i))
			return false;
	for (unsigned i = 0; i < n; i++)
		thread_join(t[i], 0);
	return true;
}

static bool expect(const char *what, err_t got, err_t want)
{
	bool ok = got == want;
	printf("check: %s %s (got %s, want %s)\n", what, ok ? "ok" : "WRONG", err_str(got),
	       err_str(want));
	return ok;
}

static int reader(void *arg)
{
	unsigned i = (unsigned)(uintptr_t)arg;
	return page[i] == 0xabc000u + libos_span_core(i) &&
	       page[512 + i] == 0xdef000u + libos_span_core(i) ? 0 : 1;
}

static int marker2(void *arg)
{
	unsigned i = (unsigned)(uintptr_t)arg;
	page[i] = 0xabc000u + thread_core();
	page[512 + i] = 0xdef000u + thread_core();
	return 0;
}

/* every core still reads both pages (a refused change changed nothing) */
static bool all_read(unsigned n, const char *after)
{
	struct thread *t[MAX];
	int bad = 0, v = 0;
	for (unsigned i = 0; i < n; i++)
		if (thread_create_on(libos_span_core(i), &t[i], reader, (void *)(uintptr_t)i))
			return false;
	for (unsigned i = 0; i < n; i++) {
		thread_join(t[i], &v);
		bad += v;
	}
	printf("check: every core reads both pages after %s %s\n", after, bad ? "WRONG" : "ok");
	return !bad;
}

/* Ranges: two pages mapped at VA; unmap and protect of ranges, refusals change nothing. */
static bool ranges(unsigned n)
{
	int64_t a = sys_frame_alloc(), b = sys_frame_alloc();
	bool ok = a >= 0 && b >= 0;
	ok = ok && expect("map page 1 of 2", libos_span_map(VA, (uint64_t)a, SYS_MAP_WRITE), ERR_OK);
	ok = ok && expect("map page 2 of 2", libos_span_map(VA + 4096, (uint64_t)b,
							     SYS_MAP_WRITE), ERR_OK);
	if (!ok || !run_on_all(marker2, n))
		return false;
	ok &= expect("unmap of 3 pages, the third not mapped",
		     libos_span_unmap_range(VA, 3), ERR_NOENT);
	ok &= expect("unmap of a range with a loader page", libos_span_unmap_range(0x400000, 2),
		     ERR_PERM);
	ok &= expect("protect with W and X", libos_span_protect(VA, 2, SYS_MAP_WRITE |
								 SYS_MAP_EXEC), ERR_PERM);
	ok &= expect("protect of 3 pages, the third not mapped", libos_span_protect(VA, 3, 0),
		     ERR_NOENT);
	ok &= expect("protect of 0 pages", libos_span_protect(VA, 0, 0), ERR_RANGE);
	ok &= expect("protect, bad rights to the monitor", mon_vm(SPAN_VM_PROTECT, VA, 4, 1,
								   MON_VM_TREE), ERR_SYNTAX);
	ok &= expect("unmap of too many pages to the monitor", mon_vm(SPAN_VM_UNMAP, VA, 0,
							SPAN_VM_MAX_PAGES + 1, MON_VM_TREE), ERR_SYNTAX);
	ok &= expect("protect writable pages executable (W for X in one change)",
		     libos_span_protect(VA, 2, SYS_MAP_EXEC), ERR_PERM);
	ok &= all_read(n, "the refusals");
	ok &= expect("protect 2 pages read-only", libos_span_protect(VA, 2, 0), ERR_OK);
	ok &= all_read(n, "protect read-only");
	ok &= expect("protect read-only pages executable", libos_span_protect(VA, 2, SYS_MAP_EXEC),
		     ERR_OK);
	ok &= expect("protect executable pages writable (X for W in one change)",
		     libos_span_protect(VA, 2, SYS_MAP_WRITE), ERR_PERM);
	ok &= expect("protect them read-only again", libos_span_protect(VA, 2, 0), ERR_OK);
	ok &= expect("free while mapped read-only", sys_frame_free((uint64_t)a), ERR_BUSY);
	ok &= expect("protect 2 pages writable again", libos_span_protect(VA, 2, SYS_MAP_WRITE),
		     ERR_OK);
	ok &= run_on_all(marker2, n);
	ok &= expect("unmap of 2 pages", libos_span_unmap_range(VA, 2), ERR_OK);
	ok &= expect("free page 1 after", sys_frame_free((uint64_t)a), ERR_OK);
	ok &= expect("free page 2 after", sys_frame_free((uint64_t)b), ERR_OK);
	return ok;
}

static int check(unsigned n)
{
	int64_t pa = sys_frame_alloc();
	bool ok = pa >= 0 && expect("span", span_to(n), ERR_OK);
	ok = ok && expect("map on every core", libos_span_map(VA, (uint64_t)pa, SYS_MAP_WRITE),
			  ERR_OK);
	if (ok && run_on_all(marker, n)) {
		for (unsigned i = 0; i < n; i++)
			if (page[i] != 0xabc000u + libos_span_core(i)) {
				printf("check: WRONG: core %u's write not seen (%#llx)\n",
				       libos_span_core(i), (unsigned long long)page[i]);
				ok = false;
			}
		if (ok)
			printf("check: every core's write seen by the others (%u cores)\n", n);
	}
	ok &= expect("free while mapped", sys_frame_free((uint64_t)pa), ERR_BUSY);
	ok &= expect("unmap on every core", libos_span_unmap(VA), ERR_OK);
	ok &= expect("free after the unmap", sys_frame_free((uint64_t)pa), ERR_OK);
	ok &= expect("unmap of a page not mapped", libos_span_unmap(VA), ERR_NOENT);
	ok &= expect("unmap of a loader page", libos_span_unmap(0x400000), ERR_PERM);
	ok &= expect("unmap of a per-core page", libos_span_unmap(DOMAIN_DISPATCHER_VA), ERR_PERM);
	ok &= expect("map of a frame not owned", libos_span_map(VA, (uint64_t)pa,
								  SYS_MAP_WRITE), ERR_PERM);
	ok &= expect("map with bad flags", libos_span_map(VA, 0x1000, 7), ERR_INVAL);
	ok &= expect("SYS_UNMAP while spanning", sys_unmap(0x400000), ERR_SPANNED);
	ok &= ranges(n);
	printf("%s\n", ok ? "check ok" : "check WRONG");
	return ok ? 0 : 1;
}

static int toucher(void *arg)
{
	(void)arg;
	printf("probe: core %u touches %#llx after the unmap\n", thread_core(),
	       (unsigned long long)VA);
	return (int)page[0];
}

static int probe(unsigned n, unsigned k)
{
	int64_t pa = sys_frame_alloc();
	if (pa < 0 || span_to(n) || libos_span_map(VA, (uint64_t)pa, SYS_MAP_WRITE) ||
	    !run_on_all(marker, n) || libos_span_unmap(VA)) {
		printf("probe WRONG: set-up failed\n");
		return 1;
	}
	struct thread *t;
	thread_create_on(libos_span_core(k), &t, toucher, 0);
	thread_join(t, 0);
	printf("probe WRONG: core %u read the page after the unmap\n", libos_span_core(k));
	return 1;
}

static int writer(void *arg)
{
	(void)arg;
	printf("wprobe: core %u writes %#llx after protect read-only\n", thread_core(),
	       (unsigned long long)(VA + 4096));
	page[512] = 1;
	return 0;
}

static int wprobe(unsigned n, unsigned k)
{
	int64_t a = sys_frame_alloc(), b = sys_frame_alloc();
	if (a < 0 || b < 0 || span_to(n) || libos_span_map(VA, (uint64_t)a, SYS_MAP_WRITE) ||
	    libos_span_map(VA + 4096, (uint64_t)b, SYS_MAP_WRITE) || !run_on_all(marker2, n) ||
	    libos_span_protect(VA, 2, 0) || !all_read(n, "protect read-only")) {
		printf("wprobe WRONG: set-up failed\n");
		return 1;
	}
	struct thread *t;
	thread_create_on(libos_span_core(k), &t, writer, 0);
	thread_join(t, 0);
	printf("wprobe WRONG: core %u wrote the page after protect read-only\n",
	       libos_span_core(k));
	return 1;
}

static int stop(unsigned n, unsigned c)
{
	int64_t pa = sys_frame_alloc();
	if (pa < 0 || span_to(n) || libos_span_map(VA, (uint64_t)pa, SYS_MAP_WRITE) ||
	    !run_on_all(marker, n)) {
		printf("stop WRONG: set-up failed\n");
		return 1;
	}
	unsigned victim = libos_span_core(c);
	err_t e = mon_stop_core(victim);
	printf("stop: core %u stopped (%s); unmapping\n", victim, err_str(e));
	e = libos_span_unmap(VA);
	printf("stop %s: the unmap returned %s with core %u stopped\n",
	       e == ERR_OK ? "ok" : "WRONG", err_str(e), victim);
	unsigned last = libos_span_core(n - 1);
	if (e != ERR_OK || last == victim)
		return e == ERR_OK ? 0 : 1;
	struct thread *t;           /* the page is gone beyond the stopped core too */
	thread_create_on(last, &t, toucher, 0);
	thread_join(t, 0);
	printf("stop WRONG: core %u read the page after the unmap\n", last);
	return 1;
}

/* Spinners: a thread per other core that runs until told, touching page[i] on request. */
static volatile uint32_t spin_round, spin_stop, spin_acks;

static int spinner(void *arg)
{
	unsigned i = (unsigned)(uintptr_t)arg;
	uint32_t seen = 0;
	while (!spin_stop) {
		uint32_t r = spin_round;
		if (r == seen)
			continue;
		seen = r;
		if (r & 0x80000000u) {           /* the probe: the chosen one touches */
			if ((r & 0xffffu) != i)
				return 0;
			printf("bprobe: core %u touches %#llx after the unmap (it ran "
			       "throughout)\n", thread_core(), (unsigned long long)VA);
			return (int)page[0];
		}
		page[i] = 0xabc000u + thread_core();
		__atomic_fetch_add(&spin_acks, 1, __ATOMIC_SEQ_CST);
	}
	return 0;
}

static struct thread *spinners[MAX];

/* A spinner on every core of the span but the home (index 0). */
static bool spin_start(unsigned n)
{
	spin_stop = 0;
	spin_round = 0;
	for (unsigned i = 1; i < n; i++)
		if (thread_create_on(libos_span_core(i), &spinners[i], spinner,
				     (void *)(uintptr_t)i))
			return false;
	return true;
}

/* Every spinner writes its mark once. */
static void spin_touch(unsigned n)
{
	spin_acks = 0;
	__atomic_fetch_add(&spin_round, 1, __ATOMIC_SEQ_CST);
	while (spin_acks < n - 1)
		thread_yield();
}

static void spin_end(unsigned n)
{
	spin_stop = 1;
	for (unsigned i = 1; i < n; i++)
		thread_join(spinners[i], 0);
}

static int bprobe(unsigned n, unsigned k)
{
	int64_t pa = sys_frame_alloc();
	if (pa < 0 || span_to(n) || libos_span_map(VA, (uint64_t)pa, SYS_MAP_WRITE) ||
	    !spin_start(n)) {
		printf("bprobe WRONG: set-up failed\n");
		return 1;
	}
	spin_touch(n);
	err_t e = libos_span_unmap(VA);
	printf("bprobe: unmap with the domain running on %u other cores: %s\n", n - 1,
	       err_str(e));
	if (k == 0) {
		printf("bprobe: core %u touches %#llx after the unmap\n", thread_core(),
		       (unsigned long long)VA);
		return (int)page[0];
	}
	spin_round = 0x80000000u | k;   /* all but the K-th end; it touches */
	for (unsigned i = 1; i < n; i++)
		thread_join(spinners[i], 0);
	printf("bprobe WRONG: core %u read the page after the unmap\n", libos_span_core(k));
	return 1;
}

static int lstop(unsigned n, unsigned c)
{
	int64_t pa = sys_frame_alloc(), pb = sys_frame_alloc();
	if (pa < 0 || pb < 0 || span_to(n) || libos_span_map(VA, (uint64_t)pa, SYS_MAP_WRITE) ||
	    libos_span_map(VA + 4096, (uint64_t)pb, SYS_MAP_WRITE) || !run_on_all(marker, n)) {
		printf("lstop WRONG: set-up failed\n");
		return 1;
	}
	unsigned victim = libos_span_core(c);
	bool ok = expect("unmap, queued for the idle cores", libos_span_unmap(VA), ERR_OK);
	err_t e = mon_stop_core(victim);
	printf("lstop: core %u stopped with the unmap queued for it (%s)\n", victim, err_str(e));
	for (unsigned i = 0; i < 80 && ok; i++)
		ok = expect("protect with a core stopped", libos_span_protect(VA + 4096, 1,
								  i % 2 ? SYS_MAP_WRITE : 0), ERR_OK);
	ok = ok && expect("map with a core stopped", libos_span_map(VA, (uint64_t)pa,
								  SYS_MAP_WRITE), ERR_OK);
	ok = ok && expect("unmap with a core stopped", libos_span_unmap_range(VA, 2), ERR_OK);
	ok = ok && expect("free after", sys_frame_free((uint64_t)pa), ERR_OK);
	printf("lstop %s\n", ok ? "ok" : "WRONG");
	return ok ? 0 : 1;
}

static int lazyfull(unsigned n)
{
	int64_t a = sys_frame_alloc(), b = sys_frame_alloc();
	bool ok = a >= 0 && b >= 0 && span_to(n) == ERR_OK;
	ok = ok && expect("map page 1 of 2", libos_span_map(VA, (uint64_t)a, SYS_MAP_WRITE), ERR_OK);
	ok = ok && expect("map page 2 of 2", libos_span_map(VA + 4096, (uint64_t)b,
							     SYS_MAP_WRITE), ERR_OK);
	ok = ok && run_on_all(marker2, n);
	for (unsigned i = 0; i < 80 && ok; i++)
		ok = libos_span_protect(VA, 2, i % 2 ? SYS_MAP_WRITE : 0) == ERR_OK;
	printf("check: 80 protects with the other cores idle %s\n", ok ? "ok" : "WRONG");
	ok = ok && all_read(n, "80 protects");
	ok = ok && run_on_all(marker2, n) && all_read(n, "the writes after 80 protects");
	ok = ok && expect("unmap of 2 pages", libos_span_unmap_range(VA, 2), ERR_OK);
	printf("lazyfull %s\n", ok ? "ok" : "WRONG");
	return ok ? 0 : 1;
}

static int lazy_from_instance(void *arg);

static int notify(unsigned n)
{
	bool ok = expect("span", span_to(n), ERR_OK);
	unsigned inside = libos_span_core(n - 1), outside = (libos_core_id() + n) % ncores;
	ok &= expect("notify a core of the span", sys_notify(inside), ERR_OK);
	ok &= expect("notify a core outside the span", sys_notify(outside), ERR_PERM);
	struct thread *t;
	int v = -1;             /* a thread there runs: its wake-ups work */
	if (thread_create_on(inside, &t, lazy_from_instance, 0) == ERR_OK)
		thread_join(t, &v);
	ok &= expect("a thread on the other core ran and answered", (err_t)v, ERR_BUSY);
	printf("notify %s\n", ok ? "ok" : "WRONG");
	return ok ? 0 : 1;
}

static int lazy_from_instance(void *arg)
{
	(void)arg;
	return sys_span_lazy(SPAN_VM_UNMAP, 0x400000, 0, 1);
}

/*
 * The frame scan: a frame taken just before the spans and one just after
 * bracket every frame the pool gave out meanwhile, the spans' lists and
 * queues among them (kernel/pmm.c: next fit from a hint that only moves
 * up); the test checks the kernel's export lines against the range.  The
 * first span comes before the bracket: it makes the heap and the thread
 * stacks (thousands of frames of its own, each a map through the tree).
 */
#define SCAN_MAX 2048u
#define SCAN_EDGE 8u

static int hostile(unsigned n)
{
	uint64_t need[4];
	bool ok = expect("span", span_to(2), ERR_OK);   /* its heap and stacks are made */
	int64_t before = sys_frame_alloc();     /* the pool hands out frames upwards: */
	ok &= expect("span", span_to(n), ERR_OK);
	int64_t f = sys_frame_alloc();          /* these spans' lists lie between the two */
	ok &= f >= 0 && before >= 0 && f > before && f - before < (int64_t)SCAN_MAX * 4096;
	ok &= expect("SYS_SPAN_VM (queue a change) from a domain",
		     (err_t)sys_raw(SYS_SPAN_VM, 1, SPAN_VM_QUEUE_UNMAP, VA, 0, 1,
				    (uint64_t)need), ERR_PERM);
	ok &= expect("SYS_SPAN_REPLICA (apply the queue) from a domain",
		     (err_t)sys_raw(SYS_SPAN_REPLICA, libos_core_id(), 1, SPAN_VM_UNMAP, VA, 0, 1),
		     ERR_PERM);
	ok &= expect("an unknown mode to the monitor", mon_vm(SPAN_VM_UNMAP, VA, 0, 1, 4),
		     ERR_SYNTAX);
	ok &= expect("SYS_SPAN_LAZY with op map", sys_span_lazy(SPAN_VM_MAP, VA, 0, 1), ERR_INVAL);
	ok &= expect("SYS_SPAN_LAZY of a loader page", sys_span_lazy(SPAN_VM_UNMAP, 0x400000, 0, 1),
		     ERR_PERM);
	ok &= expect("SYS_SPAN_LAZY of a per-core page", sys_span_lazy(SPAN_VM_UNMAP,
							DOMAIN_DISPATCHER_VA, 0, 1), ERR_PERM);
	struct thread *t;
	int v = -1;
	if (thread_create_on(libos_span_core(1), &t, lazy_from_instance, 0) == ERR_OK)
		thread_join(t, &v);
	ok &= expect("SYS_SPAN_LAZY on an instance's core (not the home)", (err_t)v, ERR_BUSY);
	/* A change in every queue now: the other cores idle, so it waits there. */
	ok &= f >= 0 && expect("map", libos_span_map(VA, (uint64_t)f, SYS_MAP_WRITE), ERR_OK);
	ok &= expect("unmap, queued", libos_span_unmap(VA), ERR_OK);
	unsigned mapped = 0, refused = 0, kernel = 0;
	uint64_t lo = (uint64_t)before - SCAN_EDGE * 4096, hi = (uint64_t)f + SCAN_EDGE * 4096;
	for (uint64_t pa = lo; pa <= hi && ok; pa += 4096) {
		err_t e = libos_span_map(VA, pa, SYS_MAP_WRITE);
		if (e != ERR_OK) {
			refused += e == ERR_PERM;
			continue;
		}
		mapped++;        /* one of its own frames (heap, stacks): a legal alias */
		const volatile uint32_t *w = (const volatile uint32_t *)VA;
		const volatile uint64_t *q = (const volatile uint64_t *)VA;
		if (w[0] == SPAN_LIST_MAGIC || (w[32] == SPAN_VM_UNMAP && q[17] == VA))
			kernel++;        /* a span list, or a queue holding our unmap */
		libos_span_unmap(VA);
	}
	printf("check: of the %llu frames allocated around the spans the domain mapped %u (its "
	       "own), %u refused, %u holding a span list or queue %s\n",
	       (unsigned long long)(hi - lo) / 4096 + 1, mapped, refused, kernel,
	       kernel == 0 && refused > 0 ? "ok" : "WRONG");
	printf("hostile: domain %u scanned frames %#llx..%#llx\n", (unsigned)sys_domain_id(),
	       (unsigned long long)lo, (unsigned long long)hi);
	ok &= kernel == 0 && refused > 0;
	printf("hostile %s\n", ok ? "ok" : "WRONG");
	return ok ? 0 : 1;
}

static uint64_t now_ms(void)
{
	return libos_tsc() / (libos_tsc_hz() / 1000);
}

/* Raw requests (no waiting for the answer), as a hostile domain may send them. */
static err_t raw_vm(uint32_t id, uint32_t op, uint64_t va, uint64_t pa_flags)
{
	struct mon_vm m;
	memset(&m, 0, sizeof m);
	m.h.req_id = id;
	m.op = op;
	m.va = va;
	m.pa_flags = pa_flags;
	m.pages = 1;
	m.mode = MON_VM_TREE;
	return mon_send_raw(MON_VM_REQ, &m, sizeof m);
}

static err_t raw_span(uint32_t id, unsigned core)
{
	struct mon_span m;
	memset(&m, 0, sizeof m);
	m.h.req_id = id;
	m.core = core;
	return mon_send_raw(MON_SPAN_REQ, &m, sizeof m);
}

#define ORDER_WAIT_TICKS (60 * TICK_HZ)

/* The answers to the n raw requests ids[]: errs[i], and rank[i] = arrival order. */
static bool collect(const uint32_t *ids, unsigned n, err_t *errs, unsigned *rank)
{
	uint8_t buf[MON_MSG_MAX] __attribute__((aligned(8)));
	unsigned got = 0;
	for (unsigned i = 0; i < n; i++)
		rank[i] = ~0u;
	while (got < n) {
		uint16_t t;
		size_t len;
		if (mon_recv_raw(&t, buf, sizeof buf, &len, ORDER_WAIT_TICKS))
			return false;
		const struct mon_hdr *h = (const struct mon_hdr *)buf;
		for (unsigned i = 0; i < n && len >= sizeof *h; i++)
			if (h->req_id == ids[i] && rank[i] == ~0u) {
				errs[i] = h->err;
				rank[i] = got++;
			}
	}
	return true;
}

static int order(unsigned n)
{
	int64_t f = sys_frame_alloc();
	unsigned extra = (libos_core_id() + n) % ncores;   /* not in the span */
	if (f < 0 || span_to(n)) {
		printf("order WRONG: set-up failed\n");
		return 1;
	}
	unsigned victim = libos_span_core(n - 1);
	bool ok = expect("stop the last core of the span", mon_stop_core(victim), ERR_OK);
	ok &= expect("send a map (tree)", raw_vm(0x7001, SPAN_VM_MAP, VA, (uint64_t)f |
						 SYS_MAP_WRITE), ERR_OK);
	err_t e = ERR_NOENT;     /* not mapped until the monitor took the map */
	for (uint64_t t0 = now_ms(); e == ERR_NOENT && now_ms() - t0 < 30000; sys_yield())
		e = (err_t)sys_span_lazy(SPAN_VM_UNMAP, VA, 0, 1);
	ok &= expect("SYS_SPAN_LAZY unmap while the map is in flight", e, ERR_BUSY);
	ok &= expect("send an unmap (tree)", raw_vm(0x7002, SPAN_VM_UNMAP, VA, 0), ERR_OK);
	ok &= expect("send a span request", raw_span(0x7003, extra), ERR_OK);
	uint32_t ids[3] = { 0x7001, 0x7002, 0x7003 };
	err_t errs[3] = { 0 };
	unsigned rank[3];
	if (!collect(ids, 3, errs, rank)) {
		printf("order WRONG: not every request was answered\n");
		return 1;
	}
	ok &= expect("the map, with its core stopped", errs[0], ERR_OK);
	ok &= expect("the unmap sent while the map was in flight", errs[1], ERR_BUSY);
	ok &= expect("the span request sent while the map was in flight", errs[2], ERR_BUSY);
	printf("check: both refusals answered before the map %s\n",
	       rank[1] < rank[0] && rank[2] < rank[0] ? "ok" : "WRONG");
	ok &= rank[1] < rank[0] && rank[2] < rank[0];

	ok &= expect("stop another core", mon_stop_core(extra), ERR_OK);
	ok &= expect("send a span request to it", raw_span(0x7004, extra), ERR_OK);
	ok &= expect("send a protect (tree)", raw_vm(0x7005, SPAN_VM_PROTECT, VA, 0), ERR_OK);
	ids[0] = 0x7004;
	ids[1] = 0x7005;
	if (!collect(ids, 2, errs, rank)) {
		printf("order WRONG: not every request was answered\n");
		return 1;
	}
	printf("check: the span to a stopped core failed (%s) %s\n", err_str(errs[0]),
	       errs[0] == ERR_DEAD || errs[0] == ERR_TIMEOUT ? "ok" : "WRONG");
	ok &= errs[0] == ERR_DEAD || errs[0] == ERR_TIMEOUT;
	ok &= expect("the protect sent while the span was being created", errs[1], ERR_BUSY);
	printf("check: refused before the span's answer %s\n", rank[1] < rank[0] ? "ok" : "WRONG");
	ok &= rank[1] < rank[0];
	ok &= expect("unmap", libos_span_unmap(VA), ERR_OK);
	printf("order %s\n", ok ? "ok" : "WRONG");
	if (!ok)
		return 1;
	struct thread *t;       /* nothing of the map is left on the second core */
	thread_create_on(libos_span_core(1), &t, toucher, 0);
	thread_join(t, 0);
	printf("order WRONG: core %u read the page after the unmap\n", libos_span_core(1));
	return 1;
}

#define REFUSED_WAIT_MS 60000u

static int never(void *arg)
{
	(void)arg;
	printf("refused WRONG: core %u ran the instance with a change it could not take\n",
	       thread_core());
	return 0;
}

static int refused(void)
{
	int64_t f = sys_frame_alloc();
	bool ok = f >= 0 && expect("map at a per-core address before spanning",
				   sys_map(DOMAIN_TRACE_VA, (uint64_t)f, SYS_MAP_WRITE), ERR_OK);
	ok = ok && expect("span", span_to(2), ERR_OK);
	ok = ok && expect("unmap it (queued for the idle instance)",
			  libos_span_unmap(DOMAIN_TRACE_VA), ERR_OK);
	struct thread *t;
	ok = ok && thread_create_on(libos_span_core(1), &t, never, 0) == ERR_OK;
	printf("refused: a thread for core %u; its kernel must refuse the queued change%s\n",
	       libos_span_core(1), ok ? "" : " (set-up WRONG)");
	uint64_t t0 = now_ms();
	while (now_ms() - t0 < REFUSED_WAIT_MS)
		thread_sleep_us(100000);
	printf("refused WRONG: the domain still runs %u ms later\n", REFUSED_WAIT_MS);
	return 1;
}

#define NOTIFIES 200u

static int notifyonly(void)
{
	bool ok = expect("span", span_to(2), ERR_OK);
	unsigned other = libos_span_core(1);
	const char *args[] = { "waiter", "10000" };
	uint32_t id;
	ok &= expect("spawn a waiter on the other core", mon_spawn(other, "spanvm", 2, args, &id),
		     ERR_OK);
	unsigned sent = 0;
	for (unsigned i = 0; i < NOTIFIES && ok; i++, sys_yield())
		sent += sys_notify(other) == ERR_OK;
	printf("notifyonly: %u of %u notifications of core %u accepted %s\n", sent, NOTIFIES,
	       other, sent == NOTIFIES ? "ok" : "WRONG");
	return ok && sent == NOTIFIES ? 0 : 1;
}

static int waiter(unsigned ms)
{
	unsigned woken = 0, timeouts = 0;
	uint64_t t0 = now_ms();
	while (now_ms() - t0 < ms) {
		err_t e = sys_wait(TICK_HZ / 4);
		woken += e == ERR_OK;
		timeouts += e == ERR_TIMEOUT;
	}
	printf("waiter: woken %u times in %u ms (%u waits ran out) %s\n", woken, ms, timeouts,
	       woken == 0 ? "ok" : "WRONG");
	return woken == 0 ? 0 : 1;
}

#define HOMESTOP_MS 60000u
static volatile uint32_t homestop_started;

/* Runs until its instance is ended from outside; HOMESTOP_MS at most. */
static int orphan(void *arg)
{
	(void)arg;
	uint64_t t0 = now_ms();
	printf("homestop: core %u runs its instance's thread\n", thread_core());
	__atomic_fetch_add(&homestop_started, 1, __ATOMIC_SEQ_CST);
	while (now_ms() - t0 < HOMESTOP_MS)
		;
	printf("homestop WRONG: core %u still runs its instance %u ms after its home's core "
	       "stopped\n", thread_core(), HOMESTOP_MS);
	exit(1);
}

static int homestop(unsigned n)
{
	struct thread *t;
	if (span_to(n)) {
		printf("homestop WRONG: set-up failed\n");
		return 1;
	}
	for (unsigned i = 1; i < n; i++)
		if (thread_create_on(libos_span_core(i), &t, orphan, 0)) {
			printf("homestop WRONG: no thread on core %u\n", libos_span_core(i));
			return 1;
		}
	while (homestop_started < n - 1)
		thread_yield();
	printf("homestop: stopping core %u, the home's own\n", libos_core_id());
	err_t e = mon_stop_core(libos_core_id());
	printf("homestop WRONG: the home still runs after stopping its core (%s)\n", err_str(e));
	return 1;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void sort(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && cmp(&v[j - 1], &v[j]) > 0; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static bool busy;
static const char *const modes[] = { "tree", "unicast", "seq", "lazy" };   /* MON_VM_* */
#define NMODES 4u
static unsigned bench_modes[NMODES], nbench_modes;   /* empty: the current mode */

/* One round in mode m: map, every core touches, the timed unmap. */
static bool bench_round(unsigned n, int64_t pa, unsigned m, uint64_t *lat)
{
	libos_span_vm_mode(m);
	if (libos_span_map(VA, (uint64_t)pa, SYS_MAP_WRITE))
		return false;
	if (busy)
		spin_touch(n);
	else if (!run_on_all(marker, n))
		return false;
	uint64_t t0 = libos_tsc_serialized();
	err_t e = libos_span_unmap(VA);
	*lat = libos_tsc_serialized() - t0;
	if (e)
		printf("bench WRONG: unmap (%s): %s\n", modes[m], err_str(e));
	return e == ERR_OK;
}

/*
 * R rounds; with several modes the rounds alternate between them (A/B/A/B
 * in one boot, so the host's load falls on every mode alike).
 */
static int bench(unsigned n, unsigned rounds)
{
	static uint64_t lat[NMODES][1000];
	int64_t pa = sys_frame_alloc();
	if (nbench_modes == 0) {
		for (unsigned m = 0; m < NMODES; m++)
			if (strcmp(modes[m], mode_name) == 0)
				bench_modes[nbench_modes++] = m;
	}
	if (pa < 0 || span_to(n) || (busy && !spin_start(n))) {
		printf("bench WRONG: set-up failed\n");
		return 1;
	}
	for (unsigned r = 0; r < rounds; r++)
		for (unsigned i = 0; i < nbench_modes; i++)
			if (!bench_round(n, pa, bench_modes[i], &lat[i][r])) {
				printf("bench WRONG: round %u\n", r);
				return 1;
			}
	if (busy)
		spin_end(n);
	for (unsigned i = 0; i < nbench_modes; i++) {
		sort(lat[i], rounds);
		unsigned p99 = (rounds * 99) / 100 < rounds ? (rounds * 99) / 100 : rounds - 1;
		printf("bench %u cores: median %llu p99 %llu cycles over %u unmaps (%s%s)\n", n,
		       (unsigned long long)lat[i][rounds / 2], (unsigned long long)lat[i][p99],
		       rounds, modes[bench_modes[i]], busy ? ", busy" : "");
	}
	return 0;
}

static unsigned arg(int argc, char **argv, int i, unsigned dflt, unsigned max)
{
	uint64_t v;
	if (argc <= i)
		return dflt;
	if (parse_u64(argv[i], &v) != ERR_OK || v == 0 || v > max)
		return 0;
	return (unsigned)v;
}

/* Mode m's index from its name, NMODES if none. */
static unsigned mode_index(const char *name, unsigned len)
{
	for (unsigned m = 0; m < NMODES; m++)
		if (strlen(modes[m]) == len && memcmp(modes[m], name, len) == 0)
			return m;
	return NMODES;
}

/*
 * A last argument naming a mode sets it and is dropped; `all` or a comma
 * list (lazy,tree) names the modes bench alternates between.
 */
static int take_mode(int argc, char **argv)
{
	if (argc <= 2)
		return argc;
	const char *a = argv[argc - 1];
	if (strcmp(a, "all") == 0) {
		for (unsigned m = 0; m < NMODES; m++)
			bench_modes[nbench_modes++] = m;
		return argc - 1;
	}
	unsigned list[NMODES], k = 0;
	for (const char *p = a;;) {
		const char *e = strchr(p, ',');
		unsigned len = e ? (unsigned)(e - p) : (unsigned)strlen(p);
		unsigned m = mode_index(p, len);
		if (m == NMODES || k == NMODES)
			return argc;             /* not a mode list: an ordinary argument */
		list[k++] = m;
		if (!e)
			break;
		p = e + 1;
	}
	libos_span_vm_mode(list[0]);
	mode_name = modes[list[0]];
	if (k > 1)
		for (unsigned i = 0; i < k; i++)
			bench_modes[nbench_modes++] = list[i];
	return argc - 1;
}

int main(int argc, char **argv)
{
	argc = take_mode(argc, argv);
	const char *mode = argc > 1 ? argv[1] : "check";
	ncores = libos_ncores();
	if (strcmp(mode, "waiter") == 0)
		return waiter(arg(argc, argv, 2, 10000, 600000));
	unsigned n = arg(argc, argv, 2, ncores < 4 ? ncores : 4, ncores < MAX ? ncores : MAX);
	if (!n) {
		printf("bad core count (1..%u)\n", ncores);
		return 2;
	}
	if (strcmp(mode, "check") == 0)
		return check(n);
	if (strcmp(mode, "probe") == 0) {
		unsigned k = arg(argc, argv, 3, 1, MAX);
		return k && k <= n ? probe(n, k - 1) : 2;
	}
	if (strcmp(mode, "wprobe") == 0) {
		unsigned k = arg(argc, argv, 3, 1, MAX);
		return k && k <= n ? wprobe(n, k - 1) : 2;
	}
	if (strcmp(mode, "stop") == 0) {
		unsigned c = arg(argc, argv, 3, n, MAX);
		return c && c <= n && c > 1 ? stop(n, c - 1) : 2;
	}
	if (strcmp(mode, "bprobe") == 0) {
		unsigned k = arg(argc, argv, 3, 1, MAX);
		return k && k <= n && n > 1 ? bprobe(n, k - 1) : 2;
	}
	if (strcmp(mode, "lstop") == 0) {
		unsigned c = arg(argc, argv, 3, n, MAX);
		return c && c <= n && c > 1 ? lstop(n, c - 1) : 2;
	}
	if (strcmp(mode, "lazyfull") == 0)
		return lazyfull(n);
	if (strcmp(mode, "hostile") == 0)
		return hostile(n);
	if (strcmp(mode, "notify") == 0)
		return n > 1 && n < ncores ? notify(n) : 2;
	if (strcmp(mode, "refused") == 0)
		return refused();
	if (strcmp(mode, "notifyonly") == 0)
		return notifyonly();
	if (strcmp(mode, "order") == 0)
		return n > 2 && n < ncores ? order(n) : 2;
	if (strcmp(mode, "homestop") == 0)
		return n > 1 ? homestop(n) : 2;
	if (strcmp(mode, "bench") == 0) {
		busy = argc > 4 && strcmp(argv[4], "busy") == 0;
		unsigned r = arg(argc, argv, 3, 100, 1000);
		return r ? bench(n, r) : 2;
	}
	printf("unknown mode '%s' (check N, probe N K, wprobe N K, bprobe N K, stop N [C], "
	       "lstop N C, lazyfull N, hostile N, order N, refused, notifyonly, waiter MS, homestop N, bench N R [busy])\n",
	       mode);
	return 2;
}
