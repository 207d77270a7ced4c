/* outq.c: an outgoing queue in front of one URPC channel (monitor/outq.h). */
#include <libos/malloc.h>
#include <lib/string.h>
#include "monitor.h"
#include "outq.h"

struct outq_msg {
	struct outq_msg *next;
	uint16_t type;
	uint16_t len;
	uint8_t body[] __attribute__((aligned(8)));
};

void outq_init(struct outq *q, unsigned max, const char *who,
	       const char *(*type_name)(uint16_t type))
{
	outq_drop(q);
	q->max = max;
	q->full_logged = false;
	mon_copy(q->who, who, sizeof q->who);
	q->type_name = type_name;
}

static void pop(struct outq *q)
{
	struct outq_msg *m = q->head;
	q->head = m->next;
	if (!q->head)
		q->tail = 0;
	q->len--;
	free(m);
}

static err_t push_back(struct outq *q, uint16_t type, const void *msg, size_t len)
{
	if (q->len >= q->max) {
		if (!q->full_logged)
			mon_log("%s: %u messages wait for room in its channel; refusing more "
				"until it reads", q->who, q->len);
		q->full_logged = true;
		return ERR_FULL;
	}
	struct outq_msg *m = malloc(sizeof *m + len);
	if (!m)
		return ERR_NOMEM;
	m->next = 0;
	m->type = type;
	m->len = (uint16_t)len;
	memcpy(m->body, msg, len);
	if (q->tail)
		q->tail->next = m;
	else
		q->head = m;
	q->tail = m;
	q->len++;
	return ERR_OK;
}

err_t outq_send(struct outq *q, struct urpc_chan *c, uint16_t type, const void *msg,
		size_t len)
{
	outq_flush(q, c);
	if (!q->head) {
		err_t e = urpc_send(c, type, msg, len);
		if (e != ERR_FULL)
			return e;
	}
	return push_back(q, type, msg, len);
}

void outq_flush(struct outq *q, struct urpc_chan *c)
{
	if (!q->head)
		return;
	while (q->head) {
		struct outq_msg *m = q->head;
		err_t e = urpc_send(c, m->type, m->body, m->len);
		if (e == ERR_FULL)
			return;
		if (e)
			mon_log("%s: queued %s not delivered (%s)", q->who,
				q->type_name(m->type), err_str(e));
		pop(q);
	}
	q->full_logged = false;
}

void outq_drop(struct outq *q)
{
	while (q->head)
		pop(q);
	q->full_logged = false;
}
