/*
 * syscall.c: the system calls of sys/syscall.h.  Each handler checks every
 * argument before acting and returns an err_t on refusal; user memory is
 * reached only through kernel/uaccess.h.
 */
#include <kernel/chanreg.h>
#include <kernel/chanwake.h>
#include <kernel/coninput.h>
#include <kernel/entry.h>
#include <kernel/console.h>
#include <kernel/corestatus.h>
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/frames.h>
#include <kernel/kipc.h>
#include <kernel/machine.h>
#include <kernel/memlayout.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/services.h>
#include <kernel/smp.h>
#include <kernel/trace.h>
#include <kernel/uaccess.h>
#include <arch/lapic.h>
#include <arch/paging.h>
#include <lib/fmt.h>
#include <lib/string.h>
#include <sys/monitor.h>

#define PRINT_LINE_MAX 512

static struct domain *current(void)
{
	return cpu_self()->sched.current;
}

/*
 * Prints one line of a domain's output, "core N: <program>: <text>", cut to
 * one console line; control characters become '?'.  Waits (yielding the
 * core) while this core's console ring is full: a flood slows only itself.
 */
static void print_line(const struct domain *d, char *line, uint64_t n)
{
	char out[PRINT_LINE_MAX];
	for (uint64_t i = 0; i < n; i++)
		if ((unsigned char)line[i] < 0x20 || (unsigned char)line[i] > 0x7e)
			line[i] = '?';
	if (d->privileged && n > 3 && memcmp(line, "EV ", 3) == 0) {
		/* the monitor's event line: the kernel adds the core (kernel/event.h) */
		int ev = fmt_snprintf(out, sizeof out, "EV core=%u %.*s\n", cpu_id(),
				      (int)(n - 3), line + 3);
		if (ev >= (int)sizeof out) {
			ev = sizeof out - 1;
			out[ev - 1] = '\n';
		}
		console_put_user(out, (unsigned long)ev);
		return;
	}
	int len = fmt_snprintf(out, sizeof out, "core %u: %s: %.*s\n", cpu_id(), d->program,
			       (int)n, line);
	if (len >= (int)sizeof out) {
		len = sizeof out - 1;
		out[len - 1] = '\n';
	}
	console_put_user(out, (unsigned long)len);
}

static int64_t sys_print(uint64_t uva, uint64_t len)
{
	char buf[SYS_PRINT_MAX];
	if (len > SYS_PRINT_MAX)
		return ERR_TOOBIG;
	err_t e = copy_from_user(buf, uva, len);
	if (e)
		return e;
	uint64_t start = 0;
	for (uint64_t i = 0; i <= len; i++) {
		if (i == len || buf[i] == '\n') {
			if (i > start || (i < len && i == start))
				print_line(current(), buf + start, i - start);
			start = i + 1;
		}
	}
	return (int64_t)len;
}

static int64_t sys_frame_alloc(void)
{
	uint64_t pa;
	err_t e = frames_alloc(current(), &pa);
	return e ? e : (int64_t)pa;
}

static int64_t sys_map(uint64_t va, uint64_t pa, uint64_t flags)
{
	struct domain *d = current();
	if (span_frozen(d))
		return ERR_SPANNED;
	if (flags & ~(uint64_t)(SYS_MAP_WRITE | SYS_MAP_EXEC) ||
	    flags == (SYS_MAP_WRITE | SYS_MAP_EXEC))
		return ERR_INVAL;
	if (!user_page_addr_ok(va))
		return ERR_RANGE;
	return frames_map(current(), va, pa, flags & SYS_MAP_WRITE, flags & SYS_MAP_EXEC);
}

static int64_t sys_unmap(uint64_t va)
{
	struct domain *d = current();
	if (span_frozen(d))
		return ERR_SPANNED;
	if (!user_page_addr_ok(va))
		return ERR_RANGE;
	return frames_unmap(current(), va);
}

/*
 * A channel address: notify the other party of that channel only
 * (kernel/chanwake.h).  A core number: the caller's own core notifies the
 * caller itself; another core (every domain there) needs the right to
 * notify cores (the monitors have it).
 */
