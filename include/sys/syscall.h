/*
 * sys/syscall.h: the system-call ABI between a domain (ring 3) and the CPU
 * driver of the core it runs on.  Shared by the kernel and libos.
 *
 * Calling convention (x86-64 `syscall`):
 *   rax = SYS_* number; arguments in rdi, rsi, rdx, r10, r8, r9;
 *   result in rax: >= 0 success (a value), < 0 an err_t from lib/err.h
 *   (ERR_INVAL, ERR_FAULT ..., all negative);
 *   rcx and r11 are clobbered, every other register is preserved.
 *
 * Every argument is checked: a pointer must lie wholly in user space and
 * every page of it must be mapped user-accessible in the caller's address
 * space (writable if the kernel writes to it), or the call returns
 * ERR_FAULT; the kernel never touches user memory through a user pointer,
 * so a hostile argument cannot make it fault.  Lengths above the stated
 * limits return ERR_TOOBIG, unknown numbers ERR_NOSYS.
 *
 *  SYS_PRINT(buf, len)          write len (<= SYS_PRINT_MAX) bytes to the
 *                               console as whole lines, each prefixed
 *                               "core N: <program>: "; returns len
 *  SYS_YIELD()                  let the core's other domains run; returns 0
 *  SYS_EXIT(code)               end the calling domain; does not return
 *  SYS_CORE_ID()                the calling core's number
 *  SYS_TSC_HZ()                 TSC ticks per second
 *  SYS_FRAME_ALLOC()            one zeroed 4 KiB frame from the core's pool,
 *                               owned by the caller; returns its physical
 *                               address (the frame's name), ERR_NOMEM,
 *                               ERR_QUOTA (the domain's frame quota, which
 *                               counts its page tables too, is reached)
 *  SYS_FRAME_FREE(pa)           give back an owned, unmapped frame;
 *                               ERR_PERM if the caller does not own it,
 *                               ERR_BUSY if it is still mapped
 *  SYS_MAP(va, pa, flags)       map owned frame pa at page-aligned user
 *                               address va (SYS_MAP_* flags); ERR_PERM
 *                               (not owned, a loader's frame, or W^X: the
 *                               frame is mapped executable and this asks
 *                               for writable, or the reverse), ERR_RANGE
 *                               (va not user or not aligned, or in the
 *                               first 64 KiB), ERR_QUOTA (the page tables
 *                               this mapping needs exceed the quota), ERR_EXIST
 *                               (va already mapped), ERR_INVAL (unknown
 *                               flags, or WRITE and EXEC together)
 *  SYS_UNMAP(va)                unmap a page mapped with SYS_MAP; the frame
 *                               stays owned; ERR_NOENT if nothing there,
 *                               ERR_PERM for the loader's pages (image,
 *                               stack, start info) and channel areas
 *  SYS_NOTIFY(chan)             chan = the base address, in the caller, of
 *                               a channel area the kernel mapped into it
 *                               (a bind, an accept, its monitor channel):
 *                               notify the channel's other party only.
 *                               Notifications coalesce: one is pending per
 *                               channel until the party next calls
 *                               SYS_WAIT, so a flood costs its core at most
 *                               one wake-up per wait; ERR_PERM if the
 *                               caller is no party of a channel there,
 *                               ERR_DEAD if the other party is gone.
 *  SYS_NOTIFY(core)             a core number (below DOMAIN_VA_MIN): the
 *                               caller's own core notifies the caller
 *                               itself (channels inside one domain);
 *                               another core (every domain there) needs
 *                               the right to notify cores (the monitors
 *                               have it), else ERR_PERM; ERR_RANGE (no
 *                               such core or not up).  Every refusal is
 *                               logged, naming the domain
 *  SYS_WAIT(ticks)              block until a notification arrives or
 *                               `ticks` timer ticks (TICK_HZ, sys/limits.h) pass
 *                               (0: no limit); returns 0 if notified,
 *                               ERR_TIMEOUT otherwise.  A notification
 *                               that arrived since the caller's last
 *                               SYS_WAIT returns at once (no lost wake-up)
 *  SYS_DOMAIN_ID()              the caller's domain id on its core
 *  SYS_IPC_SEND(core, dom, buf, len)
 *                               kernel-mediated message (len <= SYS_IPC_MAX)
 *                               to domain `dom` of `core`, through the CPU
 *                               drivers and an IPI (the path URPC is
 *                               compared with); ERR_RANGE (core), ERR_NOENT
 *                               (no such domain on this core), ERR_FULL
 *  SYS_IPC_RECV(buf, ticks)     next kernel IPC message into buf (48 bytes
 *                               of payload after a 16-byte header: src
 *                               core, src domain, dst domain, len), waiting
 *                               up to `ticks` (0: for ever); returns len or
 *                               ERR_TIMEOUT
 *  SYS_TRACE(op)                start, stop or dump tracing, or ask whether
 *                               it records (sys/trace.h); ERR_PERM without
 *                               the trace right, ERR_UNSUPPORTED when the
 *                               system was booted without trace rings
 *  SYS_CONSOLE_READ(buf, len, ticks)
 *                               bytes typed on the serial console (at most
 *                               len), waiting up to `ticks` when there are
 *                               none (0: not at all); needs the console
 *                               right; the first caller owns the input,
 *                               others get ERR_BUSY (kernel/coninput.h)
 *  SYS_CONSOLE_WRITE(buf, len)  raw bytes (<= 512) to the console: no prefix,
 *                               printable, \n \r \b ESC only; console right
 *  SYS_POWEROFF()               end the run, exit status 0; console right
 *  SYS_MODULE_NAME(index, buf)  the program name of boot module `index`
 *                               (PROGRAM_NAME_MAX bytes, NUL-terminated,
 *                               written to buf); ERR_NOENT past the last
 *  SYS_SPAN_LAZY(op, va, rights, pages)
 *                               in the home of a domain that spans cores:
 *                               unmap (op SPAN_VM_UNMAP) or protect
 *                               (SPAN_VM_PROTECT, rights SYS_MAP_*) the
 *                               range when no other core runs the domain
 *                               right now (each applies it before it runs
 *                               the domain again: kernel/span.h); the
 *                               range's checks and refusals as MON_VM_REQ's.
 *                               ERR_BUSY: it could not be done here alone
 *                               (a core runs the domain, a queue is full,
 *                               not a spanning home): nothing changed in
 *                               the home; send MON_VM_REQ (libos/span.h
 *                               does both)
 *  SYS_CHAN_DROP(va)            unmap the channel area whose first page is
 *                               mapped at va (a channel a monitor mapped
 *                               for the caller: mon_bind, mon_accept), all
 *                               its pages; its notifications end.  For a
 *                               channel whose peer is gone (its core was
 *                               stopped or restarted): the memory behind
 *                               it can then be reused (kernel/poolreuse.h).
 *                               Returns the pages unmapped; ERR_RANGE (not
 *                               in the channel region), ERR_INVAL (not an
 *                               area's first page), ERR_NOENT (nothing
 *                               mapped there), ERR_SPANNED
 */
