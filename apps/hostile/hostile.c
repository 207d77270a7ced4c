/*
 * hostile: a domain that attacks its CPU driver through the system-call
 * ABI (include/sys/syscall.h) and then commits a fault on purpose.
 *
 *   hostile [null|priv|cli|div|stack|ud|gp|wtext|xdata|kread|none]
 *
 * First every bad-argument check: each must come back as the documented
 * err_t, never as success and never as a kernel fault (the monitors'
 * calls among them: SYS_CORE_FENCE with real, forged and out-of-range
 * cores and generations, SYS_CORE_GENERATION, SYS_CORE_STOP, SYS_CHAN_MAPPED,
 * SYS_POOL_ADOPT, SYS_POOL_MONMEM, SYS_POOL_RELEASE: ERR_PERM).  One line each,
 * after the kernel's "core N: hostile: " prefix:
 *   <check> ok
 *   <check> WRONG (got X, want Y)
 * then "all N checks passed" or "K of N checks failed".
 *
 * Then the fault named by the first argument (default none): the kernel
 * must report it and end this domain, and only this domain.
 *   null   write through a NULL pointer        (#PF)
 *   priv   hlt in ring 3                       (#GP)
 *   cli    cli in ring 3                       (#GP)
 *   div    integer division by zero            (#DE)
 *   stack  unbounded recursion into the guard page below the stack (#PF)
 *   ud     ud2                                 (#UD)
 *   gp     load through a non-canonical pointer (#GP)
 *   wtext  write to our own code               (#PF, text is read-only)
 *   xdata  jump into our writable data         (#PF, data is NX)
 *   kread  read kernel memory                  (#PF, supervisor page)
 *   wxalias  not a fault: probe SYS_MAP over the first 1 GiB of physical
 *          memory for the frame holding our own code; if the kernel lets
 *          us map it writable, patch it and run the patch (W^X broken by
 *          aliasing: prints "wxalias: W^X broken ..." and exits 4), else
 *          prints "wxalias: no writable alias of code" and exits 0
 *   none   exit 0
 * A fault that does not fault prints "fault <name> did not fault" and
 * exits 3; an unknown name exits 2.
 */
#include <libos/libos.h>
#include <sys/domain.h>
#include <sys/monitor.h>

#define KERNEL_VA_LO    0xffff800000000000ull
#define KERNEL_VA_TEXT  0xffffffff80000000ull
#define NONCANONICAL    0x0000800000000000ull
#define UNMAPPED_VA     0x0000000800000000ull   /* below the heap */
#define SCRATCH_VA      0x0000002000000000ull   /* our own test pages */
#define KERNEL_PA       0x100000ull              /* the kernel image */

static unsigned checks, failures;

/* got must be one of want / alt (alt 1: no alternative). */
static void expect(const char *what, int64_t got, int64_t want, int64_t alt)
{
	checks++;
	if (got == want || (alt != 1 && got == alt)) {
		printf("%s ok\n", what);
		return;
	}
	failures++;
	printf("%s WRONG (got %lld %s, want %lld %s)\n", what, (long long)got,
	       got <= 0 ? err_str((err_t)got) : "", (long long)want,
	       err_str((err_t)want));
}

static char big[SYS_PRINT_MAX + 1];

static void print_checks(void)
{
	static const char msg[] = "print from rodata\n";

	expect("print valid rodata", sys_print(msg, sizeof msg - 1),
	       sizeof msg - 1, 1);
	expect("print kernel pointer", sys_print((void *)KERNEL_VA_LO, 16),
	       ERR_FAULT, 1);
	expect("print kernel text", sys_print((void *)KERNEL_VA_TEXT, 16),
	       ERR_FAULT, 1);
	expect("print unmapped", sys_print((void *)UNMAPPED_VA, 16),
	       ERR_FAULT, 1);
	expect("print NULL", sys_print(NULL, 8), ERR_FAULT, 1);
	expect("print non-canonical", sys_print((void *)NONCANONICAL, 16),
	       ERR_FAULT, 1);
	expect("print wrapping", sys_print((void *)0xfffffffffffffff0ull, 32),
	       ERR_FAULT, 1);
	expect("print user end straddle",
	       sys_print((void *)(NONCANONICAL - 8), 16), ERR_FAULT, 1);
	memset(big, 'x', sizeof big);
	expect("print too long", sys_print(big, SYS_PRINT_MAX + 1),
	       ERR_TOOBIG, 1);
	expect("print huge length", sys_print(big, (size_t)-1), ERR_TOOBIG, 1);
}