static int64_t sys_notify(uint64_t target)
{
	struct domain *d = current();
	unsigned me = cpu_self()->id;
	if (target >= DOMAIN_VA_MIN && target < USER_TOP)
		return chanwake_notify(d, target);
	if (target >= smp_cores_planned() || core_status_get((unsigned)target) != CORE_UP)
		return ERR_RANGE;
	if (d->span.wake_key && target != me) {   /* its own span's participant there */
		err_t e = chanwake_notify_key(d, d->span.wake_key, (unsigned)target);
		if (e != ERR_NOENT)
			return e;
	}
	if (!domain_may_notify(d, (unsigned)target)) {
		if (target == me) {
			sched_notify_domain(d->id);
			return ERR_OK;
		}
		domain_refused(d, "SYS_NOTIFY", ERR_PERM, "core %lu: no right to notify cores",
			       target);
		return ERR_PERM;
	}
	return chanwake_notify_core((unsigned)target);
}

/* Pages of the channel area whose first page is at va (foreign frames only); <0: why not. */
static int64_t chan_pages_at(const struct domain *d, uint64_t va)
{
	if ((va & (PAGE_SIZE - 1)) || va < DOMAIN_CHAN_VA || va >= d->next_chan_va)
		return ERR_RANGE;
	if (va > DOMAIN_CHAN_VA && (vm_lookup(d->pml4, va - PAGE_SIZE) & PTE_P))
		return ERR_INVAL;       /* areas have an unmapped page before them */
	int64_t n = 0;
	for (uint64_t pte; n < CHAN_MAX_PAGES; n++) {
		pte = vm_lookup(d->pml4, va + (uint64_t)n * PAGE_SIZE);
		if (!(pte & PTE_P))
			break;
		if (frames_find(d, pte & PTE_ADDR) >= 0)
			return ERR_INVAL; /* its own frame: not a channel a monitor mapped */
	}
	return n ? n : ERR_NOENT;
}

static int64_t sys_chan_drop(uint64_t va)
{
	struct domain *d = current();
	if (span_frozen(d))
		return ERR_SPANNED;
	int64_t n = chan_pages_at(d, va);
	if (n < 0)
		return n;
	uint64_t first = vm_lookup(d->pml4, va) & PTE_ADDR;
	for (int64_t i = 0; i < n; i++)
		vm_unmap(d->pml4, va + (uint64_t)i * PAGE_SIZE, 0);
	chanwake_remove(first, d);
	return n;
}

static int64_t do_syscall(struct trap_frame *f)
{
	switch (f->rax) {
	case SYS_PRINT:       return sys_print(f->rdi, f->rsi);
	case SYS_YIELD:       sched_yield(); return 0;
	case SYS_EXIT:        domain_exit((int)f->rdi);
	case SYS_CORE_ID:     return cpu_self()->id;
	case SYS_TSC_HZ:      return (int64_t)cpu_self()->tsc_hz;
	case SYS_FRAME_ALLOC: return sys_frame_alloc();
	case SYS_FRAME_FREE:  return frames_free(current(), f->rdi);
	case SYS_MAP:         return sys_map(f->rdi, f->rsi, f->rdx);
	case SYS_UNMAP:       return sys_unmap(f->rdi);
	case SYS_NOTIFY:      return sys_notify(f->rdi);
	case SYS_WAIT:        return sched_wait(f->rdi);
	case SYS_DOMAIN_ID:   return current()->id;
	case SYS_IPC_SEND:    return sys_ipc_send(f->rdi, f->rsi, f->rdx, f->r10);
	case SYS_IPC_RECV:    return sys_ipc_recv(f->rdi, f->rsi);
	case SYS_TRACE:       return trace_syscall(f->rdi);
	case SYS_CONSOLE_READ: return coninput_read(f->rdi, f->rsi, f->rdx);
	case SYS_CONSOLE_WRITE: return coninput_write(f->rdi, f->rsi);
	case SYS_POWEROFF:    return coninput_poweroff();
	case SYS_MODULE_NAME: return services_module_name(f->rdi, f->rsi);
	case SYS_SPAN_LAZY:   return span_sys_lazy(current(), f->rdi, f->rsi, f->rdx, f->r10);
	case SYS_CHAN_DROP:   return sys_chan_drop(f->rdi);
	default:
		if (f->rax >= SYS_MONITOR_FIRST && f->rax <= SYS_MONITOR_LAST)
			return monitor_syscall(f);
		return ERR_NOSYS;
	}
}

void syscall_dispatch(struct trap_frame *f)
{
	uint32_t nr = (uint32_t)f->rax;
	ktrace(TR_SYSCALL_ENTER, nr, 0, 0);
	f->rax = (uint64_t)do_syscall(f);
	ktrace(TR_SYSCALL_EXIT, nr, f->rax, 0);
}
