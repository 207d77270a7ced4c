/*
 * boot.c: core 0's monitor starts the boot manifest's services.
 *
 * The CPU driver maps the manifest text read-only into monitor 0.  Every
 * good line becomes one MON_SPAWN_REQ per core it names, sent through the
 * same route any domain's spawn request takes (to this monitor itself for
 * core 0), at most BOOT_WINDOW at a time; bad lines are reported with their
 * numbers and skipped.  `monitor`
 * lines are satisfied already (every core runs one).  When every spawn has
 * answered, the CPU driver is told (SYS_MANIFEST_DONE).
 */
#include <libos/libos.h>
#include <libos/malloc.h>
#include <lib/string.h>
#include <lib/manifest.h>
#include "monitor.h"
#include "monsys.h"

#define MAX_SERVICES 64
#define MAX_ERRORS 32
#define BOOT_WINDOW 32   /* spawns in flight at once: 255 at once crowd out everyone */

static unsigned outstanding;
static void pump(void);
static bool all_sent;

static void maybe_done(void)
{
	static bool done;
	if (all_sent && outstanding == 0 && !done) {
		done = true;
		mon_log("manifest: every service started or reported");
		sys_manifest_done();
	}
}

static uint32_t args_bytes(const struct manifest_entry *e)
{
	if (!e->argc)
		return 0;
	const char *last = e->args + e->argoff[e->argc - 1];
	return (uint32_t)(last - e->args + strlen(last) + 1);
}

/* One manifest spawn in flight. */
struct boot_spawn {
	struct pending p;            /* first: see pending.c */
	unsigned line;
	char program[PROGRAM_NAME_MAX];
};

static void boot_spawn_done(struct pending *p, err_t e, const void *reply)
{
	struct boot_spawn *b = (struct boot_spawn *)p;
	if (e)
		mon_log("manifest line %u: cannot start '%s' on core %u: %s", b->line, b->program,
			p->target_core, err_str(e));
	else
		mon_log("manifest line %u: '%s' runs on core %u as domain %u", b->line, b->program,
			p->target_core, ((const struct mon_spawn_reply *)reply)->domain_id);
	free(b);
	if (outstanding)
		outstanding--;
	pump();
}

static void spawn_on(const struct manifest_entry *e, unsigned core)
{
	struct mon_spawn_req m;
	memset(&m, 0, sizeof m);
	m.core = core;
	m.argc = e->argc;
	m.args_len = args_bytes(e);
	m.rights = e->rights;
	_Static_assert(sizeof m.span == sizeof e->span, "span sets have one size");
	memcpy(m.span, &e->span, sizeof m.span);  /* little-endian: bit c is bit c either way */
	mon_copy(m.program, e->program, sizeof m.program);
	memcpy(m.args, e->args, m.args_len);
	struct boot_spawn *b = malloc(sizeof *b);
	if (!b || pending_add(&b->p, MON_SPAWN_REQ, 0, 0, boot_spawn_done)) {
		free(b);
		mon_log("manifest line %u: too many spawns in flight; '%s' not started on core %u",
			e->line, e->program, core);
		return;
	}
	b->line = e->line;
	mon_copy(b->program, e->program, sizeof b->program);
	outstanding++;
	pending_send(&b->p, MON_SPAWN_REQ, &m, sizeof m, core, MON_SPAWN_REPLY);
}

/* The next (line, core) to start: the cursor over the manifest's services. */
static struct manifest man;
static unsigned cur_entry;
static int cur_core = -1;

static bool next_target(const struct manifest_entry **e, unsigned *core)
{
	while (cur_entry < man.nentries) {
		const struct manifest_entry *x = &man.entries[cur_entry];
		cur_core = manifest_cores_next(&x->cores, (unsigned)(cur_core + 1));
		if (cur_core < 0 || strcmp(x->program, "monitor") == 0) {
			cur_entry++;
			cur_core = -1;
			continue;
		}
		if (!core_is_up((unsigned)cur_core)) {
			mon_log("manifest line %u: core %d is not up; '%s' not started there",
				x->line, cur_core, x->program);
			continue;
		}
		*e = x;
		*core = (unsigned)cur_core;
		return true;
	}
	return false;
}

/* Keeps up to BOOT_WINDOW spawns in flight; the last answer finishes. */
static void pump(void)
{
	const struct manifest_entry *e;
	unsigned core;
	while (outstanding < BOOT_WINDOW && !all_sent) {
		if (!next_target(&e, &core)) {
			all_sent = true;
			free(man.entries);
			free(man.errors);
			man.entries = 0;
			man.errors = 0;
			break;
		}
		spawn_on(e, core);
	}
	maybe_done();
}

void boot_start_manifest(void)
{
	man.entries = malloc(MAX_SERVICES * sizeof *man.entries);
	man.errors = malloc(MAX_ERRORS * sizeof *man.errors);
	man.max_entries = MAX_SERVICES;
	man.max_errors = MAX_ERRORS;
	if (mon_info->manifest_len && man.entries && man.errors) {
		struct manifest_config cfg = { .ncores = mon_ncores };
		manifest_parse((const char *)MONITOR_MANIFEST_VA, mon_info->manifest_len, &cfg, &man);
		mon_log("manifest: %u services, %u bad lines", man.nentries, man.bad_lines);
		for (unsigned i = 0; i < man.nerrors; i++)
			mon_log("%s", man.errors[i].msg);
		if (man.bad_lines > man.nerrors)
			mon_log("manifest: %u more bad lines not shown", man.bad_lines - man.nerrors);
	} else {
		man.nentries = 0;
	}
	pump();
}