#ifndef SYS_SYSCALL_H
#define SYS_SYSCALL_H

#define SYS_PRINT       1
#define SYS_YIELD       2
#define SYS_EXIT        3
#define SYS_CORE_ID     4
#define SYS_TSC_HZ      5
#define SYS_FRAME_ALLOC 6
#define SYS_FRAME_FREE  7
#define SYS_MAP         8
#define SYS_UNMAP       9
#define SYS_NOTIFY      10
#define SYS_WAIT        11
#define SYS_DOMAIN_ID   12
#define SYS_IPC_SEND    13
#define SYS_IPC_RECV    14
#define SYS_TRACE       15
#define SYS_CONSOLE_READ 16
#define SYS_CONSOLE_WRITE 17
#define SYS_POWEROFF    18
#define SYS_MODULE_NAME 19
#define SYS_SPAN_LAZY   20
#define SYS_CHAN_DROP   21
#define SYS_COUNT       22
#define SYS_IPC_MAX     48   /* bytes in a kernel IPC message */

#define SYS_PRINT_MAX   1024

#define SYS_MAP_READ    0x0  /* every mapping is readable */
#define SYS_MAP_WRITE   0x1
#define SYS_MAP_EXEC    0x2  /* not together with SYS_MAP_WRITE */

#endif
