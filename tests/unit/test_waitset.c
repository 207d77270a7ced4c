/*
 * test_waitset: the libos event loop (libos/waitset.c) and URPC channels
 * as its sources (libos/waitset_urpc.c), on the host.
 *
 * Fake sources count their callbacks and become ready on command; a fake
 * wait op records what it was asked and can make a source ready, which is
 * what a notification does in a domain.  The last cases use real URPC
 * channels: single-threaded to check that the sender sees the sleep
 * announcement and notifies, and with a sender thread and a token wait
 * with a timeout, where a timeout with a message pending is a lost
 * wake-up and fails the test.
 */
#define TEST_PROGRAM "waitset"
#include "test.h"
#include <libos/waitset.h>
#include <libos/waitset_urpc.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct fake {
	int ready;              /* polls say yes while > 0 */
	int ready_after_polls;  /* >0: becomes ready on that poll */
	bool ready_on_begin;    /* becomes ready in sleep_begin */
	unsigned polls, handled, begins, ends;
	bool asleep;
	bool consume;           /* handler takes one unit of readiness */
	struct waitset *stop_ws;        /* handler stops this set... */
	unsigned stop_after;            /* ...after this many */
	struct waitset *remove_from;    /* handler removes itself */
	int *log, *logn, id;
};

static bool f_poll(void *a)
{
	struct fake *f = a;

	f->polls++;
	if (f->ready_after_polls && f->polls >= (unsigned)f->ready_after_polls) {
		f->ready_after_polls = 0;
		f->ready = 1;
	}
	return f->ready > 0;
}

static void f_handler(void *a);

static void f_begin(void *a)
{
	struct fake *f = a;

	f->begins++;
	f->asleep = true;
	if (f->ready_on_begin)
		f->ready = 1;
}

static void f_end(void *a)
{
	struct fake *f = a;

	f->ends++;
	f->asleep = false;
}

static struct waitset_source f_src(struct fake *f)
{
	struct waitset_source s = { f_poll, f_handler, f_begin, f_end, f };

	return s;
}

static void f_handler(void *a)
{
	struct fake *f = a;

	f->handled++;
	if (f->consume && f->ready > 0)
		f->ready--;
	if (f->log)
		f->log[(*f->logn)++] = f->id;
	if (f->stop_ws && f->handled >= f->stop_after)
		waitset_stop(f->stop_ws);
	if (f->remove_from) {
		f->ready = 0;
		waitset_remove(f->remove_from, NULL);   /* ERR_NOENT, harmless */
	}
}

/* Fake wait: records, and wakes `wake` (makes it ready) if set. */
struct fake_wait {
	unsigned calls;
	uint64_t last_ticks;
	struct fake *wake;
	struct fake *check_asleep;      /* must be announced asleep here */
	bool announced_ok;
	err_t ret;
};

static err_t fw_wait(void *ctx, uint64_t ticks)
{
	struct fake_wait *w = ctx;

	w->calls++;
	w->last_ticks = ticks;
	if (w->check_asleep)
		w->announced_ok = w->check_asleep->asleep;
	if (w->wake)
		w->wake->ready = 1;
	return w->ret;
}

static unsigned pauses;
static void fw_pause(void)
{
	pauses++;
}

static struct waitset ws;
static struct waitset_source *store[8];
static struct fake_wait fw;

static void setup(unsigned spins)
{
	struct waitset_ops ops = { fw_wait, fw_pause, &fw };

	memset(&fw, 0, sizeof fw);
	pauses = 0;
	waitset_init(&ws, store, 4, &ops, spins);
}

static void t_add_remove(void)
{
	struct fake f[5] = { 0 };
	struct waitset_source s[5], bad = { NULL, f_handler, NULL, NULL, NULL };

	setup(4);
	for (int i = 0; i < 5; i++)
		s[i] = f_src(&f[i]);
	CHECK_EQ(waitset_add(&ws, NULL), ERR_INVAL);
	CHECK_EQ(waitset_add(&ws, &bad), ERR_INVAL);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(waitset_add(&ws, &s[i]), ERR_OK);
	CHECK_EQ(waitset_add(&ws, &s[1]), ERR_EXIST);
	CHECK_EQ(waitset_add(&ws, &s[4]), ERR_FULL);
	CHECK_EQ(waitset_remove(&ws, &s[4]), ERR_NOENT);
	CHECK_EQ(waitset_remove(&ws, &s[1]), ERR_OK);
	CHECK_EQ(ws.n, 3);
	CHECK(ws.srcs[0] == &s[0] && ws.srcs[1] == &s[2] && ws.srcs[2] == &s[3]);
	CHECK_EQ(waitset_add(&ws, &s[4]), ERR_OK);
}

