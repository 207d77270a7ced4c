/*
 * selftest.h: kernel self-tests chosen by `test=NAME` on the command line.
 *
 * Each test prints `TEST name PASS|FAIL` lines or provokes a report that the
 * integration tests match (a fault, a panic).  selftest_run returns false if
 * NAME is unknown (the caller reports that and carries on with the normal boot).
 */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include <stdbool.h>

bool selftest_run(const char *name);

#endif
