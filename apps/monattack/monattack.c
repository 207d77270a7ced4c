/*
 * monattack: one attack on the monitors' rights and quotas per run.
 *
 *   monattack stopcore C      ask to stop core C without the right: ERR_PERM
 *   monattack bindflood NAME  bind to NAME (1 page) and keep every channel
 *                             until refused: ERR_QUOTA (binds)
 *   monattack sink NAME N     the flood's target: register NAME, accept up
 *                             to N clients (keeps them), exit after a quiet
 *                             while
 *   monattack memhog          MON_MEM_PAGES frames of monitor memory at a
 *                             time until refused: ERR_QUOTA
 *   monattack bomb            spawn itself on this core until refused
 *                             (children or generations): ERR_QUOTA; every
 *                             copy does the same, waits a little, exits
 *   monattack squat           register squat-0, squat-1, ... until refused:
 *                             ERR_QUOTA (names); they go when it ends
 *   monattack memsend C       two frames of monitor memory sent to a domain
 *                             of core C that does not exist: the send fails
 *                             and both frames are ours again (we map them)
 *   monattack memfree         frees that must be refused, each naming the
 *                             frame and changing nothing: a frame never
 *                             ours, one twice in one request, a mapped one,
 *                             one freed already (a double free), a request
 *                             mixing ours and not ours; then a real free,
 *                             and the next allocation gets the freed frame
 *                             back cleared
 *   monattack memfill NAME    takes every frame the monitors will give
 *                             (MON_MEM_PAGES at a time, then one at a
 *                             time) until ERR_NOMEM, registers NAME, ends
 *                             holding them
 *   monattack memagain NAME   waits until NAME is registered and then gone
 *                             (its domain ended), then takes every frame
 *                             again: what the ended domain held came back
 *   monattack memnear C [S]   four frames near core C (its node's memory);
 *                             with S: stop core S (needs the right), again
 *   monattack deaf N          N requests whose answers it does not read,
 *                             twice (chanflood.c): its monitor queues 256,
 *                             refuses the rest, and serves everyone else
 *   monattack evflood N       N unasked messages while a call waits, with
 *                             a full heap: dropped and counted, then with
 *                             room: queued (chanflood.c)
 *   monattack calls N         N lookups 0.5 s apart, a line each: the
 *                             monitor serves this core while deaf runs
 *
 * Output (after "core N: monattack: "): "<attack>: N ..., then refused: <error>"
 * and "<attack> survived" when the monitors refused what they must; "<attack>
 * WRONG: ..." and exit 1 when they let it through.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <sys/domain.h>
#include "monattack.h"

#define MAX_BINDS 1024
#define SINK_TICKS 300          /* the sink leaves after 3 s without a client */
#define BOMB_LINGER_TICKS 100   /* a bomb copy lives this long after refusal */
#define PROBE_VA 0x0000005000000000ull

static unsigned wrong;

void fail(const char *attack, const char *what, err_t got)
{
	wrong++;
	printf("%s WRONG: %s (got %s)\n", attack, what, err_str(got));
}

int verdict(const char *attack)
{
	if (!wrong)
		printf("%s survived\n", attack);
	return wrong ? 1 : 0;
}

static int attack_stopcore(uint64_t core)
{
	err_t e = mon_stop_core((unsigned)core);
	printf("stopcore: core %llu: refused: %s (%s)\n", (unsigned long long)core, err_str(e),
	       mon_last_error());
	if (e != ERR_PERM)
		fail("stopcore", "a stop without the right was not refused with ERR_PERM", e);
	return verdict("stopcore");
}

static int attack_bindflood(const char *name)
{
	static struct urpc_chan chans[MAX_BINDS];
	unsigned n = 0;
	uint32_t core;
	err_t e = ERR_OK;
	while (n < MAX_BINDS && !(e = mon_bind(name, 1, 20000, &chans[n], &core)))
		n++;
	printf("bindflood: %u binds to '%s', then refused: %s (%s)\n", n, name, err_str(e),
	       mon_last_error());
	if (e != ERR_QUOTA)
		fail("bindflood", "the flood was not stopped by the binds quota", e);
	return verdict("bindflood");
}

