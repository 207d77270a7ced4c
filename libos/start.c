/*
 * start.c: from crt0 to main, and the accessors of include/libos/libos.h.
 *
 * The start-info page is written by the kernel, which we trust, but we
 * still copy only bounded values out of it: argc is clamped to
 * PROGRAM_ARGC_MAX and the program name to its array, so a kernel bug shows
 * as a short argument list, not as a wild read.
 */
#include <libos/libos.h>
#include <libos/trace.h>
#include <sys/domain.h>
#include "dispatch.h"

__attribute__((noreturn)) void libos_start(const struct domain_start *info);

static const struct domain_start *libos_info;
static unsigned libos_nargs;
static char libos_prog[PROGRAM_NAME_MAX];
/* main's argv: program name, the arguments, NULL. */
static char *libos_argv[PROGRAM_ARGC_MAX + 2];

void libos_start(const struct domain_start *info)
{
	unsigned i;

	if (info->span_home_domain)
		libos_span_start(info);         /* an instance: no main here */
	libos_info = info;
	libos_trace_init(info->trace_ring, info->domain_id);
	libos_dispatch_init(info);
	libos_nargs = info->argc < PROGRAM_ARGC_MAX ? info->argc : PROGRAM_ARGC_MAX;
	for (i = 0; i + 1 < PROGRAM_NAME_MAX && info->program[i]; i++)
		libos_prog[i] = info->program[i];
	libos_prog[i] = '\0';
	libos_argv[0] = libos_prog;
	for (i = 0; i < libos_nargs; i++) {
		if (!info->argv[i])
			break;
		libos_argv[i + 1] = (char *)info->argv[i];
	}
	libos_nargs = i;
	libos_argv[i + 1] = NULL;
	exit(main((int)libos_nargs + 1, libos_argv));
}

unsigned libos_core_id(void)
{
	return libos_info->core;
}

unsigned libos_ncores(void)
{
	return libos_info->ncores;
}

unsigned libos_domain_id(void)
{
	return libos_info->domain_id;
}

uint64_t libos_tsc_hz(void)
{
	return libos_info->tsc_hz;
}

const char *libos_program(void)
{
	return libos_prog;
}

unsigned libos_argc(void)
{
	return libos_nargs;
}

const char *const *libos_args(void)
{
	return (const char *const *)&libos_argv[1];
}

const char *libos_arg(unsigned i)
{
	return i < libos_nargs ? libos_argv[i + 1] : NULL;
}

void exit(int code)
{
	sys_exit(code);
}

void libos_abort(const char *msg)
{
	printf("abort: %s\n", msg);
	sys_exit(134);
}
