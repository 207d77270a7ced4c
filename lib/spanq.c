/* spanq.c: the home-to-instance change queue (see lib/spanq.h). */
#include <lib/spanq.h>

unsigned spanq_room(const struct span_queue *q)
{
	uint64_t tail = __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE);
	uint64_t used = q->head - tail;
	return used >= SPANQ_LEN ? 0 : SPANQ_LEN - (unsigned)used;
}

void spanq_push(struct span_queue *q, const struct span_change *c)
{
	uint64_t h = q->head;
	q->e[h % SPANQ_LEN] = *c;
	__atomic_store_n(&q->head, h + 1, __ATOMIC_RELEASE);
}

void spanq_fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

bool spanq_running(const struct span_queue *q)
{
	return __atomic_load_n(&q->running, __ATOMIC_RELAXED) != 0;
}

void spanq_enter(struct span_queue *q)
{
	__atomic_store_n(&q->running, 1, __ATOMIC_RELAXED);
	spanq_fence();
}

void spanq_leave(struct span_queue *q)
{
	__atomic_store_n(&q->running, 0, __ATOMIC_RELEASE);
}

err_t spanq_drain(struct span_queue *q, err_t (*apply)(void *ctx, const struct span_change *c),
		  void *ctx, uint64_t *applied)
{
	uint64_t head = __atomic_load_n(&q->head, __ATOMIC_ACQUIRE), tail = q->tail;
	if (head - tail > SPANQ_LEN)
		return ERR_INVAL;
	err_t e = ERR_OK;
	for (; tail != head; tail++) {
		struct span_change c = q->e[tail % SPANQ_LEN];
		e = apply(ctx, &c);
		if (e)
			break;
		if (applied)
			++*applied;
	}
	__atomic_store_n(&q->tail, tail, __ATOMIC_RELEASE);
	return e;
}
