/*
 * apps/echoproto.h: what the echo service's clients (apps/client,
 * apps/badmsg, apps/stopper) share beyond the messages, which are declared
 * in if/echo.if (generated: <if/echo.h>, echo_send_msg(), echo_msg_check()).
 */
#ifndef APPS_ECHOPROTO_H
#define APPS_ECHOPROTO_H
#include <stdint.h>
#include <if/echo.h>

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
