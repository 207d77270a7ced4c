/*
 * node.c: one core's part of the soak (see soak.h): binds, accepts, then
 * sends and checks until every channel is done or abandoned.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include "soak.h"

#define STALL_MS 3000     /* no progress for this long: is the peer alive? */
#define BIND_WAIT_MS 20000 /* for a peer's name (more at many cores: soak_patience_ms) */
#define ACCEPT_MS 60000    /* for every live peer's channel (idem) */
#define BIND_TRIES 4       /* a bind that timed out while the peer lives is tried again */
#define CHAN_PAGES 2
#define IDLE_ROUNDS 64

struct peer {
	bool out_ok, in_ok, dead;
	struct urpc_chan out, in;
	uint32_t next_send, next_recv;
	uint64_t received;
	uint64_t last_progress;
};

static struct peer peers[SOAK_MAX_CORES];
static struct soak_report rep;
static unsigned me, n;
static uint64_t msgs;
static uint64_t send_limit; /* msgs, or msgs - 1 for a node that holds */

static uint32_t msg_len(uint32_t src, uint32_t dst, uint32_t seq)
{
	uint32_t h = (src * 2654435761u) ^ (dst * 40503u) ^ (seq * 2246822519u);
	return SOAK_HDR_LEN + (h >> 7) % (SOAK_MAX_LEN - 15);
}

/* Writes the payload of message seq from src, len bytes in all; its sum. */
static uint32_t fill(uint8_t *payload, uint32_t src, uint32_t seq, uint32_t len)
{
	uint32_t sum = 0;
	for (uint32_t i = SOAK_HDR_LEN; i < len; i++) {
		payload[i - SOAK_HDR_LEN] = (uint8_t)(src * 7 + seq * 13 + i);
		sum = sum * 31 + payload[i - SOAK_HDR_LEN];
	}
	return sum;
}

static bool peer_alive(unsigned j)
{
	char name[16];
	uint32_t core, dom;
	snprintf(name, sizeof name, "soak%u", j);
	err_t e = mon_lookup(name, &core, &dom);
	return e != ERR_NOENT && e != ERR_DEAD;
}

static void abandon(unsigned j)
{
	struct peer *p = &peers[j];
	if (p->dead)
		return;
	p->dead = true;
	rep.peers_abandoned++;
	rep.sent_dead += p->next_send;
	rep.recv_dead += p->received;
	rep.abandoned += (msgs - p->next_send) + (msgs - p->next_recv);
	printf("node %u: peer %u is gone; %lu messages to and from it abandoned\n", me, j,
	       (unsigned long)((msgs - p->next_send) + (msgs - p->next_recv)));
}

/* Sends up to a batch of the next messages to j; true if any went. */
static bool send_some(unsigned j)
{
	struct peer *p = &peers[j];
	struct soak_data buf[SOAK_BATCH];
	struct urpc_msg batch[SOAK_BATCH];
	size_t k = 0, sent = 0;
	while (k < SOAK_BATCH && p->next_send + k < send_limit) {
		uint32_t seq = p->next_send + (uint32_t)k;
		struct soak_data *d = &buf[k];
		d->src = me;
		d->seq = seq;
		d->len = msg_len(me, j, seq);
		d->sum = fill(d->payload, me, seq, d->len);
		batch[k] = soak_batch_data(d);
		k++;
	}
	if (!k)
		return false;
	urpc_send_batch(&p->out, batch, k, &sent);
	p->next_send += (uint32_t)sent;
	rep.sent += sent;
	rep.batches += sent > 0;
	return sent > 0;
}

static void check(unsigned j, uint16_t type, const struct soak_data *h, size_t len)
{
	struct peer *p = &peers[j];
	uint8_t want[SOAK_MAX_LEN];
	if (type != SOAK_DATA || soak_msg_check(type, h, len, 0, NULL, 0) || h->src != j ||
	    fill(want, h->src, h->seq, h->len) != h->sum ||
	    memcmp(want, h->payload, len - SOAK_HDR_LEN)) {
		rep.corrupted++;
		p->next_recv++;
		return;
	}
	if (h->seq > p->next_recv)
		rep.lost += h->seq - p->next_recv;
	p->next_recv = h->seq + 1;
	p->received++;
	rep.received++;
}

