/*
 * waitset.c: the event loop of include/libos/waitset.h.
 *
 * Sleeping is urpc_sleep (urpc/notify.c), the one implementation of the
 * receiver's steps, over the set's sources.  Why it is safe (the argument
 * of urpc/notify.c, per source): a
 * source made ready before our re-poll is seen by the re-poll; one made
 * ready after its sleep_begin was visible to the waker makes the waker
 * notify; the fence between announcing and re-polling, matched by the
 * waker's fence between publishing and reading the announcement, rules
 * out the third case (waker misses the announcement and we miss the
 * work).  The notification is a token SYS_WAIT keeps, so a notify that
 * lands between our re-poll and our wait still ends the wait.
 */
#include <libos/waitset.h>
#include <lib/string.h>
#include <urpc/urpc.h>

void waitset_init(struct waitset *ws, struct waitset_source **storage,
		  size_t cap, const struct waitset_ops *ops, unsigned spins)
{
	memset(ws, 0, sizeof *ws);
	ws->srcs = storage;
	ws->cap = cap;
	ws->spins = spins;
	if (ops)
		ws->ops = *ops;
}

static size_t waitset_find(const struct waitset *ws,
			   const struct waitset_source *s)
{
	size_t i;

	for (i = 0; i < ws->n && ws->srcs[i] != s; i++)
		;
	return i;
}

err_t waitset_add(struct waitset *ws, struct waitset_source *s)
{
	if (!s || !s->poll || !s->handler)
		return ERR_INVAL;
	if (waitset_find(ws, s) < ws->n)
		return ERR_EXIST;
	if (ws->n == ws->cap)
		return ERR_FULL;
	ws->srcs[ws->n++] = s;
	return ERR_OK;
}

err_t waitset_remove(struct waitset *ws, struct waitset_source *s)
{
	size_t i = waitset_find(ws, s);

	if (i == ws->n)
		return ERR_NOENT;
	for (; i + 1 < ws->n; i++)
		ws->srcs[i] = ws->srcs[i + 1];
	ws->n--;
	if (ws->next >= ws->n)
		ws->next = 0;
	return ERR_OK;
}

struct waitset_source *waitset_poll(struct waitset *ws)
{
	for (size_t i = 0; i < ws->n; i++) {
		size_t j = (ws->next + i) % ws->n;
		struct waitset_source *s = ws->srcs[j];

		if (s->poll(s->arg)) {
			ws->next = (j + 1) % ws->n;
			return s;
		}
	}
	return NULL;
}

/* The set's sources as the sources of urpc_sleep. */
struct waitset_sleep {
	struct waitset *ws;
	uint64_t ticks;
	struct waitset_source *ready;           /* what the re-poll found */
};

static void waitset_announce(void *ctx, size_t i)
{
	struct waitset_source *s = ((struct waitset_sleep *)ctx)->ws->srcs[i];

	if (s->sleep_begin)
		s->sleep_begin(s->arg);
}

static bool waitset_recheck(void *ctx)
{
	struct waitset_sleep *w = ctx;

	w->ready = waitset_poll(w->ws);
	return w->ready != NULL;
}

static void waitset_block(void *ctx)
{
	struct waitset_sleep *w = ctx;

	w->ws->sleeps++;
	w->ws->ops.wait(w->ws->ops.ctx, w->ticks);
}

static void waitset_withdraw(void *ctx, size_t i)
{
	struct waitset_source *s = ((struct waitset_sleep *)ctx)->ws->srcs[i];

	if (s->sleep_end)
		s->sleep_end(s->arg);
}

static const struct urpc_sleep_ops waitset_sleep_ops = {
	waitset_announce, waitset_recheck, waitset_block, waitset_withdraw,
};

/* Announce, fence, re-poll, wait, un-announce.  A ready source or NULL. */
static struct waitset_source *waitset_sleep(struct waitset *ws, uint64_t ticks)
{
	struct waitset_sleep w = { ws, ticks, NULL };

	urpc_sleep(&waitset_sleep_ops, &w, ws->n);
	return w.ready ? w.ready : waitset_poll(ws);
}

/* Poll spins + 1 rounds. */
static struct waitset_source *waitset_spin(struct waitset *ws)
{
	struct waitset_source *s;

	for (unsigned i = 0;; i++) {
		s = waitset_poll(ws);
		if (s || i >= ws->spins)
			return s;
		if (ws->ops.pause)
			ws->ops.pause();
	}
}

err_t waitset_dispatch(struct waitset *ws, uint64_t ticks)
{
	struct waitset_source *s;

	for (;;) {
		if (ws->n == 0)
			return ERR_EMPTY;
		s = waitset_spin(ws);
		if (!s && ws->ops.wait)
			s = waitset_sleep(ws, ticks);
		if (s)
			break;
		if (ticks)
			return ERR_TIMEOUT;
	}
	ws->served++;
	s->handler(s->arg);
	return ERR_OK;
}

err_t waitset_run(struct waitset *ws)
{
	err_t e;

	while (!ws->stopped) {
		e = waitset_dispatch(ws, 0);
		if (e != ERR_OK)
			return e;
	}
	ws->stopped = false;
	return ERR_OK;
}

void waitset_stop(struct waitset *ws)
{
	ws->stopped = true;
}
