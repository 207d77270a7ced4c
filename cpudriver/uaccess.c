/* uaccess.c: checked copies to and from user memory (see kernel/uaccess.h). */
#include <kernel/cpu.h>
#include <kernel/domain.h>
#include <kernel/memlayout.h>
#include <kernel/pmm.h>
#include <kernel/uaccess.h>
#include <arch/paging.h>
#include <lib/string.h>
#include <sys/domain.h>

static bool range_ok(uint64_t uva, uint64_t len)
{
	return len <= USER_TOP && uva <= USER_TOP - len;
}

/* Every page of the range mapped user (and writable if `write`)? */
static bool pages_ok(uint64_t pml4, uint64_t uva, uint64_t len, bool write)
{
	uint64_t need = PTE_P | PTE_U | (write ? PTE_W : 0);
	for (uint64_t va = uva & ~(PAGE_SIZE - 1); va < uva + len; va += PAGE_SIZE) {
		uint64_t pte = vm_lookup(pml4, va);
		if ((pte & need) != need || (pte & PTE_PS))
			return false;
	}
	return true;
}

/* Copies len bytes between user va and kernel buffer, page by page. */
static void copy_pages(uint64_t pml4, uint64_t uva, uint8_t *kbuf, uint64_t len, bool to_user)
{
	while (len) {
		uint64_t off = uva & (PAGE_SIZE - 1);
		uint64_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		uint8_t *k = (uint8_t *)phys_to_virt(vm_lookup(pml4, uva) & PTE_ADDR) + off;
		if (to_user)
			memcpy(k, kbuf, n);
		else
			memcpy(kbuf, k, n);
		uva += n;
		kbuf += n;
		len -= n;
	}
}

static err_t user_copy(uint64_t uva, uint8_t *kbuf, uint64_t len, bool to_user)
{
	struct domain *d = cpu_self()->sched.current;
	if (!d || !range_ok(uva, len))
		return ERR_FAULT;
	if (len == 0)
		return ERR_OK;
	if (!pages_ok(d->pml4, uva, len, to_user))
		return ERR_FAULT;
	copy_pages(d->pml4, uva, kbuf, len, to_user);
	return ERR_OK;
}

err_t copy_from_user(void *dst, uint64_t uva, uint64_t len)
{
	return user_copy(uva, dst, len, false);
}

err_t copy_to_user(uint64_t uva, const void *src, uint64_t len)
{
	return user_copy(uva, (uint8_t *)src, len, true);
}

int user_page_addr_ok(uint64_t va)
{
	return (va & (PAGE_SIZE - 1)) == 0 && va >= DOMAIN_VA_MIN && va < USER_TOP - PAGE_SIZE;
}
