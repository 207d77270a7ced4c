/*
 * smptest.h: self-tests that need several cores, selected by `test=NAME`.
 *
 *   smp-fault   core 1 takes a page fault, core 2 (if present) panics; the
 *               boot core checks that exactly those cores stopped while every
 *               other core's timer keeps ticking (fault isolation).
 *
 * smptest_on_ap() runs on each AP once it is up; smptest_run() on the boot
 * core after smp_boot().  smptest_run returns false if NAME is not one of
 * these; otherwise it prints `TEST ...` lines and ends the run.
 */
#ifndef KERNEL_SMPTEST_H
#define KERNEL_SMPTEST_H
#include <stdbool.h>

void smptest_on_ap(unsigned id);
bool smptest_run(const char *name, unsigned ncores);

#endif
