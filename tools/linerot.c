/*
 * linerot.c: a raw ping-pong in three memory patterns, on two pinned Linux
 * threads, without any protocol: one word both ways (the raw word of
 * apps/pingpong, Linux's shared-memory ping-pong), one line each way
 * (bench_host's raw line), and 64 lines each way, walked in turn (URPC's
 * pattern: a round trip's two messages in the next slot of each 64-slot
 * ring).  A measurement
 * for docs/03-urpc.md ("Eighth round"): run natively and under
 * qemu-user (`qemu-x86_64 build/bench/linerot`), it says whether the
 * pattern costs the hardware or the emulator.
 *
 *   make build/bench/linerot
 *   build/bench/linerot [round_trips] [repetitions]
 *
 * Prints the median round trip in TSC cycles of each repetition, one line per
 * kind, the kinds alternating.  Asserts nothing.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <x86intrin.h>

#define LINES 64
#define WORDS_PER_LINE 8

struct ring {
	_Alignas(64) volatile uint64_t w[LINES * WORDS_PER_LINE];
};

static struct ring to_server, to_client;
static uint64_t trips;
static unsigned kind;           /* 0: one word both ways; 1: a line each way; 2: 64 lines each way */

static void pin(int cpu)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	if (pthread_setaffinity_np(pthread_self(), sizeof s, &s))
		fprintf(stderr, "linerot: cannot pin to cpu %d (running unpinned)\n", cpu);
}

/* The TSC (under qemu-user a helper, not a system call as clock_gettime is there). */
static uint64_t now(void)
{
	return __rdtsc();
}

static size_t slot(uint64_t s)
{
	return kind == 2 ? (size_t)(s % LINES) * WORDS_PER_LINE : 0;
}

/* Where the reply goes: the request's own word for kind 0 (the raw word's pattern). */
static volatile uint64_t *reply(uint64_t s)
{
	return kind == 0 ? &to_server.w[0] : &to_client.w[slot(s)];
}

static void *server(void *arg)
{
	uint64_t base = *(uint64_t *)arg;
	pin(1);
	for (uint64_t s = base; s < base + trips; s++) {
		while (to_server.w[slot(s)] != 2 * s + 1)
			;
		*reply(s) = 2 * s + 2;
	}
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* One run of `trips` round trips from sequence number base; the median in TSC cycles. */
static uint64_t run(uint64_t base, uint64_t *t)
{
	pthread_t th;
	if (pthread_create(&th, NULL, server, &base)) {
		fprintf(stderr, "linerot: cannot start the server thread\n");
		exit(1);
	}
	for (uint64_t s = base; s < base + trips; s++) {
		uint64_t t0 = now();
		to_server.w[slot(s)] = 2 * s + 1;
		while (*reply(s) != 2 * s + 2)
			;
		t[s - base] = now() - t0;
	}
	pthread_join(th, NULL);
	qsort(t, trips, sizeof *t, cmp);
	return t[trips / 2];
}

int main(int argc, char **argv)
{
	trips = argc > 1 ? strtoull(argv[1], NULL, 0) : 200000;
	unsigned reps = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 3;
	if (!trips || !reps) {
		fprintf(stderr, "usage: linerot [round_trips > 0] [repetitions > 0]\n");
		return 2;
	}
	uint64_t *t = malloc(trips * sizeof *t);
	if (!t) {
		fprintf(stderr, "linerot: no memory for %lu samples\n", (unsigned long)trips);
		return 1;
	}
	pin(0);
	uint64_t base = 0;
	static const char *const name[3] = { "one word", "line each", "64 lines each" };
	for (unsigned r = 0; r < reps; r++)
		for (kind = 0; kind < 3; kind++, base += trips)
			printf("rep %u %-14s median %lu TSC cycles\n", r + 1, name[kind],
			       (unsigned long)run(base, t));
	free(t);
	return 0;
}