static int sink(const char *name, uint64_t max)
{
	static struct urpc_chan chans[MAX_BINDS];
	struct mon_new_channel info;
	unsigned n = 0;
	err_t e = mon_register(name);
	while (!e && n < max && n < MAX_BINDS && !(e = mon_accept(&chans[n], &info, SINK_TICKS)))
		n++;
	printf("sink: %u clients accepted (%s)\n", n, err_str(e));
	return 0;
}

static int attack_memhog(void)
{
	uint64_t pa[MON_MEM_PAGES];
	unsigned n = 0;
	err_t e;
	while (!(e = mon_mem_alloc(MON_MEM_PAGES, pa)) && n < 1u << 20)
		n += MON_MEM_PAGES;
	printf("memhog: %u frames, then refused: %s (%s)\n", n, err_str(e), mon_last_error());
	if (e != ERR_QUOTA)
		fail("memhog", "the hog was not stopped by the memory quota", e);
	return verdict("memhog");
}

static int attack_bomb(void)
{
	const char *argv[] = { "bomb" };
	unsigned n = 0;
	uint32_t dom;
	err_t e;
	while (n < 64 && !(e = mon_spawn(libos_core_id(), "monattack", 1, argv, &dom)))
		n++;
	printf("bomb: domain %u: %u copies, then refused: %s (%s)\n", libos_domain_id(), n,
	       err_str(e), mon_last_error());
	if (e != ERR_QUOTA)
		fail("bomb", "the bomb was not stopped by a quota", e);
	sys_wait(BOMB_LINGER_TICKS);
	return verdict("bomb");
}

static int attack_squat(void)
{
	char name[PROGRAM_NAME_MAX];
	unsigned n = 0;
	err_t e;
	do {
		snprintf(name, sizeof name, "squat-%u", n);
		e = mon_register(name);
	} while (!e && ++n < 1000);
	printf("squat: %u names, then refused: %s\n", n, err_str(e));
	if (e != ERR_QUOTA)
		fail("squat", "squatting was not stopped by the names quota", e);
	return verdict("squat");
}

static int attack_memsend(uint64_t core)
{
	uint64_t pa[2];
	err_t e = mon_mem_alloc(2, pa);
	if (e) {
		fail("memsend", "setup: two frames", e);
		return verdict("memsend");
	}
	e = mon_mem_send((unsigned)core, 0x7fffffffu, 2, pa);
	printf("memsend: to core %llu domain 0x7fffffff: %s\n", (unsigned long long)core,
	       err_str(e));
	if (e == ERR_OK)
		fail("memsend", "a send to nobody succeeded", e);
	for (unsigned i = 0; i < 2; i++) {
		err_t m = sys_map(PROBE_VA + i * 4096, pa[i], SYS_MAP_WRITE);
		if (m)
			fail("memsend", "a frame of the failed send is not ours again", m);
		else
			*(volatile uint64_t *)(PROBE_VA + i * 4096) = 42;
	}
	if (!wrong)
		printf("memsend: both frames are ours again\n");
	return verdict("memsend");
}

/* Whether the frame at pa can be mapped by us (then it is unmapped again). */
static bool ours(uint64_t pa)
{
	if (sys_map(PROBE_VA, pa, SYS_MAP_WRITE))
		return false;
	sys_unmap(PROBE_VA);
	return true;
}

/* One free that must be refused with `want`, everything still ours afterwards. */
static void free_refused(const char *what, uint32_t n, const uint64_t *pa, err_t want,
			 const uint64_t *keep, unsigned nkeep)
{
	err_t e = mon_mem_free(n, pa);
	printf("memfree: %s: %s (%s)\n", what, err_str(e), e ? mon_last_error() : "");
	if (e != want)
		fail("memfree", what, e);
	for (unsigned i = 0; i < nkeep; i++)
		if (!ours(keep[i]))
			fail("memfree", "a refused free lost a frame", ERR_PERM);
}

