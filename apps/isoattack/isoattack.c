/*
 * isoattack: one attack on the CPU driver's isolation per run, and the
 * witness that checks the rest of the machine still works afterwards.
 *
 *   isoattack flags          syscalls (and timer interrupts) with NT, AC, ID
 *                            and DF set in RFLAGS; every call must answer
 *                            right and the flags come back as they were
 *   isoattack tf             TF set, then a syscall: the single-step trap
 *                            lands in ring 3 and ends this domain (#DB)
 *   isoattack resume         a dispatcher upcall entry at a non-canonical
 *                            address: the kernel must end this domain, not
 *                            iretq there
 *   isoattack resume-rsp     a valid upcall entry with a kernel-half stack
 *   isoattack map0           SYS_MAP in the first 64 KiB and at the last
 *                            user page: ERR_RANGE each; 64 KiB itself works
 *   isoattack kipc           SYS_IPC_SEND to every core without the kipc
 *                            right: ERR_PERM each
 *   isoattack frames         SYS_FRAME_ALLOC until refused: ERR_QUOTA
 *   isoattack ptables        frames mapped 1 GiB apart until refused:
 *                            the page tables count against the quota
 *   isoattack notify N       N/100 notifications at every other core and at
 *                            a page that is no channel (ERR_PERM each), N
 *                            through a channel bound to `echo` (coalesced),
 *                            then an echo round trip on it
 *   isoattack print N        N full-length prints as fast as possible
 *   isoattack code           the program's code is one copy for every
 *                            domain running it (the loader maps the boot
 *                            module's frames, docs/07-libos.md): SYS_UNMAP
 *                            and SYS_CHAN_DROP of a code page are refused,
 *                            then a write into spawn_hellos, the code the
 *                            witness (another isoattack) runs after its
 *                            wait, must end this domain (#PF) and leave the
 *                            witness's copy, the same frame, untouched
 *   isoattack check T LABEL  after T ticks, spawn `hello after=LABEL` on
 *                            every core and `client echo 20` on core 0
 *
 * Output (after "core N: isoattack: "): "<attack>: ..." result lines, then
 * "<attack> survived" for attacks that must be refused, or nothing for the
 * ones that must end the domain (the kernel prints "domain D (isoattack)
 * killed: ..."); "<attack> WRONG: ..." and exit 1 when the kernel let an
 * attack through.
 */
#include <libos/libos.h>
#include <libos/monclient.h>
#include <sys/domain.h>
#include "../echoproto.h"

#define NONCANONICAL    0x0000800000000000ull
#define KERNEL_HALF     0xffff800000000000ull
#define RFLAGS_TF       0x100ull
#define RFLAGS_DF       0x400ull
#define RFLAGS_NT       0x4000ull
#define RFLAGS_AC       0x40000ull
#define RFLAGS_ID       0x200000ull
#define RFLAGS_IOPL3    0x3000ull

static unsigned wrong;

static void fail(const char *attack, const char *what, int64_t got)
{
	wrong++;
	printf("%s WRONG: %s (got %lld %s)\n", attack, what, (long long)got,
	       got < 0 ? err_str((err_t)got) : "");
}

/*
 * One system call with `set` ORed into RFLAGS just before it (popfq), the
 * flags read back right after it, and DF/AC cleared again for C code.
 */
static int64_t syscall_with_flags(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t set,
				  uint64_t *flags_after)
{
	int64_t ret;
	uint64_t after;
	__asm__ volatile("pushfq\n\t"
			 "orq %[set], (%%rsp)\n\t"
			 "popfq\n\t"
			 "syscall\n\t"
			 "pushfq\n\t"
			 "popq %[after]\n\t"
			 "cld\n\t"
			 "pushq %[after]\n\t"
			 "andq $~0x244400, (%%rsp)\n\t"
			 "popfq"
			 : "=a"(ret), [after] "=&r"(after)
			 : "a"(nr), "D"(a0), "S"(a1), [set] "r"(set)
			 : "rcx", "r11", "memory", "cc");
	*flags_after = after;
	return ret;
}

