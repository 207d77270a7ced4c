/*
 * memxfer: frames of memory moved between domains on different cores
 * without copying (monitor/handlers.c: MON_MEM_SEND_REQ / MON_MEM_RECV).
 *
 *   memxfer sink <name>            register <name>, wait for frames, check them
 *   memxfer send <name> <pages>    fill <pages> frames and give them to <name>
 *   memxfer sink <name> hold       as sink, then keep the frames until this
 *                                  core stops, having registered <name>-held
 *                                  (test_restart: a stopped core's domains'
 *                                  frames of the monitors' memory)
 *
 * The sender gets frames of the monitors' memory (mon_mem_alloc), maps them
 * at XFER_VA, writes a pattern that depends on its core, domain, the page
 * and the word, unmaps them, finds the sink (mon_lookup) and gives the
 * frames away (mon_mem_send).  Afterwards it must no longer be able to map
 * any of them (ERR_PERM).  The sink maps the frames it was given and checks
 * every word.  Both print the frames' physical addresses and a checksum, so
 * the test sees the same frames (zero copy) and the same contents.
 *
 * Output (after "core N: memxfer: "):
 *   send: frames 0x..,0x.. checksum 0x...
 *   send: gave P pages to core C domain D
 *   send: after the send every map is refused (permission denied)
 *   sink: registered '<name>'
 *   sink: received P pages from core C domain D: frames 0x..,0x..
 *   sink: pattern ok, checksum 0x...
 *   sink: holding P pages until this core stops
 * or "memxfer WRONG: ..." and exit 1.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <sys/domain.h>

#define XFER_VA (DOMAIN_HEAP_BASE + (1ull << 30))
#define WORDS (4096 / 8)
#define LOOKUP_WAIT_MS 20000
#define WAIT_TICKS (60 * TICK_HZ)

static uint64_t pattern(uint32_t core, uint32_t dom, uint32_t page, uint32_t word)
{
	uint64_t x = (uint64_t)core << 56 ^ (uint64_t)dom << 40 ^ (uint64_t)page << 20 ^ word;
	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ull;
	return x ^ x >> 29;
}

static void list_frames(char *out, size_t cap, const uint64_t *pa, uint32_t n)
{
	size_t at = 0;
	out[0] = 0;
	for (uint32_t i = 0; i < n && at < cap; i++)
		at += (size_t)snprintf(out + at, cap - at, "%s%#lx", i ? "," : "",
				       (unsigned long)pa[i]);
}

static uint64_t now_ms(void)
{
	return libos_tsc() / (libos_tsc_hz() / 1000);
}

static int sender(const char *name, uint32_t n)
{
	uint64_t pa[MON_MEM_PAGES], sum = 0;
	uint32_t me = libos_core_id(), dom = libos_domain_id();
	char list[MON_MEM_PAGES * 20];
	err_t e = mon_mem_alloc(n, pa);
	if (e) {
		printf("memxfer WRONG: send: mem_alloc %u pages: %s\n", n, err_str(e));
		return 1;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint64_t *w = (uint64_t *)(XFER_VA + i * 4096ull);
		if ((e = sys_map((uint64_t)w, pa[i], SYS_MAP_WRITE))) {
			printf("memxfer WRONG: send: map frame %#lx: %s\n", (unsigned long)pa[i],
			       err_str(e));
			return 1;
		}
		for (uint32_t j = 0; j < WORDS; j++)
			sum += w[j] = pattern(me, dom, i, j);
		if ((e = sys_unmap((uint64_t)w))) {
			printf("memxfer WRONG: send: unmap: %s\n", err_str(e));
			return 1;
		}
	}
	list_frames(list, sizeof list, pa, n);
	printf("send: frames %s checksum %#lx\n", list, (unsigned long)sum);

	uint32_t core, to;
	uint64_t start = now_ms();
	while ((e = mon_lookup(name, &core, &to)) == ERR_NOENT &&
	       now_ms() - start < LOOKUP_WAIT_MS)
		sys_wait(2);
	if (e) {
		printf("memxfer WRONG: send: lookup '%s': %s\n", name, err_str(e));
		return 1;
	}
	if ((e = mon_mem_send(core, to, n, pa))) {
		printf("memxfer WRONG: send: mem_send to core %u domain %u: %s\n", core, to,
		       err_str(e));
		return 1;
	}
	printf("send: gave %u pages to core %u domain %u\n", n, core, to);
	for (uint32_t i = 0; i < n; i++) {
		e = sys_map(XFER_VA, pa[i], 0);
		if (e != ERR_PERM) {
			printf("memxfer WRONG: send: map of given-away frame %#lx: %s\n",
			       (unsigned long)pa[i], e ? err_str(e) : "allowed");
			return 1;
		}
	}
	printf("send: after the send every map is refused (%s)\n", err_str(ERR_PERM));
	return 0;
}

/* `hold`: the frames stay with this domain until its core stops. */
static int hold(const char *name, uint32_t npages)
{
	char held[PROGRAM_NAME_MAX];
	snprintf(held, sizeof held, "%s-held", name);
	err_t e = mon_register(held);
	if (e) {
		printf("memxfer WRONG: sink: register '%s': %s\n", held, err_str(e));
		return 1;
	}
	printf("sink: holding %u pages until this core stops\n", npages);
	for (;;)
		sys_wait(TICK_HZ);
}

static int sink(const char *name, bool holding)
{
	err_t e = mon_register(name);
	if (e) {
		printf("memxfer WRONG: sink: register '%s': %s\n", name, err_str(e));
		return 1;
	}
	printf("sink: registered '%s'\n", name);
	struct mon_mem m;
	if ((e = mon_mem_wait(&m, WAIT_TICKS))) {
		printf("memxfer WRONG: sink: waiting for frames: %s\n", err_str(e));
		return 1;
	}
	char list[MON_MEM_PAGES * 20];
	list_frames(list, sizeof list, m.pa, m.npages);
	printf("sink: received %u pages from core %u domain %u: frames %s\n", m.npages, m.core,
	       m.domain_id, list);
	uint64_t sum = 0;
	for (uint32_t i = 0; i < m.npages; i++) {
		const uint64_t *w = (const uint64_t *)(XFER_VA + i * 4096ull);
		if ((e = sys_map((uint64_t)w, m.pa[i], 0))) {
			printf("memxfer WRONG: sink: map frame %#lx: %s\n", (unsigned long)m.pa[i],
			       err_str(e));
			return 1;
		}
		for (uint32_t j = 0; j < WORDS; j++) {
			if (w[j] != pattern(m.core, m.domain_id, i, j)) {
				printf("memxfer WRONG: sink: page %u word %u is %#lx\n", i, j,
				       (unsigned long)w[j]);
				return 1;
			}
			sum += w[j];
		}
	}
	printf("sink: pattern ok, checksum %#lx\n", (unsigned long)sum);
	return holding ? hold(name, m.npages) : 0;
}

int main(int argc, char **argv)
{
	uint64_t n;
	if (argc == 3 && strcmp(argv[1], "sink") == 0)
		return sink(argv[2], false);
	if (argc == 4 && strcmp(argv[1], "sink") == 0 && strcmp(argv[3], "hold") == 0)
		return sink(argv[2], true);
	if (argc == 4 && strcmp(argv[1], "send") == 0 && !parse_u64(argv[3], &n) &&
	    n >= 1 && n <= MON_MEM_PAGES)
		return sender(argv[2], (uint32_t)n);
	printf("memxfer WRONG: usage: memxfer sink <name> [hold] | send <name> <pages 1..%u>\n",
	       (unsigned)MON_MEM_PAGES);
	return 1;
}
