/* services.c: the boot manifest's services on each core (see kernel/services.h). */
#include <kernel/boot.h>
#include <kernel/console.h>
#include <kernel/corestatus.h>
#include <kernel/fence.h>
#include <kernel/cpu.h>
#include <kernel/chanwake.h>
#include <kernel/domain.h>
#include <kernel/frames.h>
#include <kernel/memlayout.h>
#include <kernel/platform.h>
#include <kernel/pmm.h>
#include <kernel/services.h>
#include <kernel/smp.h>
#include <kernel/monlinks.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <kernel/trace.h>
#include <arch/paging.h>
#include <lib/fmt.h>
#include <lib/string.h>
#include <sys/monitor.h>
#include <lib/manifest.h>
#include <lib/parse.h>

#define MAX_SERVICES 64
#define MAX_ERRORS 32

struct parse_space {
	struct manifest_entry entries[MAX_SERVICES];
	struct manifest_error errors[MAX_ERRORS];
};
#define SPACE_FRAMES ((sizeof(struct parse_space) + PAGE_SIZE - 1) / PAGE_SIZE)

/* The module's program name: basename of its first word. */
static void module_program(const struct boot_module *m, char *out, size_t outlen)
{
	parse_program_name(m->name, out, outlen);
}

int64_t services_module_name(uint64_t index, uint64_t ubuf)
{
	char name[PROGRAM_NAME_MAX];
	if (index >= boot_info.module_count)
		return ERR_NOENT;
	memset(name, 0, sizeof name);
	module_program(&boot_info.modules[index], name, sizeof name);
	return copy_to_user(ubuf, name, sizeof name);
}

const struct boot_module *services_find_module(const char *program)
{
	char name[BOOT_MODNAME_MAX];
	for (unsigned i = 0; i < boot_info.module_count; i++) {
		module_program(&boot_info.modules[i], name, sizeof name);
		if (strcmp(name, program) == 0)
			return &boot_info.modules[i];
	}
	return 0;
}

static const struct boot_module *find_manifest(void)
{
	char name[BOOT_MODNAME_MAX];
	for (unsigned i = 0; i < boot_info.module_count; i++) {
		module_program(&boot_info.modules[i], name, sizeof name);
		if (parse_ends_with(name, ".manifest"))
			return &boot_info.modules[i];
	}
	return 0;
}

static bool known_program(const char *program, void *ctx)
{
	(void)ctx;
	return services_find_module(program) != 0;
}

static void start_service(const struct manifest_entry *e)
{
	const struct boot_module *m = services_find_module(e->program);
	struct domain_args a = { .program = e->program, .argc = e->argc };
	for (unsigned i = 0; i < e->argc && i < PROGRAM_ARGC_MAX; i++)
		a.argv[i] = e->args + e->argoff[i];
	char why[160];
	struct domain *d;
	err_t err = domain_create(phys_to_virt(m->start), m->end - m->start, &a, &d,
				  why, sizeof why);
	if (err)
		klog("manifest line %u: cannot start '%s': %s\n", e->line, e->program, why);
	else
		klog("started domain %u (%s) from manifest line %u\n", d->id, d->program, e->line);
}

/* Core 0 only: lines that name cores which are not up. */
static void report_absent_cores(const struct manifest *m)
{
	for (unsigned i = 0; i < m->nentries; i++) {
		const struct manifest_entry *e = &m->entries[i];
		for (int c = manifest_cores_next(&e->cores, 0); c >= 0;
		     c = manifest_cores_next(&e->cores, (unsigned)c + 1))
			if (core_status_get((unsigned)c) != CORE_UP)
				klog("manifest line %u: core %d is not up; '%s' not started there\n",
				     e->line, c, e->program);
	}
}

static void report_errors(const struct manifest *m)
{
	for (unsigned i = 0; i < m->nerrors; i++)
		klog("%s\n", m->errors[i].msg);
	if (m->bad_lines > m->nerrors)
		klog("manifest: %u more bad lines not shown\n", m->bad_lines - m->nerrors);
}

static void run_manifest(const struct boot_module *mod, struct parse_space *sp)
{
	unsigned me = cpu_self()->id;
	struct manifest m = { .entries = sp->entries, .max_entries = MAX_SERVICES,
			      .errors = sp->errors, .max_errors = MAX_ERRORS };
	struct manifest_config cfg = { .ncores = smp_cores_planned(), .known = known_program };
	err_t e = manifest_parse(phys_to_virt(mod->start), mod->end - mod->start, &cfg, &m);
	if (me == 0) {
		klog("manifest %s: %u services, %u bad lines\n", mod->name, m.nentries, m.bad_lines);
		if (e && !m.nerrors)
			klog("manifest: %s\n", err_str(e));
		report_errors(&m);
		report_absent_cores(&m);
	}
	for (unsigned i = 0; i < m.nentries; i++)
		if (manifest_cores_has(&m.entries[i].cores, me))
			start_service(&m.entries[i]);
}