static int attack_flags(void)
{
	static const char msg[] = "flags: print with NT AC DF ID set\n";
	const uint64_t set = RFLAGS_NT | RFLAGS_AC | RFLAGS_DF | RFLAGS_ID | RFLAGS_IOPL3;
	const uint64_t kept = RFLAGS_NT | RFLAGS_AC | RFLAGS_DF | RFLAGS_ID;
	uint64_t after;
	unsigned calls = 0;
	for (unsigned i = 0; i < 200; i++) {
		int64_t r = syscall_with_flags(SYS_CORE_ID, 0, 0, set, &after);
		calls++;
		if (r != libos_core_id())
			fail("flags", "SYS_CORE_ID answered wrong", r);
		if ((after & kept) != kept || (after & RFLAGS_IOPL3))
			fail("flags", "flags not restored as user flags", (int64_t)after);
		r = syscall_with_flags(SYS_YIELD, 0, 0, set, &after);
		calls++;
		if (r != 0)
			fail("flags", "SYS_YIELD answered wrong", r);
	}
	int64_t r = syscall_with_flags(SYS_PRINT, (uint64_t)msg, sizeof msg - 1, set, &after);
	calls++;
	if (r != (int64_t)sizeof msg - 1)
		fail("flags", "SYS_PRINT answered wrong", r);
	/* Preempted by the timer with NT and AC set (the interrupt path). */
	uint64_t end = libos_tsc() + libos_tsc_hz() / 20;
	__asm__ volatile("pushfq; orq %0, (%%rsp); popfq" : : "r"(RFLAGS_NT | RFLAGS_AC) : "cc");
	while (libos_tsc() < end)
		__asm__ volatile("pause");
	__asm__ volatile("pushfq; andq $~0x44000, (%%rsp); popfq" : : : "cc");
	printf("flags: %u syscalls with NT AC DF ID set answered right, flags kept\n", calls);
	return wrong ? 1 : 0;
}

__attribute__((noreturn)) static void attack_tf(void)
{
	uint64_t after;
	printf("tf: single-stepping into a syscall\n");
	syscall_with_flags(SYS_CORE_ID, 0, 0, RFLAGS_TF, &after);
	printf("tf WRONG: the single-step trap did not end this domain\n");
	exit(1);
}

/* Dispatcher upcalls to a bad address: wait for a preemption. */
__attribute__((noreturn)) static void attack_resume(uint64_t entry, uint64_t stack)
{
	struct dispatcher_shared *d = (struct dispatcher_shared *)DOMAIN_DISPATCHER_VA;
	printf("resume: upcall entry 0x%llx stack 0x%llx\n", (unsigned long long)entry,
	       (unsigned long long)stack);
	d->crit_lo = d->crit_hi = 0;
	d->upcall_stack = stack;
	__atomic_store_n(&d->run_entry, entry, __ATOMIC_RELEASE);
	__atomic_store_n(&d->disabled, 0, __ATOMIC_RELEASE);
	uint64_t end = libos_tsc() + 5 * libos_tsc_hz();
	while (libos_tsc() < end)
		__asm__ volatile("pause");
	/* No printf: libos's own dispatcher is gone, and so is any upcall. */
	static const char msg[] = "resume WRONG: no preemption ended this domain\n";
	sys_print(msg, sizeof msg - 1);
	sys_exit(1);
}

static void expect_map(uint64_t va, uint64_t pa, err_t want)
{
	err_t e = sys_map(va, pa, SYS_MAP_WRITE);
	printf("map0: map at 0x%llx: %s\n", (unsigned long long)va, e ? err_str(e) : "mapped");
	if (e != want)
		fail("map0", "unexpected answer", e);
	if (!e)
		sys_unmap(va);
}

static int attack_map0(void)
{
	int64_t pa = sys_frame_alloc();
	if (pa < 0) {
		fail("map0", "no frame", pa);
		return 1;
	}
	expect_map(0, (uint64_t)pa, ERR_RANGE);
	expect_map(0x1000, (uint64_t)pa, ERR_RANGE);
	expect_map(DOMAIN_VA_MIN - 0x1000, (uint64_t)pa, ERR_RANGE);
	expect_map(NONCANONICAL - 0x1000, (uint64_t)pa, ERR_RANGE);
	expect_map(DOMAIN_VA_MIN, (uint64_t)pa, ERR_OK);
	sys_frame_free((uint64_t)pa);
	if (!wrong)
		printf("map0 survived\n");
	return wrong ? 1 : 0;
}

/* n notifications at target; how many were refused, and the last error. */
static uint64_t flood(uint64_t target, uint64_t n, err_t *last)
{
	uint64_t refused = 0;
	for (uint64_t i = 0; i < n; i++) {
		err_t e = sys_notify(target);
		if (e) {
			refused++;
			*last = e;
		}
	}
	return refused;
}

