/*
 * unmap.c: the Linux side of `make bench-unmap` (tools/bench-unmap.py).
 *
 *   unmap N ROUNDS [busy]
 *
 * N threads pinned to CPUs 0..N-1 (the timing one is the main thread on
 * CPU 0).  Each round: mmap one anonymous page, every thread writes to it
 * (so every CPU has used the translation), then the main thread times
 * munmap of that page with lfence; rdtsc around it.  Between rounds the
 * other threads sleep in a futex (they do not spin: under TCG a spinning
 * vCPU steals a host CPU), as our workers sleep in their dispatchers.
 * With `busy` they spin (pause) in user space between rounds instead, so
 * every CPU runs the address space when munmap comes and Linux must
 * interrupt each of them to shoot the translation down.
 * Prints
 *   LINUXBENCH unmap cores=N rounds=R median=M p99=P min=A max=B cycles tlb_ipis=T
 * where T is the TLB shootdown interrupts all CPUs took during the rounds
 * (the TLB row of /proc/interrupts; -1 if it cannot be read): Linux does
 * not interrupt a CPU that is idle in lazy TLB mode, so T says how many of
 * the munmaps actually shot down a translation on another CPU.
 * or "LINUXBENCH error unmap: <why>" and exits 1.
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_CPUS 256
#define MAX_ROUNDS 100000

static int ncpu, rounds, busy;
static _Atomic int round_no, touched;
static volatile char *_Atomic page;

static uint64_t tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static int pin(int cpu)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	return sched_setaffinity(0, sizeof s, &s);
}

static void futex_wait(_Atomic int *a, int v)
{
	syscall(SYS_futex, a, FUTEX_WAIT_PRIVATE, v, NULL, NULL, 0);
}

static void futex_wake_all(_Atomic int *a)
{
	syscall(SYS_futex, a, FUTEX_WAKE_PRIVATE, MAX_CPUS, NULL, NULL, 0);
}

static void *worker(void *arg)
{
	int cpu = (int)(intptr_t)arg;
	if (pin(cpu)) {
		printf("LINUXBENCH error unmap: pinning to CPU %d failed\n", cpu);
		exit(1);
	}
	for (int r = 1; r <= rounds; r++) {
		int seen;
		while ((seen = atomic_load(&round_no)) < r) {
			if (busy)
				__asm__ volatile("pause");
			else
				futex_wait(&round_no, seen);
		}
		atomic_load(&page)[cpu * 8] = 1;
		atomic_fetch_add(&touched, 1);
	}
	return NULL;
}

/* Sum of the TLB row of /proc/interrupts, -1 if absent. */
static long long tlb_interrupts(void)
{
	char line[4096];
	long long sum = -1;
	FILE *f = fopen("/proc/interrupts", "r");
	while (f && fgets(line, sizeof line, f)) {
		char *p = line;
		while (*p == ' ')
			p++;
		if (strncmp(p, "TLB:", 4) != 0)
			continue;
		sum = 0;
		for (p += 4;;) {
			char *end;
			long long v = strtoll(p, &end, 10);
			if (end == p)
				break;
			sum += v;
			p = end;
		}
	}
	if (f)
		fclose(f);
	return sum;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static uint64_t lat[MAX_ROUNDS];
	static pthread_t t[MAX_CPUS];
	if (argc < 3 || argc > 4 || (ncpu = atoi(argv[1])) < 1 || ncpu > MAX_CPUS ||
	    (rounds = atoi(argv[2])) < 1 || rounds > MAX_ROUNDS ||
	    (argc == 4 && strcmp(argv[3], "busy") != 0)) {
		printf("LINUXBENCH error unmap: usage: unmap N ROUNDS [busy]\n");
		return 1;
	}
	busy = argc == 4;
	if (pin(0)) {
		printf("LINUXBENCH error unmap: pinning to CPU 0 failed\n");
		return 1;
	}
	for (int c = 1; c < ncpu; c++)
		if (pthread_create(&t[c], NULL, worker, (void *)(intptr_t)c)) {
			printf("LINUXBENCH error unmap: no thread for CPU %d\n", c);
			return 1;
		}
	long long tlb0 = tlb_interrupts();
	for (int r = 1; r <= rounds; r++) {
		char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (p == MAP_FAILED) {
			printf("LINUXBENCH error unmap: mmap failed\n");
			return 1;
		}
		atomic_store(&page, p);
		atomic_store(&touched, 0);
		atomic_store(&round_no, r);
		futex_wake_all(&round_no);
		p[0] = 1;
		while (atomic_load(&touched) < ncpu - 1)
			__asm__ volatile("pause");
		uint64_t t0 = tsc();
		munmap(p, 4096);
		lat[r - 1] = tsc() - t0;
	}
	long long tlb1 = tlb_interrupts();
	for (int c = 1; c < ncpu; c++)
		pthread_join(t[c], NULL);
	qsort(lat, (size_t)rounds, sizeof lat[0], cmp);
	printf("LINUXBENCH unmap cores=%d rounds=%d median=%llu p99=%llu min=%llu max=%llu cycles "
	       "tlb_ipis=%lld%s\n", ncpu, rounds, (unsigned long long)lat[rounds / 2],
	       (unsigned long long)lat[(size_t)rounds * 99 / 100],
	       (unsigned long long)lat[0], (unsigned long long)lat[rounds - 1],
	       tlb0 < 0 || tlb1 < 0 ? -1 : tlb1 - tlb0, busy ? " busy" : "");
	return 0;
}
