/*
 * platform.h: leaving the machine.
 *
 * platform_exit(code) ends the run: under QEMU through the isa-debug-exit
 * device (port 0xf4).  Writing v makes QEMU exit with (v << 1) | 1; we write
 * EXIT_BASE + code so that no outcome collides with QEMU's own error status 1,
 * and tools/qemu.py maps the status back to `code`.  Without that device (real
 * hardware, or a QEMU started without it) the core just halts.
 */
#ifndef KERNEL_PLATFORM_H
#define KERNEL_PLATFORM_H

#define EXIT_BASE         0x10 /* keep in sync with tools/qemu.py */
#define EXIT_SUCCESS_CODE 0  /* the demo or every self-test passed */
#define EXIT_TEST_FAILED  1  /* a self-test failed */
#define EXIT_PANIC        2  /* panic=exit and a core panicked */

void platform_exit(unsigned code) __attribute__((noreturn));

#endif