/* One echo round trip and goodbye on a bound channel. */
static err_t echo_once(struct urpc_chan *c)
{
	struct echo_msg m = { libos_core_id(), libos_domain_id(), 1, 0 }, r;
	m.check = echo_check(&m);
	uint16_t type;
	size_t len;
	err_t e;
	while ((e = urpc_send(c, ECHO_MSG, &m, sizeof m)) == ERR_FULL)
		sys_yield();
	if (!e)
		e = urpc_recv(c, &type, &r, sizeof r, &len, 2000);
	if (!e && (type != ECHO_MSG || len != sizeof r || memcmp(&r, &m, sizeof m)))
		e = ERR_CHECKSUM;
	while (!e && (e = urpc_send(c, ECHO_BYE, "", 0)) == ERR_FULL)
		sys_yield();
	return e;
}

/*
 * Notifications at every other core (no right: refused), at a page that
 * is no channel (refused), then n through a real channel to the echo
 * service (accepted, coalesced by the kernel), then an echo on it.
 */
static int attack_notify(uint64_t n)
{
	unsigned me = libos_core_id();
	err_t last = ERR_OK;
	for (unsigned c = 0; c < libos_ncores(); c++) {
		if (c == me)
			continue;
		uint64_t refused = flood(c, n / 100, &last);
		printf("notify: core %u: %llu of %llu refused (%s)\n", c,
		       (unsigned long long)refused, (unsigned long long)(n / 100),
		       refused ? err_str(last) : "none");
		if (refused != n / 100 || last != ERR_PERM)
			fail("notify", "a notification of another core went through", last);
	}
	static char page[4096] __attribute__((aligned(4096)));
	page[0] = 1;
	uint64_t refused = flood((uint64_t)page, n / 100, &last);
	printf("notify: non-channel page: %llu of %llu refused (%s)\n",
	       (unsigned long long)refused, (unsigned long long)(n / 100),
	       refused ? err_str(last) : "none");
	if (refused != n / 100 || last != ERR_PERM)
		fail("notify", "a notification of a non-channel page went through", last);
	struct urpc_chan c;
	uint32_t core;
	err_t e = mon_bind("echo", 1, 20000, &c, &core);
	if (e) {
		fail("notify", "bind to echo", e);
		return 1;
	}
	last = ERR_OK;
	refused = flood((uint64_t)(uintptr_t)c.hooks.notify_arg, n, &last); /* the area */
	printf("notify: channel to core %u: %llu of %llu refused (%s)\n", core,
	       (unsigned long long)refused, (unsigned long long)n,
	       refused ? err_str(last) : "none");
	e = echo_once(&c);
	printf("notify: echo after the flood: %s\n", e ? err_str(e) : "ok");
	if (e)
		fail("notify", "echo after the flood", e);
	if (!wrong)
		printf("notify survived\n");
	return wrong ? 1 : 0;
}

static int attack_print(uint64_t n)
{
	static char line[SYS_PRINT_MAX];
	memset(line, 'p', sizeof line);
	uint64_t printed = 0;
	for (uint64_t i = 0; i < n; i++)
		if (sys_print(line, sizeof line) == (int64_t)sizeof line)
			printed++;
	printf("print: %llu of %llu floods printed\n", (unsigned long long)printed,
	       (unsigned long long)n);
	printf("print survived\n");
	return 0;
}

/* Owns frames until the kernel refuses: ERR_QUOTA, not the core's pool. */
static int attack_frames(void)
{
	static int64_t got[8192];
	unsigned n = 0;
	int64_t r;
	while (n < sizeof got / sizeof got[0] && (r = sys_frame_alloc()) > 0)
		got[n++] = r;
	printf("frames: %u frames, then %s\n", n, r < 0 ? err_str((err_t)r) : "no refusal");
	if (r != ERR_QUOTA)
		fail("frames", "not refused with ERR_QUOTA", r);
	while (n)
		sys_frame_free((uint64_t)got[--n]);
	if (!wrong)
		printf("frames survived\n");
	return wrong ? 1 : 0;
}

/* Frames mapped 1 GiB apart: every mapping costs new page tables. */
static int attack_ptables(void)
{
	int64_t pa = 0;
	uint64_t n = 0;
	err_t e = ERR_OK;
	while (n < 100000) {
		if (n % 200 == 0 && (pa = sys_frame_alloc()) < 0) { /* 255 mappings per frame */
			e = (err_t)pa;
			break;
		}
		e = sys_map(DOMAIN_HEAP_BASE + (n + 64) * (1ull << 30), (uint64_t)pa, 0);
		if (e)
			break;
		n++;
	}
	printf("ptables: %llu mappings 1 GiB apart, then %s\n", (unsigned long long)n,
	       e ? err_str(e) : "no refusal");
	if (e != ERR_QUOTA)
		fail("ptables", "not refused with ERR_QUOTA", e);
	if (!wrong)
		printf("ptables survived\n");
	return wrong ? 1 : 0;
}