/* A page of ours at SCRATCH_VA, with nothing mapped after it. */
static void scratch_checks(void)
{
	int64_t pa = sys_frame_alloc(), pa2 = sys_frame_alloc();
	char *page = (char *)SCRATCH_VA;

	expect("frame alloc", pa < 0 ? pa : 0, 0, 1);
	expect("frame alloc 2", pa2 < 0 ? pa2 : 0, 0, 1);
	if (pa < 0 || pa2 < 0)
		return;
	expect("map own frame", sys_map(SCRATCH_VA, (uint64_t)pa, SYS_MAP_WRITE),
	       ERR_OK, 1);
	/* No NUL on purpose: the print below runs off the mapped page. */
	memcpy(page + 4096 - 8, "straddl\n", 8); // NOLINT(bugprone-not-null-terminated-result)
	expect("print runs into unmapped",
	       sys_print(page + 4096 - 8, 16), ERR_FAULT, 1);
	expect("print last bytes of page", sys_print(page + 4096 - 8, 8), 8, 1);
	expect("map already mapped va",
	       sys_map(SCRATCH_VA, (uint64_t)pa2, SYS_MAP_WRITE), ERR_EXIST, 1);
	expect("map over the image", sys_map(DOMAIN_IMAGE_LO, (uint64_t)pa2, 0),
	       ERR_EXIST, 1);
	expect("map over start info",
	       sys_map(DOMAIN_START_INFO, (uint64_t)pa2, SYS_MAP_WRITE),
	       ERR_EXIST, 1);
	expect("map kernel va", sys_map(KERNEL_VA_LO, (uint64_t)pa2, 0),
	       ERR_RANGE, 1);
	expect("map kernel text va", sys_map(KERNEL_VA_TEXT, (uint64_t)pa2, 0),
	       ERR_RANGE, 1);
	expect("map non-canonical va", sys_map(NONCANONICAL, (uint64_t)pa2, 0),
	       ERR_RANGE, 1);
	expect("map unaligned va",
	       sys_map(SCRATCH_VA + 0x10010, (uint64_t)pa2, 0), ERR_RANGE, 1);
	expect("map unknown flags",
	       sys_map(SCRATCH_VA + 0x10000, (uint64_t)pa2, 0x80), ERR_INVAL, 1);
	expect("map write+exec",
	       sys_map(SCRATCH_VA + 0x10000, (uint64_t)pa2,
		       SYS_MAP_WRITE | SYS_MAP_EXEC), ERR_INVAL, ERR_PERM);
	expect("map foreign frame (kernel)",
	       sys_map(SCRATCH_VA + 0x10000, KERNEL_PA, SYS_MAP_WRITE),
	       ERR_PERM, 1);
	expect("map unaligned frame",
	       sys_map(SCRATCH_VA + 0x10000, (uint64_t)pa2 + 8, 0), ERR_PERM, 1);
	expect("free mapped frame", sys_frame_free((uint64_t)pa), ERR_BUSY, 1);
	expect("free foreign frame", sys_frame_free(KERNEL_PA), ERR_PERM, 1);
	expect("free garbage frame", sys_frame_free(0xdeadbeefull), ERR_PERM, 1);
	expect("unmap nothing", sys_unmap(UNMAPPED_VA), ERR_NOENT, 1);
	expect("unmap kernel va", sys_unmap(KERNEL_VA_LO), ERR_RANGE, ERR_NOENT);
	expect("unmap unaligned", sys_unmap(SCRATCH_VA + 8), ERR_RANGE, ERR_NOENT);
	expect("unmap own page", sys_unmap(SCRATCH_VA), ERR_OK, 1);
	expect("unmap twice", sys_unmap(SCRATCH_VA), ERR_NOENT, 1);
	expect("free own frame", sys_frame_free((uint64_t)pa), ERR_OK, 1);
	expect("free it twice", sys_frame_free((uint64_t)pa), ERR_PERM, 1);
	expect("map freed frame", sys_map(SCRATCH_VA, (uint64_t)pa, 0),
	       ERR_PERM, 1);
	expect("free second frame", sys_frame_free((uint64_t)pa2), ERR_OK, 1);
}