static bool recv_some(unsigned j)
{
	struct peer *p = &peers[j];
	union {
		struct soak_data d;
		uint8_t raw[SOAK_MAX_LEN + 64];  /* an oversized message is a corruption */
	} buf;
	bool any = false;
	for (int k = 0; k < SOAK_BATCH; k++) {
		uint16_t type;
		size_t len;
		err_t e = urpc_try_recv(&p->in, &type, &buf, sizeof buf, &len);
		if (e == ERR_EMPTY)
			break;
		if (e) {
			printf("node %u: channel from %u broken: %s\n", me, j, err_str(e));
			rep.corrupted++;
			p->in_ok = false;
			break;
		}
		check(j, type, &buf.d, len);
		any = true;
	}
	return any;
}

static bool peer_done(const struct peer *p)
{
	return p->dead || ((!p->out_ok || p->next_send >= msgs) &&
			   (!p->in_ok || p->next_recv >= msgs));
}

/* Our incoming channels as the sources of urpc_sleep (index = peer). */
static bool in_live(size_t j)
{
	return peers[j].in_ok && !peers[j].dead;
}

static void in_announce(void *ctx, size_t j)
{
	(void)ctx;
	if (in_live(j))
		urpc_rx_sleep_begin(&peers[j].in);
}

static bool in_recheck(void *ctx)
{
	(void)ctx;
	for (unsigned j = 0; j < n; j++)
		if (in_live(j) && urpc_pending(&peers[j].in))
			return true;
	return false;
}

static void in_block(void *ctx)
{
	(void)ctx;
	sys_wait(5);
	rep.sleeps++;
}

static void in_withdraw(void *ctx, size_t j)
{
	(void)ctx;
	if (in_live(j))
		urpc_rx_sleep_end(&peers[j].in);
}

/* Sleep until a sender notifies us (or a short time-out): receivers sleep and wake. */
static void sleep_a_while(void)
{
	static const struct urpc_sleep_ops ops = {
		in_announce, in_recheck, in_block, in_withdraw,
	};

	urpc_sleep(&ops, NULL, n);
}

/*
 * A peer's channel made by a bind of its that timed out (its monitor gave
 * up, ours made the channel late) is never used: the peer binds again, and
 * the later channel is the one it sends on.  So the latest channel from a
 * peer wins, also one that comes after every peer had one.
 */
static void take_channel(const struct urpc_chan *c, const struct mon_new_channel *info)
{
	if (info->peer_core >= n || info->peer_core == me)
		return;
	peers[info->peer_core].in = *c;
	peers[info->peer_core].in_ok = true;
}

static void take_late_channels(void)
{
	struct urpc_chan c;
	struct mon_new_channel info;
	while (mon_accept(&c, &info, 1) == ERR_OK)
		take_channel(&c, &info);
}

static void check_stalls(void)
{
	uint64_t now = soak_now(), limit = STALL_MS * (libos_tsc_hz() / 1000);
	for (unsigned j = 0; j < n; j++) {
		struct peer *p = &peers[j];
		if (j == me || peer_done(p) || now - p->last_progress < limit)
			continue;
		if (!peer_alive(j))
			abandon(j);
		p->last_progress = now;
	}
	take_late_channels();
}

static void traffic(void)
{
	unsigned idle = 0;
	for (;;) {
		bool progress = false, all_done = true;
		for (unsigned j = 0; j < n; j++) {
			struct peer *p = &peers[j];
			if (j == me || peer_done(p))
				continue;
			all_done = false;
			bool moved = (p->in_ok && recv_some(j)) |
				     (p->out_ok && p->next_send < send_limit && send_some(j));
			if (moved)
				p->last_progress = soak_now();
			progress |= moved;
		}
		if (all_done)
			return;
		idle = progress ? 0 : idle + 1;
		if (idle >= IDLE_ROUNDS) {
			sleep_a_while();
			check_stalls();
			idle = 0;
		}
	}
}

