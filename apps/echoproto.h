/*
 * apps/echoproto.h: the messages between apps/echo and its clients
 * (apps/client, apps/badmsg, apps/stopper) on a channel the monitors
 * brokered (libos/monclient.h: mon_bind / mon_accept).
 */
#ifndef APPS_ECHOPROTO_H
#define APPS_ECHOPROTO_H
#include <stdint.h>

#define ECHO_MSG 1        /* echoed back unchanged */
#define ECHO_BYE 2        /* this client is done; no answer */

struct echo_msg {
	uint32_t core;        /* the client's core */
	uint32_t domain;      /* the client's domain */
	uint64_t seq;
	uint64_t check;       /* a function of the three above */
};

static inline uint64_t echo_check(const struct echo_msg *m)
{
	return ((uint64_t)m->core << 48 ^ (uint64_t)m->domain << 32 ^ m->seq) *
	       0x9e3779b97f4a7c15ull;
}

/* Copies a name into a PROGRAM_NAME_MAX field, NUL-padded. */
static inline void mon_copy_name(char *dst, const char *src)
{
	unsigned i = 0;
	/* src[i] is read only up to its NUL: cppcheck assumes all 31 reads. */
	// cppcheck-suppress arrayIndexOutOfBoundsCond
	for (; i + 1 < 32 && src[i]; i++)
		dst[i] = src[i];
	for (; i < 32; i++)
		dst[i] = 0;
}
#endif
