/*
 * kernel/coninput.h: the serial console's input, for one domain.
 *
 * The UART's receive interrupt (ISA IRQ 4, through the I/O APIC) goes to
 * the core of the domain that reads the console: the first domain holding
 * DOMAIN_RIGHT_CONSOLE that calls SYS_CONSOLE_READ claims the input (one
 * compare-and-swap on a word all cores share) and its CPU driver routes
 * the line to itself; any other domain then gets ERR_BUSY.  From then on
 * only that core touches the input buffer: its interrupt handler moves the
 * bytes from the UART's FIFO into the buffer and notifies the owner,
 * SYS_CONSOLE_READ copies them out.  A full buffer turns the UART's
 * receive interrupt off until the reader takes some, so what does not fit
 * waits in the UART and in QEMU (back-pressure, nothing dropped: test_shell
 * shell.typed_while_asleep_kept_whole).  When the owner
 * ends, the line is masked and the input is free to be claimed again.  The
 * claim names the owner's core and its incarnation (corestatus.h
 * generation): when that CPU driver ends without ending its domains (its
 * core stopped, was fenced, panicked, or has been restarted since), the
 * claim ended with it, and the next domain holding the right that reads
 * takes the input over (`console.takeover` event) and routes the line to
 * its own core.  A claim of a CPU driver that still runs is never taken
 * (ERR_BUSY), whatever the asker's core or rights.
 * Which core that is follows from the manifest (docs/14-shell.md: core 0).
 *
 * SYS_CONSOLE_READ(buf, len, ticks): up to len bytes typed so far; with
 * none, waits up to `ticks` timer ticks (0: return at once) for input or
 * any notification, then returns what there is (possibly 0).  ERR_PERM
 * without the right, ERR_BUSY when another domain owns the input,
 * ERR_UNSUPPORTED when the machine has no I/O APIC for the line.
 */
#ifndef KERNEL_CONINPUT_H
#define KERNEL_CONINPUT_H
#include <stdint.h>

struct domain;

/* Boot core, before the APs: mask the PICs and the I/O APICs' lines. */
void coninput_boot_init(void);
int64_t coninput_read(uint64_t buf, uint64_t len, uint64_t ticks);
/*
 * SYS_CONSOLE_WRITE(buf, len): raw bytes to the console, no prefix, no
 * line discipline (the shell's echo and prompt): printable ASCII, \n, \r,
 * \b and ESC pass, other bytes are dropped.  len <= CONSOLE_WRITE_MAX.
 * SYS_POWEROFF(): end the run (exit status 0).  Both need the console right.
 */
#define CONSOLE_WRITE_MAX 512
int64_t coninput_write(uint64_t buf, uint64_t len);
int64_t coninput_poweroff(void);
/* A domain is being freed: release the input if it owned it. */
void coninput_domain_end(const struct domain *d);

#endif