static int attack_memfree(void)
{
	uint64_t pa[4], x[2], again;
	err_t e = mon_mem_alloc(4, pa);
	if (e) {
		fail("memfree", "setup: four frames", e);
		return verdict("memfree");
	}
	x[0] = pa[0] + 64 * 4096; /* monitors' memory, not ours */
	free_refused("a frame never ours", 1, x, ERR_PERM, pa, 4);
	x[0] = x[1] = pa[1];
	free_refused("one frame twice in one request", 2, x, ERR_PERM, pa, 4);
	if (sys_map(PROBE_VA, pa[2], SYS_MAP_WRITE) == ERR_OK) {
		*(volatile uint64_t *)PROBE_VA = 0x5a5a5a5a5a5a5a5aull;
		free_refused("a mapped frame", 1, &pa[2], ERR_BUSY, pa, 0);
		sys_unmap(PROBE_VA);
	}
	e = mon_mem_free(1, &pa[2]);
	if (e)
		fail("memfree", "a free of an owned, unmapped frame", e);
	x[0] = pa[2];
	free_refused("a double free", 1, x, ERR_PERM, pa + 3, 1);
	x[0] = pa[3];
	x[1] = pa[2];
	free_refused("ours and not ours together", 2, x, ERR_PERM, pa + 3, 1);
	e = mon_mem_alloc(1, &again);
	if (e || sys_map(PROBE_VA, again, SYS_MAP_WRITE)) {
		fail("memfree", "allocating after the free", e);
		return verdict("memfree");
	}
	uint64_t word = *(volatile uint64_t *)PROBE_VA;
	sys_unmap(PROBE_VA);
	printf("memfree: freed frame %#lx, next one out %#lx (%s), first word %#lx\n",
	       (unsigned long)pa[2], (unsigned long)again, again == pa[2] ? "the same" : "another",
	       (unsigned long)word);
	if (word)
		fail("memfree", "a frame handed out again was not cleared", ERR_PERM);
	return verdict("memfree");
}

/* Every frame the monitors give, 16 at a time and then one by one; how many. */
static unsigned take_all(err_t *last)
{
	uint64_t pa[MON_MEM_PAGES];
	unsigned n = 0, batch = MON_MEM_PAGES;
	while (batch) {
		*last = mon_mem_alloc(batch, pa);
		if (!*last)
			n += batch;
		else
			batch = batch == 1 ? 0 : 1;
	}
	return n;
}

static int attack_memfill(const char *name)
{
	err_t e;
	unsigned n = take_all(&e);
	printf("memfill: %u frames, then refused: %s\n", n, err_str(e));
	if (e != ERR_NOMEM)
		fail("memfill", "the monitors' memory did not run out", e);
	e = mon_register(name);
	if (e)
		fail("memfill", "register", e);
	sys_wait(100);
	return verdict("memfill");
}

/* Waits until lookup of name gives want (ERR_OK or ERR_NOENT), up to 30 s. */
static err_t wait_name(const char *name, err_t want)
{
	uint32_t core, dom;
	err_t e = ERR_TIMEOUT;
	for (unsigned i = 0; i < 300 && e != want; i++) {
		e = mon_lookup(name, &core, &dom);
		if (e != want)
			sys_wait(10);
	}
	return e;
}

static int attack_memagain(const char *name)
{
	err_t e = wait_name(name, ERR_OK);
	if (!e)
		e = wait_name(name, ERR_NOENT);
	if (e != ERR_NOENT) {
		fail("memagain", "waiting for the filler to end", e);
		return verdict("memagain");
	}
	unsigned n = 0;
	for (unsigned tries = 0; tries < 5; tries++) { /* the last frames may be on their way */
		n += take_all(&e);
		sys_wait(20);
	}
	printf("memagain: %u frames after '%s' ended, then refused: %s\n", n, name, err_str(e));
	return verdict("memagain");
}