static void connect_all(void)
{
	char name[16];
	uint32_t core;
	for (unsigned j = 0; j < n; j++) {
		if (j == me)
			continue;
		snprintf(name, sizeof name, "soak%u", j);
		err_t e = ERR_TIMEOUT;
		for (unsigned t = 0; t < BIND_TRIES && e == ERR_TIMEOUT && (t == 0 || peer_alive(j));
		     t++) {
			if (t)
				printf("node %u: bind to %s timed out; again (peer alive)\n", me, name);
			e = mon_bind(name, CHAN_PAGES, soak_patience_ms(BIND_WAIT_MS), &peers[j].out,
				     &core);
		}
		peers[j].out_ok = e == ERR_OK;
		peers[j].last_progress = soak_now();
		if (e) {
			printf("node %u: bind to %s: %s\n", me, name, err_str(e));
			abandon(j);
		}
	}
	/* Accept one channel from every peer that is alive (checked each second). */
	uint64_t accept_ms = soak_patience_ms(ACCEPT_MS);
	uint64_t deadline = soak_now() + accept_ms * (libos_tsc_hz() / 1000);
	while (soak_now() < deadline) {
		unsigned waiting = 0;
		for (unsigned j = 0; j < n; j++)
			waiting += j != me && !peers[j].in_ok && !peers[j].dead;
		if (!waiting)
			return;
		struct urpc_chan c;
		struct mon_new_channel info;
		err_t e = mon_accept(&c, &info, TICK_HZ);
		if (e == ERR_TIMEOUT) {
			for (unsigned j = 0; j < n; j++)
				if (j != me && !peers[j].in_ok && !peers[j].dead && !peer_alive(j))
					abandon(j);
			continue;
		}
		if (e) {
			printf("node %u: accept: %s\n", me, err_str(e));
			return;
		}
		take_channel(&c, &info);
	}
	printf("node %u: not every live peer connected within %lu s\n", me,
	       (unsigned long)(accept_ms / 1000));
}

static void report(void)
{
	struct urpc_chan c;
	uint32_t core;
	err_t e = mon_bind("soakcoord", 1, 20000, &c, &core);
	while (!e && (e = soak_send_report(&c, &rep)) == ERR_FULL)
		sys_yield();
	if (e)
		printf("node %u: cannot report: %s\n", me, err_str(e));
}

int soak_node(int argc, char **argv)
{
	char name[16];
	me = (unsigned)soak_arg(argc, argv, "idx", libos_core_id());
	n = soak_nodes(argc, argv);
	msgs = soak_arg(argc, argv, "msgs", 1000);
	/* A node that holds keeps its last message to every peer: its traffic
	 * lasts until its core is stopped, however fast the host is. */
	send_limit = soak_arg(argc, argv, "hold", 0) && msgs ? msgs - 1 : msgs;
	rep.idx = me;
	snprintf(name, sizeof name, "soak%u", me);
	err_t e = mon_register(name);
	if (e) {
		printf("node %u: register: %s\n", me, err_str(e));
		return 1;
	}
	connect_all();
	for (unsigned j = 0; j < n; j++)
		if (j != me && !peers[j].in_ok && !peers[j].dead && peer_alive(j) == false)
			abandon(j);
	traffic();
	printf("node %u: sent %lu received %lu lost %lu corrupted %lu abandoned %lu "
	       "(%lu batches, %lu sleeps)\n", me, (unsigned long)rep.sent,
	       (unsigned long)rep.received, (unsigned long)rep.lost,
	       (unsigned long)rep.corrupted, (unsigned long)rep.abandoned,
	       (unsigned long)rep.batches, (unsigned long)rep.sleeps);
	report();
	return rep.lost || rep.corrupted ? 1 : 0;
}
