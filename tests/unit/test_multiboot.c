/* Host tests for cpudriver/multiboot.c on hand-built info blocks, good and broken. */
#define TEST_PROGRAM "multiboot"
#include "test.h"
#include <kernel/boot.h>
#include <kernel/multiboot.h>

/* A fake physical memory of 64 KiB at address 0. */
static unsigned char phys[65536];
static struct boot_info bi;
static char why[200];

static const void *map(void *ctx, uint64_t pa, uint64_t len)
{
	(void)ctx;
	if (pa > sizeof phys || len > sizeof phys - pa)
		return NULL;
	return phys + pa;
}

static const struct mb_mapper mapper = { map, NULL };

static void put_mmap(uint32_t at, int i, uint32_t size, uint64_t addr, uint64_t len, uint32_t type)
{
	struct mb_mmap_entry e = { size, addr, len, type };
	memcpy(phys + at + (uint32_t)i * 24, &e, sizeof e);
}

static struct mb_info *good_info(void)
{
	memset(phys, 0, sizeof phys);
	struct mb_info *info = (struct mb_info *)(phys + 0x1000);
	info->flags = MB_INFO_MEMORY | MB_INFO_CMDLINE | MB_INFO_MMAP | MB_INFO_MODS;
	info->mem_lower = 639;
	info->mem_upper = 130048;
	strcpy((char *)phys + 0x2000, "kernel test=divide");
	info->cmdline = 0x2000;
	put_mmap(0x3000, 0, 20, 0, 0x9fc00, 1);
	put_mmap(0x3000, 1, 20, 0x9fc00, 0x400, 2);
	put_mmap(0x3000, 2, 20, 0x100000, 0x7f00000, 1);
	info->mmap_addr = 0x3000;
	info->mmap_length = 3 * 24;
	struct mb_module mod = { 0x8000, 0x9000, 0x4000, 0 };
	memcpy(phys + 0x5000, &mod, sizeof mod);
	strcpy((char *)phys + 0x4000, "hello");
	info->mods_addr = 0x5000;
	info->mods_count = 1;
	return info;
}

static err_t parse(void)
{
	why[0] = 0;
	return multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC, 0x1000, &mapper, &bi, why, sizeof why);
}

static void t_good(void)
{
	good_info();
	CHECK_EQ(parse(), ERR_OK);
	CHECK_STR(bi.cmdline, "kernel test=divide");
	CHECK_EQ(bi.mmap_count, 3);
	CHECK_EQ(memrange_total(&bi.usable), 0x9fc00 + 0x7f00000);
	CHECK_EQ(bi.module_count, 1);
	CHECK_STR(bi.modules[0].name, "hello");
	CHECK_EQ(bi.modules[0].start, 0x8000);
	/* loader data covers info block, cmdline, mmap, module list, module, name */
	CHECK_EQ(memrange_total_within(&bi.loader_data, 0x8000, 0x9000), 0x1000);
	CHECK(memrange_total_within(&bi.loader_data, 0x1000, 0x1001) == 1);
	CHECK(memrange_total_within(&bi.loader_data, 0x2000, 0x2001) == 1);
}

static void t_bad_magic(void)
{
	good_info();
	CHECK_EQ(multiboot_parse(0x1234, 0x1000, &mapper, &bi, why, sizeof why), ERR_BADMAGIC);
	CHECK(strstr(why, "bad magic") != NULL);
}

static void t_info_out_of_range(void)
{
	CHECK_EQ(multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC, 0xfffff000, &mapper, &bi, why,
				 sizeof why), ERR_FAULT);
}

static void t_zero_size_mmap_entry(void)
{
	struct mb_info *info = good_info();
	put_mmap(0x3000, 1, 0, 0x9fc00, 0x400, 2); /* would loop forever if trusted */
	(void)info;
	CHECK_EQ(parse(), ERR_INVAL);
	CHECK(strstr(why, "offset 24 has size 0") != NULL);
}

static void t_mmap_past_memory(void)
{
	struct mb_info *info = good_info();
	info->mmap_length = 0x7fffffff;
	CHECK_EQ(parse(), ERR_FAULT);
	CHECK(strstr(why, "mmap_addr") != NULL);
}

static void t_truncated_mmap(void)
{
	struct mb_info *info = good_info();
	info->mmap_length = 24 + 10;
	CHECK_EQ(parse(), ERR_TRUNC);
}

/* A command line at 0xa000 (free in good_info's layout). */
static void put_cmdline(const char *head, char fill, size_t nfill)
{
	struct mb_info *info = good_info();
	strcpy((char *)phys + 0xa000, head);
	memset(phys + 0xa000 + strlen(head), fill, nfill);
	info->cmdline = 0xa000;
}

static void t_long_cmdline_cut_at_a_word(void)
{
	put_cmdline("kernel a=1 ", 'y', 600);
	CHECK_EQ(parse(), ERR_OK);
	CHECK_STR(bi.cmdline, "kernel a=1 ");
	CHECK_EQ(bi.cmdline_cut_from, 611);
	CHECK(memrange_total_within(&bi.loader_data, 0xa000, 0xa000 + 612) == 612);
	/* one word longer than the whole buffer: nothing of it is kept */
	put_cmdline("", 'x', 0x1000);
	CHECK_EQ(parse(), ERR_OK);
	CHECK_STR(bi.cmdline, "");
	CHECK_EQ(bi.cmdline_cut_from, 0x1000);
}

static void t_cmdline_at_the_limit(void)
{
	put_cmdline("", 'z', BOOT_CMDLINE_MAX - 1); /* fits exactly */
	CHECK_EQ(parse(), ERR_OK);
	CHECK_EQ(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	CHECK_EQ(bi.cmdline_cut_from, 0);
	put_cmdline("", 'z', BOOT_CMDLINE_MAX - 1); /* one blank more: the words all fit */
	strcpy((char *)phys + 0xa000 + BOOT_CMDLINE_MAX - 1, " b=2");
	CHECK_EQ(parse(), ERR_OK);
	CHECK_EQ(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	CHECK_EQ(bi.cmdline_cut_from, BOOT_CMDLINE_MAX + 3);
}

static void t_unterminated_cmdline(void)
{
	put_cmdline("", 'x', sizeof phys - 0xa000); /* no NUL before the end of memory */
	CHECK_EQ(parse(), ERR_INVAL);
	CHECK(strstr(why, "command line") != NULL);
}

static void t_bad_modules(void)
{
	struct mb_info *info = good_info();
	info->mods_count = 1000;
	CHECK_EQ(parse(), ERR_TOOBIG);
	good_info();
	struct mb_module mod = { 0x9000, 0x8000, 0x4000, 0 };
	memcpy(phys + 0x5000, &mod, sizeof mod);
	CHECK_EQ(parse(), ERR_INVAL);
	CHECK(strstr(why, "ends") != NULL);
}

static void t_no_mmap(void)
{
	struct mb_info *info = good_info();
	info->flags &= ~MB_INFO_MMAP;
	CHECK_EQ(parse(), ERR_NOENT);
}

int main(void)
{
	RUN(t_good);
	RUN(t_bad_magic);
	RUN(t_info_out_of_range);
	RUN(t_zero_size_mmap_entry);
	RUN(t_mmap_past_memory);
	RUN(t_truncated_mmap);
	RUN(t_long_cmdline_cut_at_a_word);
	RUN(t_cmdline_at_the_limit);
	RUN(t_unterminated_cmdline);
	RUN(t_bad_modules);
	RUN(t_no_mmap);
	return test_summary();
}