static err_t memnear(uint64_t core, const char *when, uint64_t *pa)
{
	err_t e = mon_mem_alloc_near((unsigned)core, 4, pa);
	if (e)
		fail("memnear", "four frames", e);
	else
		printf("memnear: core %lu%s: frames %#lx %#lx %#lx %#lx\n", (unsigned long)core, when,
		       (unsigned long)pa[0], (unsigned long)pa[1], (unsigned long)pa[2],
		       (unsigned long)pa[3]);
	return e;
}

/* Whether b holds the same four frames as a, in any order. */
static bool same_four(const uint64_t *a, const uint64_t *b)
{
	unsigned found = 0;
	for (unsigned i = 0; i < 4; i++)
		for (unsigned j = 0; j < 4; j++)
			found += a[i] == b[j];
	return found == 4;
}

/*
 * memnear C [S]: four frames near core C; with S, core S is stopped, the
 * same again; then the first four (of S's share when S is C) are freed
 * while S is down: this monitor keeps them and hands them out next.
 */
static int attack_memnear(uint64_t core, int argc, char **argv)
{
	uint64_t stop, first[4], after[4], again[4];
	err_t e = memnear(core, "", first);
	if (argc == 4 && !parse_u64(argv[3], &stop) && !e) {
		e = mon_stop_core((unsigned)stop);
		if (e)
			fail("memnear", "stopping a core", e);
		memnear(core, " after the stop", after);
		e = mon_mem_free(4, first);
		if (e)
			fail("memnear", "freeing the first four", e);
		else if ((e = mon_mem_alloc(4, again)))
			fail("memnear", "allocating four again", e);
		else
			printf("memnear: the first four freed while core %lu is down, then handed out "
			       "again: %s\n", (unsigned long)stop,
			       same_four(first, again) ? "the same" : "others");
	}
	return verdict("memnear");
}

int main(int argc, char **argv)
{
	uint64_t n = 0;
	const char *what = argc > 1 ? argv[1] : "";
	const char *num = argc > 3 && strcmp(what, "memnear") ? argv[3] : argc > 2 ? argv[2] : 0;
	bool named = !strcmp(what, "bindflood") || !strcmp(what, "memfill") ||
		     !strcmp(what, "memagain");
	if (num && !named && parse_u64(num, &n)) {
		printf("monattack WRONG: bad number '%s'\n", num);
		return 2;
	}
	if (strcmp(what, "stopcore") == 0)
		return attack_stopcore(n);
	if (strcmp(what, "bindflood") == 0 && argc == 3)
		return attack_bindflood(argv[2]);
	if (strcmp(what, "sink") == 0 && argc == 4)
		return sink(argv[2], n);
	if (strcmp(what, "memhog") == 0)
		return attack_memhog();
	if (strcmp(what, "bomb") == 0)
		return attack_bomb();
	if (strcmp(what, "squat") == 0)
		return attack_squat();
	if (strcmp(what, "memsend") == 0)
		return attack_memsend(n);
	if (strcmp(what, "memfree") == 0)
		return attack_memfree();
	if (strcmp(what, "memfill") == 0 && argc == 3)
		return attack_memfill(argv[2]);
	if (strcmp(what, "memagain") == 0 && argc == 3)
		return attack_memagain(argv[2]);
	if (strcmp(what, "memnear") == 0)
		return attack_memnear(n, argc, argv);
	if (strcmp(what, "deaf") == 0)
		return attack_deaf(n);
	if (strcmp(what, "evflood") == 0)
		return attack_evflood(n);
	if (strcmp(what, "calls") == 0)
		return attack_calls(n);
	printf("monattack WRONG: unknown attack '%s'\n", what);
	return 2;
}