static void t_empty_set(void)
{
	setup(4);
	CHECK_EQ(waitset_dispatch(&ws, 0), ERR_EMPTY);
	CHECK_EQ(waitset_run(&ws), ERR_EMPTY);
	CHECK(waitset_poll(&ws) == NULL);
}

static void t_round_robin_is_fair(void)
{
	struct fake f[3] = { 0 };
	struct waitset_source s[3];
	int log[9], n = 0;

	setup(4);
	for (int i = 0; i < 3; i++) {
		f[i].ready = 1;         /* always ready */
		f[i].log = log;
		f[i].logn = &n;
		f[i].id = i;
		s[i] = f_src(&f[i]);
		waitset_add(&ws, &s[i]);
	}
	for (int i = 0; i < 9; i++)
		CHECK_EQ(waitset_dispatch(&ws, 0), ERR_OK);
	for (int i = 0; i < 9; i++)
		CHECK_EQ(log[i], i % 3);
	CHECK_EQ(fw.calls, 0);
	CHECK_EQ(ws.served, 9);
}

static void t_spins_before_sleeping(void)
{
	struct fake f = { .ready_after_polls = 5 };
	struct waitset_source s = f_src(&f);

	setup(10);
	waitset_add(&ws, &s);
	CHECK_EQ(waitset_dispatch(&ws, 0), ERR_OK);
	CHECK_EQ(f.handled, 1);
	CHECK_EQ(fw.calls, 0);          /* ready within the spins */
	CHECK_EQ(f.begins, 0);
	CHECK_EQ(pauses, 4);
}

static void t_sleeps_with_announcement(void)
{
	struct fake a = { 0 }, b = { 0 };
	struct waitset_source sa = f_src(&a), sb = f_src(&b);

	setup(3);
	sb.sleep_begin = sb.sleep_end = NULL;   /* optional callbacks */
	waitset_add(&ws, &sa);
	waitset_add(&ws, &sb);
	fw.wake = &a;
	fw.check_asleep = &a;
	CHECK_EQ(waitset_dispatch(&ws, 0), ERR_OK);
	CHECK_EQ(fw.calls, 1);
	CHECK(fw.announced_ok);         /* announced before the wait */
	CHECK_EQ(fw.last_ticks, 0);
	CHECK_EQ(a.begins, 1);
	CHECK_EQ(a.ends, 1);
	CHECK(!a.asleep);
	CHECK_EQ(a.handled, 1);
	CHECK_EQ(b.handled, 0);
	CHECK_EQ(ws.sleeps, 1);
	CHECK_EQ(a.polls, 3 + 1 + 1 + 1);       /* spins+1, re-poll, after */
}

static void t_recheck_after_announce_skips_wait(void)
{
	struct fake a = { .ready_on_begin = true };
	struct waitset_source sa = f_src(&a);

	setup(2);
	waitset_add(&ws, &sa);
	CHECK_EQ(waitset_dispatch(&ws, 0), ERR_OK);
	CHECK_EQ(fw.calls, 0);          /* the re-poll saw it */
	CHECK_EQ(a.begins, 1);
	CHECK_EQ(a.ends, 1);
	CHECK_EQ(a.handled, 1);
}

static void t_spurious_wakeups_sleep_again(void)
{
	struct fake a = { 0 }, other = { 0 };
	struct waitset_source sa = f_src(&a);

	setup(0);
	waitset_add(&ws, &sa);
	fw.wake = &other;               /* wakes, but not for us */
	a.ready_after_polls = 9;        /* ready on the 9th poll */
	CHECK_EQ(waitset_dispatch(&ws, 0), ERR_OK);
	CHECK(fw.calls >= 2);
	CHECK_EQ(a.begins, a.ends);
	CHECK_EQ(a.handled, 1);
}

static void t_timeout(void)
{
	struct fake a = { 0 };
	struct waitset_source sa = f_src(&a);

	setup(2);
	waitset_add(&ws, &sa);
	fw.ret = ERR_TIMEOUT;
	CHECK_EQ(waitset_dispatch(&ws, 7), ERR_TIMEOUT);
	CHECK_EQ(fw.calls, 1);
	CHECK_EQ(fw.last_ticks, 7);
	CHECK_EQ(a.begins, 1);
	CHECK_EQ(a.ends, 1);
	CHECK_EQ(a.handled, 0);
	/* Woken by someone else's notification: also ends a timed dispatch. */
	fw.ret = ERR_OK;
	CHECK_EQ(waitset_dispatch(&ws, 7), ERR_TIMEOUT);
	CHECK_EQ(fw.calls, 2);
}

