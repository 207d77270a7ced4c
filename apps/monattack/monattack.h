/*
 * monattack.h: the attacks of apps/monattack kept outside monattack.c, and
 * the verdict they share.
 *
 * fail() records a wrong answer ("<attack> WRONG: ..."); verdict() prints
 * "<attack> survived" when nothing was wrong and returns the exit code
 * (0, or 1 when anything was).
 */
#ifndef APPS_MONATTACK_H
#define APPS_MONATTACK_H
#include <lib/err.h>
#include <stdint.h>

void fail(const char *attack, const char *what, err_t got);
int verdict(const char *attack);

/* chanflood.c: floods of the channel between a domain and its monitor. */
int attack_deaf(uint64_t requests);
int attack_evflood(uint64_t events);
int attack_calls(uint64_t calls);

#endif