/* Monitor info pages, links and the manifest, mapped into mon. */
static err_t give_monitor_its_view(struct domain *mon, const struct boot_module *manifest)
{
	struct cpu *c = cpu_self();
	uint64_t pa;
	err_t e = pmm_alloc_contig(c->pool, 2, 1, &pa);
	if (e)
		return e;
	struct monitor_info *info = phys_to_virt(pa);
	memset(info, 0, 2 * PAGE_SIZE);
	info->core = c->id;
	info->ncores = smp_cores_planned();
	for (unsigned i = 0; i < info->ncores; i++)
		if (core_status[i].up_tsc && core_status_get(i) == CORE_UP)
			info->cores_up[i / 64] |= 1ull << (i % 64);
	for (unsigned i = 0; i < CORES_MAX; i++) {
		uint32_t p = i < info->ncores ? monlinks_parent(i) : MONITOR_NO_PARENT;
		info->tree_parents[i] = p < CORES_MAX ? (uint16_t)p : MONITOR_TREE_ROOT;
	}
	info->flags = boot_options.names_central ? MONITOR_FLAG_NAMES_CENTRAL : 0;
	if (boot_options.stuck_monitor && boot_options.stuck_monitor == c->id &&
	    core_status[c->id].generation == 0)
		info->flags |= MONITOR_FLAG_STUCK;
	if (c->id == 1 && __builtin_strcmp(boot_options.test, "monsys") == 0)
		info->flags |= MONITOR_FLAG_SYSTEST;
	info->ngraph = monlinks_graph(info->graph, MONITOR_GRAPH_MAX);
	uint64_t link_pa[MONITOR_MAX_LINKS];
	info->nlinks = monlinks_of(c->id, info->links, link_pa, MONITOR_MAX_LINKS);
	for (unsigned i = 0; i < 2 && !e; i++) {
		e = frames_own(mon, pa + i * PAGE_SIZE, FRAME_PINNED, "starting the monitor");
		if (!e)
			e = frames_map_other(mon, MONITOR_INFO_VA + i * PAGE_SIZE, pa + i * PAGE_SIZE,
					     PTE_NX);
	}
	for (unsigned i = 0; i < info->nlinks && !e; i++) {
		e = domain_map_foreign(mon, MONITOR_LINKS_VA + i * MONITOR_LINK_SIZE, link_pa[i],
				       PTE_W | PTE_NX);
		if (!e) /* a link is a channel: notifications wake only the peer monitor */
			e = chanwake_add(link_pa[i], mon, info->links[i].peer);
	}
	info->generation = core_status[c->id].generation;
	info->nmem = monlinks_mem(info->mem, MONITOR_MAX_MEM);
	monlinks_numa(info);
	{ /* every monitor reads the manifest: a restarted one respawns its services */
		uint64_t first = manifest ? manifest->start & ~(PAGE_SIZE - 1) : 0;
		info->manifest_len = manifest ? manifest->end - manifest->start : 0;
		uint64_t off = manifest ? manifest->start - first : 0;
		for (uint64_t p = first; manifest && p < manifest->end && !e; p += PAGE_SIZE)
			e = domain_map_foreign(mon, MONITOR_MANIFEST_VA + (p - first), p, PTE_NX);
		if (off)
			klog("manifest module not page-aligned; monitor 0 cannot read it\n");
	}
	for (unsigned i = 0; i < 4; i++)
		mon->notify_mask[i] = ~0ull;
	return e;
}

static bool start_monitor(const struct boot_module *m)
{
	struct domain_args a = { .program = "monitor", .privileged = true };
	char why[160];
	struct domain *mon;
	err_t e = domain_create(phys_to_virt(m->start), m->end - m->start, &a, &mon, why, sizeof why);
	if (!e && (e = give_monitor_its_view(mon, find_manifest()))) {
		fmt_snprintf(why, sizeof why, "mapping its view: %s", err_str(e));
		mon->state = DOM_ZOMBIE;
	}
	if (e) {
		klog("cannot start the monitor: %s\n", why);
		return false;
	}
	cpu_self()->sched.monitor = mon;
	klog("monitor started (domain %u)\n", mon->id);
	return true;
}

void services_manifest_done(void)
{
	__atomic_store_n(&core_status[cpu_self()->id].services_started, 1, __ATOMIC_RELEASE);
}

bool services_start(void)
{
	struct cpu *c = cpu_self();
	const struct boot_module *monitor = services_find_module("monitor");
	if (monitor) {
		bool ok = start_monitor(monitor);
		/* core 0's and a restarted core's monitor say when their services started */
		if ((c->id != 0 && !core_status[c->id].generation) || !ok)
			services_manifest_done();
		return true;
	}
	const struct boot_module *mod = find_manifest();
	if (mod) {
		uint64_t pa;
		if (pmm_alloc_contig(c->pool, SPACE_FRAMES, 1, &pa)) {
			klog("no memory to read the manifest; no services on this core\n");
		} else {
			run_manifest(mod, phys_to_virt(pa));
			pmm_free(c->pool, pa, SPACE_FRAMES);
		}
	}
	__atomic_store_n(&core_status[c->id].services_started, 1, __ATOMIC_RELEASE);
	return mod != 0;
}

/*
 * The idle hook of every core; the lowest live core checks (core 0 may
 * have been stopped): when every live core's services started and no
 * domain but the monitors is left, the run is over.
 */
void services_check_finished(void)
{
	unsigned n = smp_cores_planned(), me = cpu_self()->id;
	for (unsigned i = 0; i < me; i++)
		if (core_status_get(i) == CORE_UP)
			return; /* a lower core is live: it checks */
	for (unsigned i = 0; i < n; i++) {
		enum core_state st = core_status_get(i);
		if (fence_restart_pending(i) || st == CORE_STARTING || st == CORE_ENTERED)
			return; /* fenced while running: its restart comes (kernel/fence.h), or is under way */
		if (st != CORE_UP)
			continue; /* stopped or absent cores have nothing left to run */
		if (!__atomic_load_n(&core_status[i].services_started, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&core_status[i].domains_live, __ATOMIC_ACQUIRE))
			return;
	}
	klog("all domains finished\n");
	if (trace_ctl->dump_at_end)
		trace_dump_all(true);
	platform_exit(EXIT_SUCCESS_CODE);
}
