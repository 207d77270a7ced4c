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
 *
 * Output (after "core N: monattack: "): "<attack>: N ..., then refused: <error>"
 * and "<attack> survived" when the monitors refused what they must; "<attack>
 * WRONG: ..." and exit 1 when they let it through.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <sys/domain.h>

#define MAX_BINDS 1024
#define SINK_TICKS 300          /* the sink leaves after 3 s without a client */
#define BOMB_LINGER_TICKS 100   /* a bomb copy lives this long after refusal */
#define PROBE_VA 0x0000005000000000ull

static unsigned wrong;

static void fail(const char *attack, const char *what, err_t got)
{
	wrong++;
	printf("%s WRONG: %s (got %s)\n", attack, what, err_str(got));
}

static int verdict(const char *attack)
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

int main(int argc, char **argv)
{
	uint64_t n = 0;
	const char *what = argc > 1 ? argv[1] : "";
	const char *num = argc > 3 ? argv[3] : argc > 2 ? argv[2] : 0;
	if (num && strcmp(what, "bindflood") != 0 && parse_u64(num, &n)) {
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
	printf("monattack WRONG: unknown attack '%s'\n", what);
	return 2;
}
