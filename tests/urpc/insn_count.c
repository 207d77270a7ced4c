/*
 * insn_count.c: the guest fast path's instruction budget, counted.
 *
 * Built by tools/urpc-insn-count.sh with the OS's user-space code flags
 * (libos.mk's USER_CFLAGS: -O2, frame pointers, no loop-to-memcpy) and the
 * OS's own memcpy (lib/string.c), then single-stepped under gdb: each
 * ic_* function below is one operation of a round trip, run in one thread
 * so that no waiting is counted.  Prints nothing itself; the script
 * prints instructions per operation and per callee.
 */
#include <stdint.h>
#include <stdlib.h>
#include <urpc/urpc.h>

static struct urpc_chan ic_a, ic_b;
static uint64_t ic_word;

__attribute__((noinline)) void ic_send(struct urpc_chan *c);
__attribute__((noinline)) void ic_recv(struct urpc_chan *c);
__attribute__((noinline)) void ic_peek(struct urpc_chan *c);
__attribute__((noinline)) void ic_empty(struct urpc_chan *c);
__attribute__((noinline)) void ic_recvw(struct urpc_chan *c);

/* A copied receive of one word that must answer `want` (inlined: counted
 * as part of the ic_* function that uses it). */
static inline __attribute__((always_inline)) void recv_word(struct urpc_chan *c, err_t want)
{
	uint64_t v;
	uint16_t type;
	size_t len;

	if (urpc_try_recv(c, &type, &v, sizeof v, &len) != want)
		abort();
}

/* One 8-byte message, as pingpong's PP_PING. */
__attribute__((noinline)) void ic_send(struct urpc_chan *c)
{
	ic_word++;
	if (urpc_send(c, 1, &ic_word, sizeof ic_word) != ERR_OK)
		abort();
}

/* Its receive, copied out. */
__attribute__((noinline)) void ic_recv(struct urpc_chan *c)
{
	recv_word(c, ERR_OK);
}

/*
 * Its blocking receive (urpc_recv, as pingpong's round trips use it),
 * when the message is there at the first poll: what a receiver runs from
 * seeing the word to having the message.
 */
__attribute__((noinline)) void ic_recvw(struct urpc_chan *c)
{
	uint64_t v;
	uint16_t type;
	size_t len;

	if (urpc_recv(c, &type, &v, sizeof v, &len, 100) != ERR_OK)
		abort();
}

/* Its receive in place. */
__attribute__((noinline)) void ic_peek(struct urpc_chan *c)
{
	const void *p;
	uint16_t type;
	size_t len;

	if (urpc_peek(c, &type, &p, &len) != ERR_OK)
		abort();
	ic_word ^= *(const volatile uint64_t *)p;
	urpc_release(c);
}

/* One poll that finds nothing. */
__attribute__((noinline)) void ic_empty(struct urpc_chan *c)
{
	recv_word(c, ERR_EMPTY);
}

int main(void)
{
	size_t size = urpc_area_size(64);
	void *area = aligned_alloc(64, size);

	if (!area || urpc_area_init(area, size, 64, 0) ||
	    urpc_chan_init(&ic_a, area, size, 0, NULL) ||
	    urpc_chan_init(&ic_b, area, size, 1, NULL))
		return 1;
	for (int i = 0; i < 3; i++) {           /* warm; the third is counted */
		ic_send(&ic_a);
		ic_recv(&ic_b);
		ic_send(&ic_b);
		ic_peek(&ic_a);
		ic_empty(&ic_a);
		ic_send(&ic_a);
		ic_recvw(&ic_b);
	}
	return 0;
}
