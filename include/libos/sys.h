/*
 * libos/sys.h: one C function per system call (include/sys/syscall.h).
 *
 * Thin wrappers, no policy: each passes its arguments to the CPU driver
 * unchanged and returns what it returns, so a negative value is an err_t
 * (include/lib/err.h) and a non-negative one the call's result.  They are
 * the only way libos and apps enter the kernel; the inline assembly behind
 * them lives in libos/arch/x86_64/syscall_asm.h.
 *
 * sys_raw() issues any number with any arguments.  Apps have no business
 * using it except to test the kernel (apps/hostile); it is here so that a
 * test of "unknown number" or "pointer the compiler would not let me pass"
 * needs no assembly of its own.
 *
 * Callable from any domain at any time; none of these keeps state in libos.
 */
#ifndef LIBOS_SYS_H
#define LIBOS_SYS_H

#include <lib/err.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

/* Raw syscall: rax = nr, rdi, rsi, rdx, r10, r8, r9; returns rax. */
int64_t sys_raw(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		uint64_t a3, uint64_t a4, uint64_t a5);

/* Write len (<= SYS_PRINT_MAX) bytes as whole lines; returns len or err. */
int64_t sys_print(const void *buf, size_t len);
/* Let the core's other domains run; 0. */
err_t sys_yield(void);
/* End the calling domain. */
__attribute__((noreturn)) void sys_exit(int code);
/* The calling core's number. */
int64_t sys_core_id(void);
/* TSC ticks per second. */
int64_t sys_tsc_hz(void);
/* One zeroed, owned 4 KiB frame: its physical address, or ERR_NOMEM. */
int64_t sys_frame_alloc(void);
/* Give back an owned, unmapped frame (ERR_PERM, ERR_BUSY). */
err_t sys_frame_free(uint64_t pa);
/* Map owned frame pa at page-aligned user va with SYS_MAP_* flags. */
err_t sys_map(uint64_t va, uint64_t pa, unsigned flags);
/* Unmap a page mapped with sys_map (ERR_NOENT if none). */
err_t sys_unmap(uint64_t va);
/* Wake every domain blocked in sys_wait on `core`. */
err_t sys_notify(uint64_t core);
/* Unmap the channel area at va (sys/syscall.h SYS_CHAN_DROP): pages unmapped, or an error. */
int64_t sys_chan_drop(uint64_t va);
/* Block until notified (0) or `ticks` ticks pass (ERR_TIMEOUT); 0: forever. */
err_t sys_wait(uint64_t ticks);
/* The caller's domain id on its core. */
int64_t sys_domain_id(void);
/* Tracing (sys/trace.h): TRACE_OP_*; needs the trace right. */
int64_t sys_trace(unsigned op);
/* The console (console right): typed bytes, raw output, power off. */
int64_t sys_console_read(void *buf, size_t len, uint64_t ticks);
int64_t sys_console_write(const void *buf, size_t len);
err_t sys_poweroff(void);
/* Program name of boot module index (buf: PROGRAM_NAME_MAX bytes); ERR_NOENT past the last. */
err_t sys_module_name(unsigned index, char *buf);
err_t sys_span_lazy(uint32_t op, uint64_t va, uint64_t rights, uint32_t pages);

#endif
