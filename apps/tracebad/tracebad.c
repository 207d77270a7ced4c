/*
 * tracebad: a domain that attacks tracing (include/sys/trace.h).
 *
 *   tracebad
 *
 * Run with trace rings (trace=on|off).  Checks, one line each after the
 * kernel's prefix, "<check> ok" or "<check> WRONG (got X, want Y)":
 *   - SYS_TRACE without the trace right is refused (ERR_PERM), for every op
 *     and for a nonsense op;
 *   - its ring cannot be unmapped or mapped over, the control page neither;
 * then it scribbles over its own ring (header and events: a head near
 * 2^64, random bytes), which the CPU driver must dump without harm, prints
 * "tracebad: ring scribbled", and finally writes to the read-only control
 * page, which must kill it (#PF) without stopping tracing elsewhere.
 */
#include <libos/libos.h>
#include <sys/trace.h>

static unsigned failures;

static void expect(const char *what, int64_t got, int64_t want)
{
	if (got == want) {
		printf("%s ok\n", what);
		return;
	}
	failures++;
	printf("%s WRONG (got %lld, want %lld %s)\n", what, (long long)got, (long long)want,
	       err_str((err_t)want));
}

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	expect("trace start without the right", sys_trace(TRACE_OP_START), ERR_PERM);
	expect("trace stop without the right", sys_trace(TRACE_OP_STOP), ERR_PERM);
	expect("trace dump without the right", sys_trace(TRACE_OP_DUMP), ERR_PERM);
	expect("trace op 99 without the right", sys_trace(99), ERR_PERM);
	expect("unmap own ring", sys_unmap(DOMAIN_TRACE_VA), ERR_PERM);
	expect("unmap control page", sys_unmap(DOMAIN_TRACE_CTL_VA), ERR_PERM);
	int64_t pa = sys_frame_alloc();
	expect("map over the ring", pa > 0 ? sys_map(DOMAIN_TRACE_VA, (uint64_t)pa, SYS_MAP_WRITE)
					   : pa, ERR_EXIST);
	uint64_t *ring = (uint64_t *)DOMAIN_TRACE_VA;
	for (unsigned i = 0; i < DOMAIN_TRACE_PAGES * 4096 / 8; i++)
		ring[i] = rnd();
	((struct trace_ring *)ring)->head = ~0ull - 5;
	printf("%s; ring scribbled\n", failures ? "some checks failed" : "all checks passed");
	*(volatile uint32_t *)DOMAIN_TRACE_CTL_VA = 0;
	printf("control page write did not fault\n");
	return 3;
}