static void t_no_wait_op_polls(void)
{
	struct fake a = { 0 };
	struct waitset_source sa = f_src(&a);

	waitset_init(&ws, store, 4, NULL, 5);
	waitset_add(&ws, &sa);
	CHECK_EQ(waitset_dispatch(&ws, 1), ERR_TIMEOUT);
	CHECK_EQ(a.polls, 6);
	CHECK_EQ(a.begins, 0);
	a.ready_after_polls = 40;       /* ticks 0: polls until ready */
	CHECK_EQ(waitset_dispatch(&ws, 0), ERR_OK);
	CHECK_EQ(a.handled, 1);
}

static void t_run_until_stop(void)
{
	struct fake a = { .ready = 1, .stop_after = 5 };
	struct waitset_source sa = f_src(&a);

	setup(2);
	a.stop_ws = &ws;
	waitset_add(&ws, &sa);
	CHECK_EQ(waitset_run(&ws), ERR_OK);
	CHECK_EQ(a.handled, 5);
	CHECK(!ws.stopped);             /* can run again */
	a.stop_after = 7;
	CHECK_EQ(waitset_run(&ws), ERR_OK);
	CHECK_EQ(a.handled, 7);
}

static struct waitset_source *self_removing;
static void remove_self_handler(void *arg)
{
	struct waitset *set = arg;

	CHECK_EQ(waitset_remove(set, self_removing), ERR_OK);
}

static bool always(void *arg)
{
	(void)arg;
	return true;
}

static void t_handler_may_remove_itself(void)
{
	struct waitset_source s = { always, remove_self_handler, NULL, NULL, &ws };

	setup(2);
	self_removing = &s;
	waitset_add(&ws, &s);
	CHECK_EQ(waitset_run(&ws), ERR_EMPTY);
	CHECK_EQ(ws.served, 1);
}

/* ---- URPC channels as sources ------------------------------------------ */

struct chan_pair {
	void *area;
	size_t size;
	struct urpc_chan tx, rx;
};

static unsigned notifies;
static void count_notify(void *arg)
{
	(void)arg;
	notifies++;
}

static void pair_open(struct chan_pair *p, const struct urpc_hooks *h)
{
	p->size = urpc_area_size(16);
	p->area = aligned_alloc(64, (p->size + 63) & ~(size_t)63);
	CHECK_EQ(urpc_area_init(p->area, p->size, 16, 0), ERR_OK);
	CHECK_EQ(urpc_chan_init(&p->tx, p->area, p->size, 0, h), ERR_OK);
	CHECK_EQ(urpc_chan_init(&p->rx, p->area, p->size, 1, h), ERR_OK);
}

struct got {
	unsigned n;
	uint32_t last[2];
	int order[16];
};

static void on_msg(struct waitset_urpc *w)
{
	struct got *g = w->arg;
	uint16_t type;
	uint32_t v;
	size_t len;

	while (urpc_try_recv(w->chan, &type, &v, sizeof v, &len) == ERR_OK) {
		CHECK_EQ(len, 4);
		CHECK_EQ(v, g->last[type] + 1);
		g->last[type] = v;
		if (g->n < 16)
			g->order[g->n] = type;
		g->n++;
	}
}

/* The wait op of this case: a peer sends on channel 1 "while we sleep". */
static struct chan_pair *late_pair;
static err_t send_while_asleep(void *ctx, uint64_t ticks)
{
	uint32_t v = 1;

	(void)ctx;
	(void)ticks;
	fw.calls++;
	CHECK_EQ(urpc_send(&late_pair->tx, 1, &v, sizeof v), ERR_OK);
	return ERR_OK;
}

