/*
 * uaccess.h: reading and writing a domain's memory from the kernel.
 *
 * The kernel never dereferences a user pointer.  These functions check that
 * [uva, uva + len) lies wholly below USER_TOP without wrapping and that every
 * page of it is mapped user-accessible (and writable, for copy_to_user) in
 * the current domain's page tables, then copy through the direct map.  Any
 * failure returns ERR_FAULT and copies nothing: a hostile pointer cannot make
 * the kernel fault.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H
#include <stdint.h>
#include <lib/err.h>

err_t copy_from_user(void *dst, uint64_t uva, uint64_t len);
err_t copy_to_user(uint64_t uva, const void *src, uint64_t len);

/*
 * Whether va is a page-aligned address a domain may map: at or above
 * DOMAIN_VA_MIN (the first 64 KiB stay unmapped), below the last user page
 * (a syscall instruction at its end would return to the non-canonical
 * USER_TOP).
 */
int user_page_addr_ok(uint64_t va);

#endif
