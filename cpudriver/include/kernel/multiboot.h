/*
 * multiboot.h: reading the Multiboot v1 information the loader hands the
 * boot core (QEMU's -kernel or GRUB).
 *
 * multiboot_parse() copies everything the kernel needs into a struct
 * boot_info (boot.h) and records every physical range the loader's data
 * occupies, so that nothing of it is handed out as free memory.  All reads
 * go through a caller-supplied mapper that refuses addresses it cannot
 * serve, so a corrupt info block yields an error, never a wild read.
 * Pure code (host-tested); runs once, on the boot core.
 */
#ifndef KERNEL_MULTIBOOT_H
#define KERNEL_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>
#include <lib/err.h>

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u

#define MB_INFO_MEMORY   (1u << 0)
#define MB_INFO_CMDLINE  (1u << 2)
#define MB_INFO_MODS     (1u << 3)
#define MB_INFO_MMAP     (1u << 6)

#define MB_MMAP_AVAILABLE 1u

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_module {
	uint32_t mod_start, mod_end;
	uint32_t string;
	uint32_t reserved;
} __attribute__((packed));

struct mb_mmap_entry {
	uint32_t size; /* of the rest of the entry, not counting this field */
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} __attribute__((packed));

/* Returns a readable pointer to [pa, pa + len), or NULL if it cannot. */
struct mb_mapper {
	const void *(*map)(void *ctx, uint64_t pa, uint64_t len);
	void *ctx;
};

struct boot_info;
err_t multiboot_parse(uint32_t magic, uint64_t info_pa, const struct mb_mapper *m,
		      struct boot_info *bi, char *why, size_t whylen);

#endif