static void t_urpc_channels_as_sources(void)
{
	struct urpc_hooks h = { .notify = count_notify };
	struct waitset_ops ops = { send_while_asleep, NULL, NULL };
	struct chan_pair p[2];
	struct waitset_urpc w[2];
	struct got g = { 0 };
	uint32_t v;

	memset(&fw, 0, sizeof fw);
	notifies = 0;
	waitset_init(&ws, store, 4, &ops, 8);
	for (int i = 0; i < 2; i++) {
		pair_open(&p[i], &h);
		waitset_urpc_init(&w[i], &p[i].rx, on_msg, &g);
		CHECK_EQ(waitset_add(&ws, &w[i].src), ERR_OK);
	}
	/* Messages waiting on both: served round robin, no sleep. */
	for (v = 1; v <= 2; v++) {
		CHECK_EQ(urpc_send(&p[0].tx, 0, &v, sizeof v), ERR_OK);
		CHECK_EQ(urpc_send(&p[1].tx, 1, &v, sizeof v), ERR_OK);
	}
	g.last[1] = 0;
	CHECK_EQ(waitset_dispatch(&ws, 0), ERR_OK);
	CHECK_EQ(waitset_dispatch(&ws, 0), ERR_OK);
	CHECK_EQ(g.n, 4);
	CHECK(g.order[0] != g.order[2]);        /* one channel, then the other */
	CHECK_EQ(notifies, 0);                  /* nobody slept */
	CHECK_EQ(fw.calls, 0);
	/* Nothing pending: the set sleeps, a message arrives meanwhile, and
	 * its sender notifies because the channel announced the sleep. */
	g.last[1] = 0;
	late_pair = &p[1];
	CHECK_EQ(waitset_dispatch(&ws, 0), ERR_OK);
	CHECK_EQ(fw.calls, 1);
	CHECK_EQ(notifies, 1);
	CHECK_EQ(g.n, 5);
	/* Awake again: a plain send does not notify. */
	v = 2;
	CHECK_EQ(urpc_send(&p[1].tx, 1, &v, sizeof v), ERR_OK);
	CHECK_EQ(notifies, 1);
	CHECK_EQ(waitset_dispatch(&ws, 0), ERR_OK);
	CHECK_EQ(g.n, 6);
	for (int i = 0; i < 2; i++)
		free(p[i].area);
}

/* ---- Two threads: a sender and a sleeping waitset ----------------------- */

struct token {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool set;
	unsigned timeouts;
};

static struct token tok = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
			    false, 0 };

static void tok_notify(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&tok.mu);
	tok.set = true;
	pthread_cond_signal(&tok.cv);
	pthread_mutex_unlock(&tok.mu);
}

static err_t tok_wait(void *ctx, uint64_t ticks)
{
	struct timespec ts;
	err_t e = ERR_OK;

	(void)ctx;
	(void)ticks;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	pthread_mutex_lock(&tok.mu);
	while (!tok.set && e == ERR_OK)
		if (pthread_cond_timedwait(&tok.cv, &tok.mu, &ts))
			e = ERR_TIMEOUT;
	if (e == ERR_TIMEOUT)
		tok.timeouts++;
	tok.set = false;
	pthread_mutex_unlock(&tok.mu);
	return e;
}

#define THREAD_MSGS 20000u
static struct chan_pair tp[2];

static void *sender(void *arg)
{
	(void)arg;
	for (uint32_t v = 1; v <= THREAD_MSGS; v++) {
		for (int i = 0; i < 2; i++)
			while (urpc_send(&tp[i].tx, (uint16_t)i, &v, sizeof v) != ERR_OK)
				;
		if (v % 64 == 0) {
			struct timespec ts = { 0, (long)(v % 7) * 20000 };
			nanosleep(&ts, NULL);   /* let the receiver fall asleep */
		}
	}
	return NULL;
}

static void t_urpc_threads_no_lost_wakeup(void)
{
	struct urpc_hooks h = { .notify = tok_notify };
	struct waitset_ops ops = { tok_wait, NULL, NULL };
	struct waitset_urpc w[2];
	struct got g = { 0 };
	pthread_t t;

	waitset_init(&ws, store, 4, &ops, 16);
	for (int i = 0; i < 2; i++) {
		pair_open(&tp[i], &h);
		waitset_urpc_init(&w[i], &tp[i].rx, on_msg, &g);
		waitset_add(&ws, &w[i].src);
	}
	pthread_create(&t, NULL, sender, NULL);
	while (g.n < 2 * THREAD_MSGS && !test_case_failed) {
		CHECK_EQ(waitset_dispatch(&ws, 0), ERR_OK);
		CHECK_EQ(tok.timeouts, 0);      /* a timeout = lost wake-up */
	}
	pthread_join(t, NULL);
	CHECK_EQ(g.last[0], THREAD_MSGS);
	CHECK_EQ(g.last[1], THREAD_MSGS);
	CHECK(ws.sleeps > 0);                   /* the case did sleep */
	for (int i = 0; i < 2; i++)
		free(tp[i].area);
}

int main(void)
{
	RUN(t_add_remove);
	RUN(t_empty_set);
	RUN(t_round_robin_is_fair);
	RUN(t_spins_before_sleeping);
	RUN(t_sleeps_with_announcement);
	RUN(t_recheck_after_announce_skips_wait);
	RUN(t_spurious_wakeups_sleep_again);
	RUN(t_timeout);
	RUN(t_no_wait_op_polls);
	RUN(t_run_until_stop);
	RUN(t_handler_may_remove_itself);
	RUN(t_urpc_channels_as_sources);
	RUN(t_urpc_threads_no_lost_wakeup);
	return test_summary();
}
