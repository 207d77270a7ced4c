/*
 * syscall.c: the system-call wrappers of include/libos/sys.h.
 */
#include <libos/sys.h>
#include "arch/x86_64/syscall_asm.h"

int64_t sys_raw(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		uint64_t a3, uint64_t a4, uint64_t a5)
{
	return arch_syscall6(nr, a0, a1, a2, a3, a4, a5);
}

static inline int64_t sys0(uint64_t nr)
{
	return arch_syscall6(nr, 0, 0, 0, 0, 0, 0);
}

static inline int64_t sys1(uint64_t nr, uint64_t a0)
{
	return arch_syscall6(nr, a0, 0, 0, 0, 0, 0);
}

int64_t sys_print(const void *buf, size_t len)
{
	return arch_syscall6(SYS_PRINT, (uintptr_t)buf, len, 0, 0, 0, 0);
}

err_t sys_yield(void)
{
	return (err_t)sys0(SYS_YIELD);
}

void sys_exit(int code)
{
	sys1(SYS_EXIT, (uint64_t)(int64_t)code);
	for (;;)        /* the kernel never returns here; be sure anyway */
		sys1(SYS_EXIT, (uint64_t)(int64_t)code);
}

int64_t sys_core_id(void)
{
	return sys0(SYS_CORE_ID);
}

int64_t sys_tsc_hz(void)
{
	return sys0(SYS_TSC_HZ);
}

int64_t sys_frame_alloc(void)
{
	return sys0(SYS_FRAME_ALLOC);
}

err_t sys_frame_free(uint64_t pa)
{
	return (err_t)sys1(SYS_FRAME_FREE, pa);
}

err_t sys_map(uint64_t va, uint64_t pa, unsigned flags)
{
	return (err_t)arch_syscall6(SYS_MAP, va, pa, flags, 0, 0, 0);
}

err_t sys_unmap(uint64_t va)
{
	return (err_t)sys1(SYS_UNMAP, va);
}

err_t sys_notify(uint64_t core)
{
	return (err_t)sys1(SYS_NOTIFY, core);
}

int64_t sys_chan_drop(uint64_t va)
{
	return sys1(SYS_CHAN_DROP, va);
}

err_t sys_wait(uint64_t ticks)
{
	return (err_t)sys1(SYS_WAIT, ticks);
}

int64_t sys_domain_id(void)
{
	return sys0(SYS_DOMAIN_ID);
}

int64_t sys_trace(unsigned op)
{
	return sys1(SYS_TRACE, op);
}

int64_t sys_console_read(void *buf, size_t len, uint64_t ticks)
{
	return arch_syscall6(SYS_CONSOLE_READ, (uintptr_t)buf, len, ticks, 0, 0, 0);
}

int64_t sys_console_write(const void *buf, size_t len)
{
	return arch_syscall6(SYS_CONSOLE_WRITE, (uintptr_t)buf, len, 0, 0, 0, 0);
}

err_t sys_poweroff(void)
{
	return (err_t)sys0(SYS_POWEROFF);
}

err_t sys_module_name(unsigned index, char *buf)
{
	return (err_t)arch_syscall6(SYS_MODULE_NAME, index, (uintptr_t)buf, 0, 0, 0, 0);
}

err_t sys_span_lazy(uint32_t op, uint64_t va, uint64_t rights, uint32_t pages)
{
	return (err_t)arch_syscall6(SYS_SPAN_LAZY, op, va, rights, pages, 0, 0);
}
