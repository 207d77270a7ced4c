/*
 * chanflood.c: floods of the channel between a domain and its monitor
 * (monattack deaf, evflood and calls; command lines in monattack.c).
 *
 * deaf N: N MON_LOOKUP_REQs sent raw, their answers left unread for 5 s.
 * The monitor answers each (a lookup is answered from its own replica);
 * the channel (one page) holds a few answers, the monitor's queue for this
 * domain 256 more (monitor/outq.h), and the rest are refused with one log
 * line for the episode.  Then the kept answers must all come, in order,
 * none missing in between, and none of the refused ones.  Twice (two
 * episodes, two lines), then an ordinary call must work.
 *
 * evflood N: answers nobody waits for, while a call waits for its own,
 * become events in libos/monclient.c's heap queue.  First with the heap
 * full (a page mapped just past its top, so it cannot grow, and every free
 * byte taken): all N are dropped, each with a line, and counted by
 * mon_events_dropped(); the call still gets its answer.  Then with the
 * heap back (blocks freed, the wall unmapped): N more are queued, none
 * dropped.
 *
 * calls N: N lookups of "echo" 0.5 s apart, one line each ("calls: K of N
 * answered (result)"; "no such entry" is an answer too: echo ends when its
 * client is done), from another domain of deaf's core: the test sees them
 * answered while deaf's queue is full.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <sys/domain.h>
#include "monattack.h"

#define DEAF_TICKS 500u         /* how long deaf leaves its answers unread */
#define DEAF_QUEUE 256          /* the monitor's queue per domain (monitor/local.c) */
#define DRAIN_TICKS 100         /* an episode's answers have all come after this quiet */
#define CALLS_TICKS 50          /* between two of calls' lookups */
#define RAW_ID 0x40000000u      /* req ids of raw requests: never monclient's own */
#define FILL_VA_LIMIT (DOMAIN_HEAP_BASE + LIBOS_HEAP_MAX)

static err_t send_lookup(uint32_t req_id, const char *name)
{
	struct mon_name_req m;
	memset(&m, 0, sizeof m);
	m.h.req_id = req_id;
	for (size_t i = 0; name[i] && i + 1 < sizeof m.name; i++)
		m.name[i] = name[i];
	return mon_send_raw(MON_LOOKUP_REQ, &m, sizeof m);
}

/* Sends n lookups with req ids first.., answers unread; how many went. */
static unsigned send_lookups(uint32_t first, unsigned n)
{
	unsigned i = 0;
	while (i < n && send_lookup(first + i, "echo") == ERR_OK)
		i++;
	return i;
}

static void wait_ticks(uint64_t ticks)
{
	uint64_t per_tick = libos_tsc_hz() / TICK_HZ, end = libos_tsc() + ticks * per_tick;
	while (libos_tsc() < end) /* a notification may end a wait early */
		sys_wait((end - libos_tsc()) / per_tick + 1);
}

/*
 * Reads answers until none came for a while: *got of them, the first
 * *in_order of which carry req ids first, first + 1, ... (no gap).
 * Returns the milliseconds from the first read to the last answer (a
 * measurement: how fast the monitor refills the channel as it is read).
 */
static uint64_t read_answers(uint32_t first, unsigned *got, unsigned *in_order)
{
	uint8_t buf[MON_MSG_MAX] __attribute__((aligned(8)));
	uint16_t type;
	size_t len;
	uint64_t start = libos_tsc(), last = start;
	*got = *in_order = 0;
	while (mon_recv_raw(&type, buf, sizeof buf, &len, DRAIN_TICKS) == ERR_OK) {
		const struct mon_hdr *h = (const struct mon_hdr *)buf;
		if (len >= sizeof *h && type == MON_LOOKUP_REPLY && *in_order == *got &&
		    h->req_id == first + *got)
			(*in_order)++;
		(*got)++;
		last = libos_tsc();
	}
	return (last - start) / (libos_tsc_hz() / 1000);
}

static void deaf_episode(unsigned episode, uint32_t first, unsigned n)
{
	unsigned sent = send_lookups(first, n), got, in_order;
	printf("deaf: episode %u: %u requests sent, answers unread for %u s\n", episode, sent,
	       DEAF_TICKS / TICK_HZ);
	wait_ticks(DEAF_TICKS);
	printf("deaf: episode %u: reading\n", episode);
	uint64_t ms = read_answers(first, &got, &in_order);
	printf("deaf: episode %u: %u answers, %u in order, %u refused\n", episode, got, in_order,
	       sent - got);
	printf("deaf: episode %u: read in %llu ms\n", episode, (unsigned long long)ms);
	if (sent != n)
		fail("deaf", "not every request could be sent", ERR_TIMEOUT);
	if (in_order != got)
		fail("deaf", "answers came out of order or with a gap", ERR_SYNTAX);
	if (got <= DEAF_QUEUE || got >= sent)
		fail("deaf", "the monitor did not queue 256 answers and refuse the rest", ERR_RANGE);
}

