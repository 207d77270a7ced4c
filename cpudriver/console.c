/*
 * console.c: whole-line output to the shared UART, without making one core
 * wait for another.
 *
 * Each core appends its lines to its own ring (struct console_ring in its
 * struct cpu); only that core writes the ring's head.  Whoever holds the
 * console lock writes pending lines of every core's ring to the UART and
 * advances their tails; a core never spins for the lock to print: it takes
 * it only if it is free (try-lock), drains at most CONSOLE_DRAIN_BUDGET
 * bytes of whole lines, and leaves the rest to the next holder.  Lines of
 * one core come out in order; a line is never split.  Cores with pending
 * lines retry on every timer tick (console_poll), so an idle core's output
 * still comes out.
 *
 * A domain that prints faster than the UART drains (SYS_PRINT) fills its
 * own core's ring and then waits in console_put_user, yielding its core:
 * it slows only itself and the domains of its own core get their turns.
 * Kernel lines (klog) on a full ring wait for the lock (a bounded wait: every
 * holder drains a bounded amount).  Panics and exception reports go through
 * console_write_urgent: it waits a bounded time for the lock, then writes
 * anyway, so a core that died holding the lock cannot silence the others.
 *
 * The lock is the one piece of mutable memory every CPU driver writes (with
 * core_status; see docs/01-boot.md), a test-and-test-and-set lock, not a
 * ticket lock: with more vCPUs than host CPUs a fair lock waits for the one
 * descheduled vCPU whose turn it is.  Before a core has its struct cpu
 * (the first lines of the boot core) output goes straight to the UART.
 */
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/sched.h>
#include <arch/uart.h>
#include <arch/x86.h>
#include <lib/fmt.h>
#include <stdint.h>

#define CONSOLE_LINE_MAX     512
#define CONSOLE_DRAIN_BUDGET 8192
#define URGENT_SPINS         2000000

_Static_assert((CONSOLE_RING_SIZE & (CONSOLE_RING_SIZE - 1)) == 0, "ring index math");

static uint32_t console_lock;
static struct console_ring *rings[CORES_MAX]; /* slot i written once, by core i */
static unsigned drain_next;                 /* under console_lock */

void console_init(void)
{
	uart_init();
}

void console_attach(struct cpu *c)
{
	c->console.head = c->console.tail = 0;
	__atomic_store_n(&rings[c->id], &c->console, __ATOMIC_RELEASE);
}

static bool lock_try(void)
{
	return !__atomic_load_n(&console_lock, __ATOMIC_RELAXED) &&
	       !__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE);
}

static bool lock_wait(unsigned long spins)
{
	for (unsigned long i = 0; !spins || i < spins; i++) {
		if (lock_try())
			return true;
		cpu_relax();
	}
	return false;
}

static void lock_release(void)
{
	__atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}