static void misc_checks(void)
{
	expect("notify core 100000", sys_notify(100000), ERR_RANGE, ERR_PERM);
	expect("notify core -1", sys_notify((uint64_t)-1), ERR_RANGE, 1);
	expect("notify ncores", sys_notify(libos_ncores()), ERR_RANGE, 1);
	expect("syscall 0", sys_raw(0, 0, 0, 0, 0, 0, 0), ERR_NOSYS, 1);
	expect("syscall SYS_COUNT", sys_raw(SYS_COUNT, 0, 0, 0, 0, 0, 0),
	       ERR_NOSYS, 1);
	expect("syscall 1000", sys_raw(1000, 0, 0, 0, 0, 0, 0), ERR_NOSYS, 1);
	expect("syscall -1", sys_raw((uint64_t)-1, 0, 0, 0, 0, 0, 0),
	       ERR_NOSYS, 1);
	expect("syscall 2^32 + SYS_YIELD",
	       sys_raw((1ull << 32) | SYS_YIELD, 0, 0, 0, 0, 0, 0),
	       ERR_NOSYS, 1);
	/* Privileged monitor calls (include/sys/monitor.h: 32..39). */
	expect("monitor call from app", sys_raw(32, 0, 0, 0, 0, 0, 0),
	       ERR_PERM, 1);
	expect("core id", sys_core_id(), libos_core_id(), 1);
	expect("domain id", sys_domain_id(), libos_domain_id(), 1);
	expect("wait 1 tick times out", sys_wait(1), ERR_TIMEOUT, ERR_OK);
	/* SYS_CHAN_DROP unmaps only channel areas a monitor mapped for us. */
	expect("drop the monitor channel", sys_chan_drop(DOMAIN_MONCHAN_VA), ERR_RANGE, 1);
	expect("drop a kernel page", sys_chan_drop(KERNEL_VA_LO), ERR_RANGE, 1);
	expect("drop a channel never bound", sys_chan_drop(DOMAIN_CHAN_VA), ERR_RANGE, 1);
	expect("drop unaligned", sys_chan_drop(DOMAIN_CHAN_VA + 8), ERR_RANGE, 1);
	expect("drop own page", sys_chan_drop(SCRATCH_VA), ERR_RANGE, 1);
}

/*
 * The fence of a core and its generation are the monitors' calls: from an
 * app every form is refused with ERR_PERM, the real generation, a forged
 * one, one past 32 bits, cores out of range and its own core; no core
 * stops (the test sees every core finish, and no "fencing core" line).
 */
static void fence_checks(void)
{
	static const struct {
		uint64_t core, gen;
		const char *what;
	} fences[] = {
		{ 2, 0, "fence core 2 generation 0" },
		{ 2, 7, "fence core 2 forged generation 7" },
		{ 2, 1ull << 40, "fence core 2 generation 2^40" },
		{ 0, 0, "fence core 0" },
		{ CORES_MAX, 0, "fence core CORES_MAX" },
		{ ~0ull, 0, "fence core 2^64-1" },
		{ ~0ull, ~0ull, "fence core and generation 2^64-1" },
	};
	char what[64];
	for (unsigned i = 0; i < sizeof fences / sizeof fences[0]; i++)
		expect(fences[i].what, sys_raw(SYS_CORE_FENCE, fences[i].core, fences[i].gen, 0, 0,
					       0, 0), ERR_PERM, 1);
	snprintf(what, sizeof what, "fence own core %u", libos_core_id());
	expect(what, sys_raw(SYS_CORE_FENCE, libos_core_id(), 0, 0, 0, 0, 0), ERR_PERM, 1);
	expect("generation of core 2", sys_raw(SYS_CORE_GENERATION, 2, 0, 0, 0, 0, 0),
	       ERR_PERM, 1);
	expect("generation of core CORES_MAX",
	       sys_raw(SYS_CORE_GENERATION, CORES_MAX, 0, 0, 0, 0, 0), ERR_PERM, 1);
	expect("stop core 2", sys_raw(SYS_CORE_STOP, 2, 0, 0, 0, 0, 0), ERR_PERM, 1);
	expect("which pages of a channel area the monitor maps",
	       sys_raw(SYS_CHAN_MAPPED, 1, 0x100000, 1, 0, 0, 0), ERR_PERM, 1);
	/* the restart pools' agreement: taking over a release, reading a dead
	 * life's frames of the monitors' memory, releasing a pool */
	static uint64_t frames[64];
	expect("adopt a retired pool", sys_raw(SYS_POOL_ADOPT, 0, 0, 0, 0, 0, 0), ERR_PERM, 1);
	expect("list core 2's old frames", sys_raw(SYS_POOL_MONMEM, 2, 0, 0, (uint64_t)frames, 64,
						   0), ERR_PERM, 1);
	expect("release core 2's old pool", sys_raw(SYS_POOL_RELEASE, 2, 0, 0, 0, 0, 0), ERR_PERM,
	       1);
}

