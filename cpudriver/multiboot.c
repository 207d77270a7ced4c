/*
 * multiboot.c: copy the Multiboot v1 information into struct boot_info.
 *
 * Validation: the magic, every pointer through the mapper, every mmap entry's
 * size field (>= 20, so the walk always advances), string lengths bounded,
 * counts bounded by our arrays (extra entries are an error, not silently
 * dropped, since a lost memory region or module would be a silent bug).
 */
#include <kernel/multiboot.h>
#include <kernel/boot.h>
#include <lib/fmt.h>

#define WHY(...) do { if (why) fmt_snprintf(why, whylen, __VA_ARGS__); } while (0)

/* Copy a NUL-terminated string at pa into dst; false if unreadable or too long. */
static bool copy_string(const struct mb_mapper *m, uint64_t pa, char *dst, size_t cap,
			uint64_t *len_out)
{
	for (size_t i = 0; i < cap; i++) {
		const char *c = m->map(m->ctx, pa + i, 1);
		if (!c)
			return false;
		dst[i] = *c;
		if (*c == '\0') {
			*len_out = i + 1;
			return true;
		}
	}
	dst[cap - 1] = '\0';
	return false;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * The loader's command line into bi->cmdline.  One longer than fits is cut
 * after its last whole word that fits (bi->cmdline_cut_from: its length);
 * only an unreadable one, or one without a NUL in BOOT_CMDLINE_SCAN bytes,
 * is refused.
 */
static bool copy_cmdline(const struct mb_mapper *m, uint64_t pa, struct boot_info *bi,
			 uint64_t *len_out)
{
	uint64_t n = 0;
	for (;; n++) {
		const char *c = n < BOOT_CMDLINE_SCAN ? m->map(m->ctx, pa + n, 1) : NULL;
		if (!c) {
			bi->cmdline[n < BOOT_CMDLINE_MAX ? n : BOOT_CMDLINE_MAX - 1] = '\0';
			return false;
		}
		if (n < BOOT_CMDLINE_MAX)
			bi->cmdline[n] = *c;
		if (*c == '\0')
			break;
	}
	*len_out = n + 1;
	if (n < BOOT_CMDLINE_MAX)
		return true;
	size_t cut = BOOT_CMDLINE_MAX - 1; /* cmdline[cut] is the first byte that does not fit */
	if (!is_blank(bi->cmdline[cut]))
		while (cut > 0 && !is_blank(bi->cmdline[cut - 1]))
			cut--;
	bi->cmdline[cut] = '\0';
	bi->cmdline_cut_from = n;
	return true;
}

static err_t parse_mmap(const struct mb_info *info, const struct mb_mapper *m,
			struct boot_info *bi, char *why, size_t whylen)
{
	const uint8_t *p = m->map(m->ctx, info->mmap_addr, info->mmap_length);
	if (!p) {
		WHY("multiboot: mmap_addr %#x + mmap_length %#x not readable",
		    info->mmap_addr, info->mmap_length);
		return ERR_FAULT;
	}
	for (uint32_t off = 0; off < info->mmap_length;) {
		struct mb_mmap_entry e;
		if (info->mmap_length - off < sizeof e) {
			WHY("multiboot: mmap entry at offset %u truncated", off);
			return ERR_TRUNC;
		}
		__builtin_memcpy(&e, p + off, sizeof e);
		if (e.size < sizeof e - 4) {
			WHY("multiboot: mmap entry at offset %u has size %u (< 20)", off, e.size);
			return ERR_INVAL;
		}
		if (bi->mmap_count == BOOT_MMAP_MAX) {
			WHY("multiboot: more than %d mmap entries", BOOT_MMAP_MAX);
			return ERR_TOOBIG;
		}
		bi->mmap[bi->mmap_count++] = (struct boot_mmap_entry){ e.addr, e.len, e.type };
		if (e.type == MB_MMAP_AVAILABLE && e.len && e.addr + e.len > e.addr) {
			err_t err = memrange_add(&bi->usable, e.addr, e.addr + e.len);
			if (err) {
				WHY("multiboot: too many separate RAM regions");
				return err;
			}
		}
		if ((uint64_t)off + e.size + 4 > UINT32_MAX)
			break;
		off += e.size + 4;
	}
	return memrange_add(&bi->loader_data, info->mmap_addr,
			    (uint64_t)info->mmap_addr + info->mmap_length);
}

static err_t parse_modules(const struct mb_info *info, const struct mb_mapper *m,
			   struct boot_info *bi, char *why, size_t whylen)
{
	if (info->mods_count > BOOT_MODULES_MAX) {
		WHY("multiboot: %u modules, at most %d supported", info->mods_count,
		    BOOT_MODULES_MAX);
		return ERR_TOOBIG;
	}
	uint64_t list_len = (uint64_t)info->mods_count * sizeof(struct mb_module);
	const struct mb_module *mods = m->map(m->ctx, info->mods_addr, list_len);
	if (info->mods_count && !mods) {
		WHY("multiboot: module list at %#x not readable", info->mods_addr);
		return ERR_FAULT;
	}
	memrange_add(&bi->loader_data, info->mods_addr, info->mods_addr + list_len);
	for (uint32_t i = 0; i < info->mods_count; i++) {
		struct mb_module mod;
		__builtin_memcpy(&mod, &mods[i], sizeof mod);
		if (mod.mod_end < mod.mod_start) {
			WHY("multiboot: module %u ends (%#x) before it starts (%#x)", i,
			    mod.mod_end, mod.mod_start);
			return ERR_INVAL;
		}
		struct boot_module *bm = &bi->modules[bi->module_count++];
		bm->start = mod.mod_start;
		bm->end = mod.mod_end;
		uint64_t slen = 0;
		if (mod.string && !copy_string(m, mod.string, bm->name, sizeof bm->name, &slen)) {
			WHY("multiboot: module %u name unreadable or longer than %d", i,
			    BOOT_MODNAME_MAX - 1);
			return ERR_INVAL;
		}
		memrange_add(&bi->loader_data, mod.mod_start, mod.mod_end);
		if (slen)
			memrange_add(&bi->loader_data, mod.string, mod.string + slen);
	}
	return ERR_OK;
}

err_t multiboot_parse(uint32_t magic, uint64_t info_pa, const struct mb_mapper *m,
		      struct boot_info *bi, char *why, size_t whylen)
{
	__builtin_memset(bi, 0, sizeof *bi);
	memrange_init(&bi->usable);
	memrange_init(&bi->loader_data);
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC) {
		WHY("multiboot: bad magic %#x (expected %#x)", magic, MULTIBOOT_BOOTLOADER_MAGIC);
		return ERR_BADMAGIC;
	}
	const struct mb_info *ip = m->map(m->ctx, info_pa, sizeof *ip);
	if (!ip) {
		WHY("multiboot: info block at %#lx not readable", (unsigned long)info_pa);
		return ERR_FAULT;
	}
	struct mb_info info;
	__builtin_memcpy(&info, ip, sizeof info);
	memrange_add(&bi->loader_data, info_pa, info_pa + sizeof info);
	if (info.flags & MB_INFO_MEMORY) {
		bi->mem_lower_kb = info.mem_lower;
		bi->mem_upper_kb = info.mem_upper;
	}
	if (info.flags & MB_INFO_CMDLINE) {
		uint64_t len = 0;
		if (!copy_cmdline(m, info.cmdline, bi, &len)) {
			WHY("multiboot: command line unreadable or without its end in %d bytes",
			    BOOT_CMDLINE_SCAN);
			return ERR_INVAL;
		}
		memrange_add(&bi->loader_data, info.cmdline, info.cmdline + len);
	}
	if (!(info.flags & MB_INFO_MMAP)) {
		WHY("multiboot: loader gave no memory map (flags %#x)", info.flags);
		return ERR_NOENT;
	}
	err_t err = parse_mmap(&info, m, bi, why, whylen);
	if (!err && (info.flags & MB_INFO_MODS))
		err = parse_modules(&info, m, bi, why, whylen);
	return err;
}
