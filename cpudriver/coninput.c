/* coninput.c: the serial console's input (kernel/coninput.h). */
#include <kernel/coninput.h>
#include <kernel/console.h>
#include <kernel/corestatus.h>
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/event.h>
#include <kernel/machine.h>
#include <kernel/platform.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <arch/ioapic.h>
#include <arch/lapic.h>
#include <arch/trap.h>
#include <arch/uart.h>
#include <sys/rights.h>

#define INPUT_BUF  1024           /* power of two */
#define NO_OWNER   (~0ull)

static bool have_ioapic;          /* boot-time fact */
/* Shared, claimed by compare-and-swap: the owner's core | its generation << 32. */
static uint64_t owner = NO_OWNER;

/* Touched only by the owner core (a new owner's once the old one's CPU driver ended). */
static uint32_t owner_dom;
static uint8_t buf[INPUT_BUF];
static uint32_t head, tail;
/*
 * The buffer filled: the UART's receive interrupt is off, so the bytes wait
 * in the UART (and QEMU holds the rest: the sender sees back-pressure, not
 * loss) until the reader takes some (take).  Before, bytes past a full
 * buffer were dropped: a 3000-byte line typed at a shell its core did not
 * run for a while lost its Enter.
 */
static bool rx_paused;

void coninput_boot_init(void)
{
	unsigned lines = ioapic_init(machine_acpi());
	have_ioapic = lines > ISA_IRQ_COM1;
	klog("console input: %s\n", have_ioapic ? "UART receive interrupt through the I/O APIC"
						 : "no I/O APIC line for the UART; no input");
}

/* Move what the UART holds into buf; a full buffer pauses the receive interrupt. */
static void drain_uart(void)
{
	while (head - tail < INPUT_BUF && uart_rx_ready())
		buf[head++ % INPUT_BUF] = uart_rx_byte();
	if (head - tail == INPUT_BUF && uart_rx_ready()) {
		rx_paused = true;
		uart_rx_enable(false);
	}
}

static void on_uart(struct trap_frame *f)
{
	(void)f;
	drain_uart();
	lapic_eoi();
	sched_notify_domain(owner_dom);
}

/* This incarnation of the calling core, as the owner word holds it. */
static uint64_t owner_self(void)
{
	unsigned id = cpu_self()->id;
	return id | (uint64_t)__atomic_load_n(&core_status[id].generation, __ATOMIC_ACQUIRE) << 32;
}

/*
 * Whether the CPU driver that claimed as word o has ended: its core is no
 * longer up (stopped, fenced, panicked: it halted with interrupts off
 * after publishing that, so it touches the input no more) or has been
 * restarted since (another generation: a fresh CPU driver that never
 * claimed).  Its claim then passes to whoever asks next.
 */
static bool owner_ended(uint64_t o)
{
	unsigned core = (unsigned)o;
	uint32_t gen = (uint32_t)(o >> 32);
	return core >= CORES_MAX || core_status_get(core) != CORE_UP ||
	       __atomic_load_n(&core_status[core].generation, __ATOMIC_ACQUIRE) != gen;
}

/* Make the calling domain the input's owner, or say why not. */
static err_t claim(const struct domain *d)
{
	uint64_t me = owner_self(), o = __atomic_load_n(&owner, __ATOMIC_ACQUIRE);
	if (o == me && owner_dom == d->id)
		return ERR_OK;
	if (o != NO_OWNER && (o == me || !owner_ended(o)))
		return ERR_BUSY;          /* a live domain holds it, here or on a running core */
	if (!__atomic_compare_exchange_n(&owner, &o, me, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return ERR_BUSY;
	if (o != NO_OWNER) {
		klog("console input: the claim of core %u (incarnation %u) ended with its CPU "
		     "driver; taken over\n", (unsigned)o, (unsigned)(o >> 32));
		kevent("console.takeover", "from=%u generation=%u", (unsigned)o, (unsigned)(o >> 32));
	}
	owner_dom = d->id;
	head = tail = 0;
	rx_paused = false;
	trap_set_irq_handler(VEC_UART, on_uart);
	uart_rx_enable(true);
	ioapic_route(ISA_IRQ_COM1, VEC_UART, cpu_self()->apic_id);
	drain_uart(); /* bytes typed before the claim */
	klog("console input goes to domain %u (%s) on this core\n", d->id, d->program);
	return ERR_OK;
}

static uint64_t take(uint64_t ubuf, uint64_t len)
{
	uint8_t out[256];
	uint64_t n = head - tail;
	if (n > len)
		n = len;
	if (n > sizeof out)
		n = sizeof out;
	for (uint64_t i = 0; i < n; i++)
		out[i] = buf[(tail + i) % INPUT_BUF];
	if (n && copy_to_user(ubuf, out, n))
		return (uint64_t)ERR_FAULT;
	tail += (uint32_t)n;
	if (n && rx_paused) {     /* room again: the interrupt comes back for what waits */
		rx_paused = false;
		uart_rx_enable(true);
		drain_uart();
	}
	return n;
}

int64_t coninput_read(uint64_t ubuf, uint64_t len, uint64_t ticks)
{
	struct domain *d = cpu_self()->sched.current;
	if (!(d->rights & DOMAIN_RIGHT_CONSOLE))
		return ERR_PERM;
	if (!have_ioapic)
		return ERR_UNSUPPORTED;
	err_t e = claim(d);
	if (e)
		return e;
	if (head == tail && ticks)
		sched_wait(ticks);
	return (int64_t)take(ubuf, len);
}

void coninput_domain_end(const struct domain *d)
{
	if (__atomic_load_n(&owner, __ATOMIC_ACQUIRE) != owner_self() || owner_dom != d->id)
		return;
	ioapic_mask(ISA_IRQ_COM1);
	uart_rx_enable(false);
	owner_dom = 0;
	__atomic_store_n(&owner, NO_OWNER, __ATOMIC_RELEASE);
}

int64_t coninput_write(uint64_t ubuf, uint64_t len)
{
	const struct domain *d = cpu_self()->sched.current;
	char text[CONSOLE_WRITE_MAX];
	uint64_t n = 0;
	if (!(d->rights & DOMAIN_RIGHT_CONSOLE))
		return ERR_PERM;
	if (len > sizeof text)
		return ERR_TOOBIG;
	err_t e = copy_from_user(text, ubuf, len);
	if (e)
		return e;
	for (uint64_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\b' || c == 0x1b)
			text[n++] = (char)c;
	}
	if (n && !console_put_user(text, n))
		return ERR_TOOBIG;
	return (int64_t)len;
}

int64_t coninput_poweroff(void)
{
	const struct domain *d = cpu_self()->sched.current;
	if (!(d->rights & DOMAIN_RIGHT_CONSOLE))
		return ERR_PERM;
	klog("powered off by domain %u (%s)\n", d->id, d->program);
	console_flush();
	platform_exit(EXIT_SUCCESS_CODE);
}
