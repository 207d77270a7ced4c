/*
 * panic.h: stopping a core on a broken invariant.
 *
 * panic() prints `PANIC core N: <message>` and stops the calling core only:
 * interrupts off, hlt forever.  The other cores keep running; they notice the
 * silence through the monitors' heartbeats.  With `panic=exit` on the kernel
 * command line the core instead ends the whole QEMU run with EXIT_PANIC, which
 * tests use to get a prompt, well-defined exit status.  A core that stops
 * while no other core runs (the boot core before it started any, or the last
 * one left) ends the run the same way: nothing is left to go on.
 *
 * panic() is for kernel bugs, never for bad input: parsers and system calls
 * return err_t.
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Stop the calling core after a report has been printed. */
void core_stop(void) __attribute__((noreturn));

#define assert(cond) do {                                                   \
	if (!(cond))                                                        \
		panic("assertion failed: %s at %s:%d", #cond, __FILE__,     \
		      __LINE__);                                            \
} while (0)

#endif