int attack_deaf(uint64_t requests)
{
	if (requests <= DEAF_QUEUE + 64 || requests > 100000) {
		printf("monattack WRONG: deaf needs 320..100000 requests\n");
		return 2;
	}
	deaf_episode(1, RAW_ID, (unsigned)requests);
	deaf_episode(2, RAW_ID + (unsigned)requests, (unsigned)requests);
	uint32_t core, dom;
	err_t e = mon_lookup("echo", &core, &dom);
	printf("deaf: a call after both episodes: %s\n", err_str(e));
	if (e && e != ERR_NOENT) /* answered: echo may have ended */
		fail("deaf", "the monitor no longer answers after the floods", e);
	return verdict("deaf");
}

int attack_calls(uint64_t calls)
{
	unsigned ok = 0;
	for (unsigned i = 0; i < calls; i++) {
		uint32_t core, dom;
		err_t e = mon_lookup("echo", &core, &dom);
		ok += e == ERR_OK || e == ERR_NOENT; /* answered (echo may have ended) */
		printf("calls: %u of %u answered (%s)\n", ok, (unsigned)calls, err_str(e));
		wait_ticks(CALLS_TICKS);
	}
	if (ok != calls)
		fail("calls", "a lookup on the deaf domain's core failed", ERR_TIMEOUT);
	return verdict("calls");
}

/* Blocks taken to fill the heap, each holding the next. */
struct hoard {
	struct hoard *next;
};

/*
 * The heap cannot grow: a frame of ours mapped at the first page past its
 * top (it grows contiguously from DOMAIN_HEAP_BASE).  Its address, or 0.
 */
static uint64_t wall_pa;

static uint64_t block_heap_growth(void)
{
	int64_t pa = sys_frame_alloc();
	if (pa < 0)
		return 0;
	wall_pa = (uint64_t)pa;
	for (uint64_t va = DOMAIN_HEAP_BASE; va < FILL_VA_LIMIT; va += 4096)
		if (sys_map(va, wall_pa, SYS_MAP_WRITE) == ERR_OK)
			return va;
	sys_frame_free(wall_pa);
	return 0;
}

/* The wall goes: the heap may grow again. */
static void unblock_heap_growth(uint64_t va)
{
	if (va && sys_unmap(va) == ERR_OK)
		sys_frame_free(wall_pa);
}

/* Takes every free byte of the heap (blocks halving down to 16 bytes). */
static struct hoard *fill_heap(size_t *bytes)
{
	struct hoard *all = 0;
	*bytes = 0;
	for (size_t size = 1u << 20; size >= 16; size /= 2) {
		struct hoard *b;
		while ((b = malloc(size))) {
			b->next = all;
			all = b;
			*bytes += size;
		}
	}
	return all;
}

static void free_hoard(struct hoard *all)
{
	while (all) {
		struct hoard *next = all->next;
		free(all);
		all = next;
	}
}

/*
 * n unasked answers arrive while a lookup waits for its own: its result.
 * "no such entry" is an answer too: echo (on another core) may not have
 * registered yet, or may have ended.
 */
static err_t call_through(uint32_t first, unsigned n)
{
	uint32_t core, dom;
	if (send_lookups(first, n) != n)
		return ERR_TIMEOUT;
	return mon_lookup("echo", &core, &dom);
}

static bool answered(err_t e)
{
	return e == ERR_OK || e == ERR_NOENT;
}

int attack_evflood(uint64_t events)
{
	if (events < 1 || events > 200) {
		printf("monattack WRONG: evflood needs 1..200 events\n");
		return 2;
	}
	unsigned n = (unsigned)events;
	free(malloc(4096)); /* the heap has pages of its own before it is walled in */
	uint64_t wall = block_heap_growth();
	size_t bytes;
	struct hoard *all = fill_heap(&bytes);
	printf("evflood: heap full (grows no further than %#llx; %llu bytes taken)\n",
	       (unsigned long long)wall, (unsigned long long)bytes);
	err_t e = call_through(RAW_ID, n);
	unsigned dropped = mon_events_dropped();
	printf("evflood: %u events with a full heap: %u dropped, the call: %s (%s)\n", n, dropped,
	       answered(e) ? "answered" : "not answered", err_str(e));
	if (!wall || !answered(e) || dropped != n)
		fail("evflood", "a full heap did not drop and count every event", e);
	free_hoard(all);
	unblock_heap_growth(wall);
	e = call_through(RAW_ID + n, n);
	printf("evflood: %u events with room: %u dropped in all, the call: %s (%s)\n", n,
	       mon_events_dropped(), answered(e) ? "answered" : "not answered", err_str(e));
	if (!answered(e) || mon_events_dropped() != dropped)
		fail("evflood", "events were dropped with room in the heap", e);
	return verdict("evflood");
}