/* Kernel IPC to every core's monitor without the kipc right: ERR_PERM. */
static int attack_kipc(void)
{
	static const char msg[] = "forged";
	for (unsigned c = 0; c < libos_ncores(); c++) {
		err_t e = (err_t)sys_raw(SYS_IPC_SEND, c, 1, (uint64_t)msg, sizeof msg, 0, 0);
		printf("kipc: to core %u domain 1: %s\n", c, e ? err_str(e) : "sent");
		if (e != ERR_PERM)
			fail("kipc", "kernel IPC without the right", e);
	}
	if (!wrong)
		printf("kipc survived\n");
	return wrong ? 1 : 0;
}

/* The witness's code after its wait: attack_code writes into it. */
static __attribute__((noinline)) unsigned spawn_hellos(const char *arg)
{
	const char *argv[] = { arg };
	unsigned spawned = 0;
	for (unsigned c = 0; c < libos_ncores(); c++) {
		uint32_t dom;
		err_t e = mon_spawn(c, "hello", 1, argv, &dom);
		if (e)
			printf("check WRONG: spawn hello on core %u: %s\n", c, err_str(e));
		else
			spawned++;
	}
	return spawned;
}

static void attack_code(void)
{
	uint64_t page = (uint64_t)(uintptr_t)spawn_hellos & ~4095ull;
	int64_t e = sys_unmap(page);
	if (e != ERR_PERM)
		fail("code", "SYS_UNMAP of a code page not refused with ERR_PERM", e);
	e = sys_chan_drop(page);
	if (e != ERR_RANGE)
		fail("code", "SYS_CHAN_DROP of a code page not refused with ERR_RANGE", e);
	printf("code: unmap and drop refused; writing into spawn_hellos at %#lx\n",
	       (unsigned long)(uintptr_t)spawn_hellos);
	*(volatile uint8_t *)(uintptr_t)spawn_hellos = 0xcc; /* int3, if it were written */
	fail("code", "the write into the code went through", 0);
	exit(1);
}

static int check(uint64_t ticks, const char *label)
{
	char arg[40];
	snprintf(arg, sizeof arg, "after=%s", label);
	sys_wait(ticks);
	unsigned spawned = spawn_hellos(arg);
	const char *cargv[] = { "echo", "20" };
	uint32_t dom;
	err_t e = mon_spawn(0, "client", 2, cargv, &dom);
	if (e)
		printf("check WRONG: spawn client on core 0: %s\n", err_str(e));
	printf("check: hello spawned on %u of %u cores, client %s\n", spawned, libos_ncores(),
	       e ? "not spawned" : "spawned");
	return spawned == libos_ncores() && !e ? 0 : 1;
}

int main(int argc, char **argv)
{
	uint64_t n = 0;
	const char *what = argc > 1 ? argv[1] : "";
	if (argc > 2 && parse_u64(argv[2], &n)) {
		printf("isoattack WRONG: bad number '%s'\n", argv[2]);
		return 2;
	}
	if (strcmp(what, "flags") == 0)
		return attack_flags();
	if (strcmp(what, "tf") == 0)
		attack_tf();
	if (strcmp(what, "resume") == 0)
		attack_resume(NONCANONICAL, DOMAIN_STACK_TOP - 4096);
	if (strcmp(what, "resume-rsp") == 0)
		attack_resume(DOMAIN_IMAGE_LO + 0x1000, KERNEL_HALF);
	if (strcmp(what, "map0") == 0)
		return attack_map0();
	if (strcmp(what, "kipc") == 0)
		return attack_kipc();
	if (strcmp(what, "frames") == 0)
		return attack_frames();
	if (strcmp(what, "ptables") == 0)
		return attack_ptables();
	if (strcmp(what, "notify") == 0)
		return attack_notify(n);
	if (strcmp(what, "print") == 0)
		return attack_print(n);
	if (strcmp(what, "code") == 0)
		attack_code();
	if (strcmp(what, "check") == 0 && argc == 4)
		return check(n, argv[3]);
	printf("isoattack WRONG: unknown attack '%s'\n", what);
	return 2;
}
