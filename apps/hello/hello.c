/*
 * hello: the smallest useful domain.  Says where it runs, lists its
 * arguments, exercises the heap, exits 0.
 *
 * Output (after the kernel's "core N: hello: " prefix):
 *   hello from core N (program hello, domain D, argc A)
 *   arg I: <text>                 one per manifest argument
 *   heap ok                       or "heap WRONG: ..." and exit 1
 * argc A counts the manifest arguments (not the program name).
 * With an argument stay=MS it waits MS milliseconds before exiting (so a
 * shell's ps can see it).
 */
#include <libos/libos.h>

/* Allocate, fill, free in an interleaved order, verify every byte. */
static int heap_test(void)
{
	static const size_t sizes[] = { 1, 24, 100, 4000, 70000, 16, 513 };
	enum { N = sizeof sizes / sizeof sizes[0] };
	unsigned char *p[N];
	size_t i, j;

	for (i = 0; i < N; i++) {
		p[i] = malloc(sizes[i]);
		if (!p[i] || (uintptr_t)p[i] % 16) {
			printf("heap WRONG: malloc(%zu) gave %p\n", sizes[i],
			       (void *)p[i]);
			return 1;
		}
		memset(p[i], (int)(0x40 + i), sizes[i]);
	}
	for (i = 0; i < N; i += 2) {            /* free every other one */
		free(p[i]);
		p[i] = NULL;
	}
	p[0] = calloc(300, 7);
	if (!p[0]) {
		printf("heap WRONG: calloc failed\n");
		return 1;
	}
	for (j = 0; j < 2100; j++)
		if (p[0][j]) {
			printf("heap WRONG: calloc byte %zu is %u\n", j, p[0][j]);
			return 1;
		}
	p[1] = realloc(p[1], 10000);
	if (!p[1]) {
		printf("heap WRONG: realloc failed\n");
		return 1;
	}
	for (i = 1; i < N; i += 2)
		for (j = 0; j < sizes[i]; j++)
			if (p[i][j] != 0x40 + i) {
				printf("heap WRONG: block %zu byte %zu is 0x%x\n",
				       i, j, p[i][j]);
				return 1;
			}
	for (i = 0; i < N; i++)
		free(p[i]);
	return 0;
}

int main(int argc, char **argv)
{
	int64_t core = sys_core_id();

	printf("hello from core %u (program %s, domain %u, argc %u)\n",
	       libos_core_id(), libos_program(), libos_domain_id(),
	       libos_argc());
	if (core != (int64_t)libos_core_id())
		printf("WRONG: SYS_CORE_ID says %lld, start info says %u\n",
		       (long long)core, libos_core_id());
	for (int i = 1; i < argc; i++)
		printf("arg %d: %s\n", i, argv[i]);
	if (heap_test())
		return 1;
	printf("heap ok\n");
	const char *stay = parse_kv_find(argc, argv, 1, "stay");
	uint64_t ms;
	if (stay && parse_u64(stay, &ms) == ERR_OK) {
		uint64_t end = libos_tsc() + ms * (libos_tsc_hz() / 1000);
		while (libos_tsc() < end)
			sys_wait(1);
	}
	return 0;
}
