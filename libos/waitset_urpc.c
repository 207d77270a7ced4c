/*
 * waitset_urpc.c: URPC channels as waitset sources (libos/waitset_urpc.h).
 * Pure: host-tested with real channels in tests/unit/test_waitset.c.
 */
#include <libos/waitset_urpc.h>

static bool wsu_poll(void *arg)
{
	struct waitset_urpc *w = arg;

	return urpc_pending(w->chan);
}

static void wsu_handler(void *arg)
{
	struct waitset_urpc *w = arg;

	w->on_message(w);
}

static void wsu_sleep_begin(void *arg)
{
	struct waitset_urpc *w = arg;

	urpc_rx_sleep_begin(w->chan);
}

static void wsu_sleep_end(void *arg)
{
	struct waitset_urpc *w = arg;

	urpc_rx_sleep_end(w->chan);
}

void waitset_urpc_init(struct waitset_urpc *w, struct urpc_chan *chan,
		       void (*on_message)(struct waitset_urpc *w), void *arg)
{
	w->src.poll = wsu_poll;
	w->src.handler = wsu_handler;
	w->src.sleep_begin = wsu_sleep_begin;
	w->src.sleep_end = wsu_sleep_end;
	w->src.arg = w;
	w->chan = chan;
	w->on_message = on_message;
	w->arg = arg;
}