/* ---- Faults ---------------------------------------------------------- */

/* Deep enough to pass the 64 KiB stack many times over; the bound only
 * keeps the compiler from calling the recursion infinite. */
static volatile unsigned recurse_limit = 1u << 30;

static unsigned recurse(unsigned depth)
{
	volatile char pad[512];

	pad[0] = (char)depth;
	if (depth >= recurse_limit)
		return 0;
	return recurse(depth + 1) + pad[0];     /* not a tail call */
}

static uint8_t data_code[16] = { 0xc3 };   /* ret, in an NX page */

/* Returns 7 normally; 42 once patched through a writable alias. */
__attribute__((noinline, aligned(4096))) static int victim(void)
{
	__asm__ volatile("");
	return 7;
}

static void wxalias(void)
{
	const uint64_t alias = SCRATCH_VA + 0x100000;
	uint8_t *w = (uint8_t *)alias;

	for (uint64_t pa = 0; pa < (1ull << 30); pa += 4096) {
		if (sys_map(alias, pa, SYS_MAP_WRITE) != ERR_OK)
			continue;
		if (memcmp(w, (const void *)(uintptr_t)victim, 4096) == 0) {
			/* mov eax, 42; ret */
			static const uint8_t patch[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
			memcpy(w, patch, sizeof patch);
			printf("wxalias: W^X broken: code frame 0x%llx mapped writable, victim() now returns %d\n",
			       (unsigned long long)pa, victim());
			exit(4);
		}
		sys_unmap(alias);
	}
	printf("wxalias: no writable alias of code\n");
	exit(0);
}

__attribute__((noreturn)) static void fault(const char *name)
{
	volatile int zero = 0, seven = 7;   /* GCC rewrites 1 / x as a compare */

	/* The faults below are what this domain is for (the kernel must survive). */
	if (strcmp(name, "null") == 0)
		// cppcheck-suppress nullPointer
		*(volatile int *)0 = 1; // NOLINT(clang-analyzer-core.NullDereference)
	else if (strcmp(name, "priv") == 0)
		__asm__ volatile("hlt");
	else if (strcmp(name, "cli") == 0)
		__asm__ volatile("cli");
	else if (strcmp(name, "div") == 0)
		printf("div: %d\n", seven / zero); // NOLINT(clang-analyzer-core.DivideZero)
	else if (strcmp(name, "stack") == 0)
		printf("stack: %u\n", recurse(0));
	else if (strcmp(name, "ud") == 0)
		__asm__ volatile("ud2");
	else if (strcmp(name, "gp") == 0)
		printf("gp: %d\n", *(volatile int *)NONCANONICAL);
	else if (strcmp(name, "wtext") == 0)
		*(volatile uint8_t *)(uintptr_t)main = 0xcc;
	else if (strcmp(name, "xdata") == 0)
		((void (*)(void))(uintptr_t)data_code)();
	else if (strcmp(name, "wxalias") == 0)
		wxalias();
	else if (strcmp(name, "kread") == 0)
		printf("kread: %d\n", *(volatile int *)KERNEL_VA_TEXT);
	else {
		printf("unknown fault '%s'\n", name);
		exit(2);
	}
	printf("fault %s did not fault\n", name);
	exit(3);
}

int main(int argc, char **argv)
{
	char what[16] = "none";

	if (argc > 1) {
		size_t n = strnlen(argv[1], sizeof what - 1);
		memcpy(what, argv[1], n);
		what[n] = '\0';
	}
	/* A forged event line: only the monitor's "EV " lines become events. */
	printf("EV domain.exit id=999 program=forged code=0\n");
	print_checks();
	scratch_checks();
	misc_checks();
	fence_checks();
	if (failures)
		printf("%u of %u checks failed\n", failures, checks);
	else
		printf("all %u checks passed\n", checks);
	if (strcmp(what, "none") == 0)
		return failures ? 1 : 0;
	printf("committing fault: %s\n", what);
	fault(what);
}