static void uart_write(const char *s, unsigned long len)
{
	for (unsigned long i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

/* Writes everything ring r holds (whole lines); returns the byte count. */
static uint32_t drain_ring(struct console_ring *r)
{
	uint32_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
	uint32_t tail = r->tail, n = head - tail;
	while (tail != head) {
		uint32_t at = tail % CONSOLE_RING_SIZE;
		uint32_t run = CONSOLE_RING_SIZE - at < head - tail ? CONSOLE_RING_SIZE - at
								     : head - tail;
		uart_write(r->buf + at, run);
		tail += run;
	}
	__atomic_store_n(&r->tail, tail, __ATOMIC_RELEASE);
	return n;
}

/* Caller holds the lock: drain rings round-robin up to the budget. */
static void drain_locked(void)
{
	uint32_t done = 0;
	for (unsigned k = 0; k < CORES_MAX && done < CONSOLE_DRAIN_BUDGET; k++) {
		unsigned i = (drain_next + k) % CORES_MAX;
		struct console_ring *r = __atomic_load_n(&rings[i], __ATOMIC_ACQUIRE);
		if (r && r->tail != __atomic_load_n(&r->head, __ATOMIC_ACQUIRE)) {
			done += drain_ring(r);
			drain_next = i + 1;
		}
	}
}

static bool ring_pending(const struct console_ring *r)
{
	return __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) != r->head;
}

void console_flush(void)
{
	bool locked = lock_wait(URGENT_SPINS);
	for (unsigned i = 0; i < CORES_MAX; i++) {
		struct console_ring *r = __atomic_load_n(&rings[i], __ATOMIC_ACQUIRE);
		if (r)
			drain_ring(r);
	}
	if (locked)
		lock_release();
}

void console_poll(void)
{
	struct cpu *c = cpu_self();
	if (c && ring_pending(&c->console) && lock_try()) {
		drain_locked();
		lock_release();
	}
}

/* Appends a whole text if it fits; false if the ring has no room. */
static bool ring_put(struct console_ring *r, const char *s, uint32_t len)
{
	uint32_t head = r->head;
	if (len > CONSOLE_RING_SIZE - (head - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE)))
		return false;
	for (uint32_t i = 0; i < len; i++)
		r->buf[(head + i) % CONSOLE_RING_SIZE] = s[i];
	__atomic_store_n(&r->head, head + len, __ATOMIC_RELEASE);
	return true;
}

static struct cpu *this_cpu(void)
{
	return cpu_id_ready() ? cpu_self() : 0;
}

void console_write(const char *s, unsigned long len)
{
	struct cpu *c = this_cpu();
	if (!c || !rings[c->id]) {
		lock_wait(0);
		uart_write(s, len);
		lock_release();
		return;
	}
	if (len > CONSOLE_RING_SIZE)
		len = CONSOLE_RING_SIZE;
	while (!ring_put(&c->console, s, (uint32_t)len)) {
		lock_wait(0); /* kernel lines wait: every holder drains a bounded amount */
		drain_locked();
		lock_release();
	}
	console_poll();
}

bool console_put_user(const char *s, unsigned long len)
{
	struct cpu *c = this_cpu();
	if (len > CONSOLE_RING_SIZE)
		return false;
	while (!ring_put(&c->console, s, (uint32_t)len)) {
		console_poll();
		if (ring_put(&c->console, s, (uint32_t)len))
			break;
		sched_yield(); /* this core's other domains run; the ring drains */
	}
	console_poll();
	return true;
}

void console_write_urgent(const char *s, unsigned long len)
{
	struct cpu *c = this_cpu();
	bool locked = lock_wait(URGENT_SPINS);
	if (c && rings[c->id] && locked)
		drain_ring(&c->console); /* what this core said before comes first */
	uart_write(s, len);
	if (locked)
		lock_release();
}

static int format_line(char *buf, const char *prefix_fmt, unsigned id, const char *fmt,
		       va_list ap)
{
	int n = prefix_fmt ? fmt_snprintf(buf, CONSOLE_LINE_MAX, prefix_fmt, id) : 0;
	if (n < CONSOLE_LINE_MAX)
		n += fmt_vsnprintf(buf + n, CONSOLE_LINE_MAX - (unsigned)n, fmt, ap);
	if (n >= CONSOLE_LINE_MAX) {
		n = CONSOLE_LINE_MAX - 1;
		buf[n - 1] = '\n'; /* keep the line a line even if cut */
	}
	return n;
}

void kvprintf(const char *fmt, va_list ap)
{
	char buf[CONSOLE_LINE_MAX];
	int n = format_line(buf, 0, 0, fmt, ap);
	console_write(buf, (unsigned long)n);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void kprintf_urgent(const char *fmt, ...)
{
	char buf[CONSOLE_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = format_line(buf, 0, 0, fmt, ap);
	va_end(ap);
	console_write_urgent(buf, (unsigned long)n);
}

void klog(const char *fmt, ...)
{
	char buf[CONSOLE_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = format_line(buf, "core %u: ", cpu_id(), fmt, ap);
	va_end(ap);
	console_write(buf, (unsigned long)n);
}
