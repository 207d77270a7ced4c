/*
 * elfcheck.c: a host tool run on every app the build produces.
 *
 * It feeds the file to lib/elf.c's elf_plan() with the limits the CPU
 * driver's loader uses (DOMAIN_IMAGE_LO/HI/MAX from include/sys/domain.h),
 * so an app the kernel would refuse fails the build instead of the boot.
 * It also insists on what apps/user.ld promises: exactly one executable
 * segment and the entry point inside it (elf_plan checks the latter).
 *
 *   elfcheck FILE...    prints "elfcheck: FILE: ok, N segments, entry 0x..."
 *                       or the refusal sentence; exit 1 if any is refused
 */
#include <lib/elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/domain.h>

static int check(const char *path)
{
	static const struct elf_limits lim = {
		.user_lo = DOMAIN_IMAGE_LO, .user_hi = DOMAIN_IMAGE_HI,
		.max_bytes = DOMAIN_IMAGE_MAX,
	};
	struct elf_plan plan;
	char why[256] = "";
	unsigned nexec = 0;
	FILE *f = fopen(path, "rb");
	unsigned char *img;
	long len;
	err_t e;

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "elfcheck: %s: cannot read\n", path);
		return 1;
	}
	img = malloc((size_t)len + 1);
	if (!img || fread(img, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "elfcheck: %s: cannot read\n", path);
		fclose(f);
		return 1;
	}
	fclose(f);
	e = elf_plan(img, (size_t)len, &lim, &plan, why, sizeof why);
	free(img);
	if (e != ERR_OK) {
		fprintf(stderr, "elfcheck: %s: refused (%s): %s\n", path,
			err_str(e), why);
		return 1;
	}
	for (unsigned i = 0; i < plan.nseg; i++)
		nexec += (plan.seg[i].flags & ELF_PF_X) != 0;
	if (nexec != 1) {
		fprintf(stderr, "elfcheck: %s: %u executable segments, want 1\n",
			path, nexec);
		return 1;
	}
	printf("elfcheck: %s: ok, %u segments, %llu pages, entry 0x%llx\n",
	       path, plan.nseg, (unsigned long long)plan.pages,
	       (unsigned long long)plan.entry);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;

	for (int i = 1; i < argc; i++)
		bad |= check(argv[i]);
	return bad;
}
