/*
 * sys/monitor.h: what a CPU driver gives its monitor, and the privileged
 * system calls only a monitor may make.  Shared by the kernel and monitor/.
 *
 * Every CPU driver starts the boot module `monitor` as its first domain,
 * marked privileged.  At boot the boot core (before starting the APs) lays
 * out URPC link areas between monitors: one between core 0 and every other
 * core, plus one per edge of the broadcast tree (topology/bcast_tree.h),
 * each area in the memory of the NUMA node of the link's receiver of
 * requests (the core farther from the root).  Each kernel maps its links
 * into its monitor at MONITOR_LINKS_VA + index * MONITOR_LINK_SIZE and
 * describes them in the read-only struct monitor_info page.
 *
 * Every domain a monitor spawns gets a one-page URPC channel to it: owned by
 * the monitor (mapped at the `chan_va` SYS_SPAWN returns, side 0) and mapped
 * into the child at DOMAIN_MONCHAN_VA (side 1).  When the child ends, its
 * mapping goes with its address space; the monitor sees the end with
 * SYS_DOMAIN_STATE and reuses or frees the page.
 *
 * Privileged calls (ERR_PERM from any other domain):
 *  SYS_SPAWN(name, args, out)     start boot module `name` (NUL-terminated)
 *                                 with args (struct spawn_args); writes a
 *                                 struct spawn_result to out
 *  SYS_DOMAIN_STATE(id)           1 if domain id of this core is alive,
 *                                 ERR_NOENT once it has ended
 *  SYS_CHAN_CREATE(id, pages, peer, out)
 *                                 new channel area of `pages` frames from
 *                                 this core's pool, formatted, owned by the
 *                                 monitor, mapped into domain id (side 1);
 *                                 id may notify `peer`; writes struct
 *                                 chan_result {pa, va}
 *  SYS_CHAN_MAP(id, pa, pages, peer, out)
 *                                 map a channel area another monitor created
 *                                 into domain id (side 0); id may notify
 *                                 `peer`; writes struct chan_result;
 *                                 ERR_PERM unless core `peer`'s kernel made
 *                                 exactly this area (pa, pages) with SYS_CHAN_CREATE
 *                                 for this core (never kernel memory, never
 *                                 another pool's frames); SYS_FRAME_FREE of
 *                                 an area's first frame withdraws it
 *  SYS_FRAME_GRANT(id, pa)        make domain id the owner of frame pa of
 *                                 the monitors' memory (outside every core
 *                                 pool, inside monitor_info.mem)
 *  SYS_FRAME_REVOKE(id, pa)       take it back: it must be owned by id, of
 *                                 the monitors' memory, and unmapped
 *  SYS_MANIFEST_DONE()            (core 0, or a restarted core) every
 *                                 manifest service of ours started
 *  SYS_CORE_STOP(core)            test command: stop that core's CPU driver
 *                                 (it halts with interrupts off, for good)
 *  SYS_DOMAIN_RIGHTS(id, mask)    set domain id's rights (sys/rights.h);
 *                                 ERR_INVAL for bits outside
 *                                 DOMAIN_RIGHT_ALL, ERR_NOENT no such domain
 *
 * Domains that span cores (cpudriver/include/kernel/span.h):
 *  SYS_SPAN_EXPORT(id, core)      list domain id's user mappings (all but
 *                                 its per-core pages) in fresh frames the
 *                                 domain owns, registered for `core` only;
 *                                 returns the list's physical address ORed
 *                                 with its page count (struct span_list;
 *                                 pass it on unchanged); takes one
 *                                 reference that keeps the domain's frames
 *                                 alive after it ends; from now on it may
 *                                 not map or unmap (ERR_SPANNED).
 *                                 ERR_NOENT, ERR_PERM (the monitor, or an
 *                                 instance), ERR_TOOBIG (> SPAN_LIST_MAX),
 *                                 ERR_RANGE (core), ERR_EXIST (spans it)
 *  SYS_SPAN_CREATE(list, home_core, home_id, arg)
 *                                 on another core: a new instance of that
 *                                 domain: its own stack, start info
 *                                 (span_* fields) and dispatcher page, the
 *                                 listed frames mapped, entered at the
 *                                 list's entry; returns the instance's id.
 *                                 ERR_PERM (home_core's CPU driver did not
 *                                 export that list for this core),
 *                                 ERR_EXIST (an instance of it is here),
 *                                 ERR_BADMAGIC, ERR_RANGE (a listed page
 *                                 outside user space or RAM), ERR_INVAL
 *  SYS_SPAN_END(home_core, home_id, why)
 *                                 end that domain's instance on this core;
 *                                 after the call it never runs again
 *                                 (ERR_NOENT if none); why: SPAN_END_HOME_ENDED
 *                                 or SPAN_END_HOME_DOWN (the home's core is
 *                                 down), for the kernel's line
 *  SYS_SPAN_RELEASE(id, core)     drop the reference of the export for core
 *  SYS_SPAN_KILL(id)              end a spanning home domain (one of its
 *                                 instances died); ERR_PERM if it never
 *                                 spanned
 *  SYS_SPAN_VM(id, op, va, arg, pages, out)
 *                                 on the home, for the monitors' map, unmap
 *                                 and protect by messages, over the range
 *                                 [va, va + pages pages), pages 1..
 *                                 SPAN_VM_MAX_PAGES (else ERR_RANGE):
 *                                 SPAN_VM_CHECK_UNMAP / CHECK_PROTECT (arg
 *                                 = SYS_MAP_WRITE/EXEC rights) change
 *                                 nothing and say whether every page is one
 *                                 the domain mapped with SYS_MAP (ERR_NOENT,
 *                                 ERR_PERM as SYS_UNMAP; protect: ERR_INVAL
 *                                 bad rights, ERR_PERM W and X, or more
 *                                 rights on a frame mapped twice);
 *                                 SPAN_VM_UNMAP / PROTECT check the same and
 *                                 then do it; SPAN_VM_MAP maps owned frame
 *                                 arg = pa | SYS_MAP_* at va as SYS_MAP would
 *                                 (ERR_PERM if id does not span cores);
 *                                 SPAN_VM_QUEUE_UNMAP / QUEUE_PROTECT check
 *                                 as CHECK_* and then queue the change for
 *                                 every instance (kernel/span.h: applied
 *                                 before the instance next runs) and write
 *                                 to out (uint64_t[CORES_MAX / 64], a core
 *                                 bitmap) the instances' cores that were
 *                                 running and must be told by a message
 *                                 (SYS_SPAN_REPLICA); ERR_FULL if some
 *                                 instance's queue is full: then nothing
 *                                 was queued anywhere.  The home's own
 *                                 tables are unchanged (SPAN_VM_UNMAP /
 *                                 PROTECT afterwards, as in the eager path).
 *                                 One change at a time (kernel/span.h):
 *                                 CHECK_*, QUEUE_* and MAP begin one, UNMAP,
 *                                 PROTECT and SPAN_VM_DONE end it; while one
 *                                 is in flight every other (and
 *                                 SYS_SPAN_EXPORT, SYS_SPAN_LAZY) is refused
 *                                 with ERR_BUSY
 *  SYS_SPAN_REPLICA(home_core, home_id, op, va, arg, pages)
 *                                 on an instance's core: SPAN_VM_UNMAP drops
 *                                 every page of the range the instance's
 *                                 tables map, and the translations with
 *                                 them (this core's TLB held none while its
 *                                 monitor runs: no PCID, the CR3 switch
 *                                 flushed them; invlpg anyway);
 *                                 SPAN_VM_PROTECT sets their rights to arg;
 *                                 ERR_RANGE if the range holds a per-core
 *                                 page; SPAN_VM_MAP maps frame arg = pa |
 *                                 SYS_MAP_* at va (ERR_EXIST); every op
 *                                 first applies the changes queued for the
 *                                 instance (SPAN_VM_QUEUE_*), in order
 *  SYS_DOMAIN_INFO(index, out)    struct sys_domain_info of the index-th
 *                                 live domain of this core (in slot order);
 *                                 ERR_NOENT past the last
 *  SYS_CORE_INFO(out)             struct sys_core_info of this core
 *  SYS_DOMAIN_KILL(id, rights)    end domain id of this core for a requester
 *                                 holding `rights`: ERR_PERM if id is a
 *                                 monitor, the requester lacks
 *                                 DOMAIN_RIGHT_KILL, or id holds a right
 *                                 the requester lacks; ERR_NOENT if none
 *  SYS_CORE_RESTART(core, pa, n)  start a stopped core again (kernel/smp.h:
 *                                 fresh pool, fresh links, INIT-SIPI-SIPI);
 *                                 the pool: n frames of the monitors' memory
 *                                 at pa that the caller gives up for good
 *                                 (ERR_INVAL unless 1..8 MiB inside one
 *                                 range, 2 MiB-aligned from 2 MiB), or with
 *                                 pa 0 one of the spares reserved at boot;
 *                                 ERR_OK once it runs its new CPU driver;
 *                                 ERR_RANGE (core 0, no such core),
 *                                 ERR_NOENT (not a planned core), ERR_BUSY
 *                                 (it runs, or another restart is under
 *                                 way), ERR_NOMEM, ERR_TIMEOUT; a core
 *                                 left out at boot starts this way too
 *  SYS_MONLINK_RESET(peer)        core `peer` was restarted: map the new
 *                                 area of this monitor's link to it at the
 *                                 same MONITOR_LINKS_VA slot (the old one
 *                                 is unmapped); ERR_NOENT if there is no
 *                                 link to peer, ERR_EXIST if it is mapped
 *                                 already
 *  SYS_CORE_PULSE(core)           core's timer heartbeat while it is up
 *                                 (written only by its CPU, so it advances
 *                                 while the core executes, whatever its
 *                                 monitor does); ERR_DEAD once it stopped,
 *                                 ERR_NOENT if it never came up
 *  SYS_CORE_FENCE(core, gen)      stop core for good because the monitors
 *                                 declared its incarnation `gen` (its
 *                                 restarts so far) down (kernel/fence.h):
 *                                 1 if it ran and this call stopped it, 0
 *                                 if it was stopped or fenced already, or
 *                                 is no longer incarnation gen (restarted
 *                                 since, so that one stopped; the new one
 *                                 is left alone) (the caller's own core
 *                                 may be fenced);
 *                                 ERR_RANGE (no such core),
 *                                 ERR_NOENT (never came up), ERR_BUSY
 *  SYS_CORE_GENERATION(core)      core's restarts so far (0 at boot; it
 *                                 grows when SYS_CORE_RESTART starts it
 *                                 again); ERR_RANGE if no such core
 *  SYS_POOL_MAPPED(core, gen)     how many mappings this core's domains
 *                                 (the caller too) hold into the pool that
 *                                 incarnation gen of core ran in, retired
 *                                 when it was restarted, and its old link
 *                                 pages (kernel/poolreuse.h): the count in
 *                                 bits 0-31, the first such domain's id in
 *                                 bits 32-62; ERR_NOENT if that pool is not
 *                                 retired (released, or never); ERR_RANGE
 *  SYS_POOL_RELEASE(core, gen)    that retired pool is free for restarts
 *                                 again (every live monitor found 0 here):
 *                                 ERR_NOENT if it is not retired; ERR_RANGE
 *  SYS_CHAN_MAPPED(id, pa, pages) how many pages of [pa, pa + pages)
 *                                 domain id of this core maps (0 once it
 *                                 dropped a channel area, SYS_CHAN_DROP);
 *                                 ERR_NOENT no such domain, ERR_RANGE
 *                                 pages outside 1..CHAN_MAX_PAGES or pa
 *                                 not page-aligned.  The monitor frees an
 *                                 area it made for a service that still
 *                                 runs only when this is 0 (bind.c)
 *  SYS_POOL_ADOPT()               one retired pool whose release's
 *                                 coordinator (the restarting core's
 *                                 incarnation, or a later adopter's) has
 *                                 ended becomes the caller's core's to
 *                                 coordinate: core | gen << 32; ERR_NOENT
 *                                 if there is none
 *  SYS_POOL_MONMEM(core, gen, from, out, max)
 *                                 the frames of the monitors' memory that
 *                                 the domains of that retired life held
 *                                 (kernel/poolreuse.h): numbers from..
 *                                 from+max-1 (max <= 64) into out; returns
 *                                 how many there are in all (0 if that life
 *                                 did not stop cleanly); ERR_NOENT if that
 *                                 pool is not retired; ERR_RANGE
 */
#ifndef SYS_MONITOR_H
#define SYS_MONITOR_H
#include <sys/limits.h>
#include <sys/syscall.h>

#define SYS_SPAWN         32
#define SYS_DOMAIN_STATE  33
#define SYS_CHAN_CREATE   34
#define SYS_CHAN_MAP      35
#define SYS_FRAME_GRANT   36
#define SYS_FRAME_REVOKE  37
#define SYS_MANIFEST_DONE 38
#define SYS_CORE_STOP     39
#define SYS_DOMAIN_RIGHTS 40
#define SYS_SPAN_EXPORT   41
#define SYS_SPAN_CREATE   42
#define SYS_SPAN_END      43
#define SPAN_END_HOME_ENDED 0      /* SYS_SPAN_END's why */
#define SPAN_END_HOME_DOWN  1
#define SYS_SPAN_RELEASE  44
#define SYS_SPAN_KILL     45
#define SYS_SPAN_VM       46
#define SYS_SPAN_REPLICA  47
#define SYS_MONITOR_FIRST SYS_SPAWN
#define SYS_DOMAIN_INFO   48
#define SYS_CORE_INFO     49
#define SYS_DOMAIN_KILL   50
#define SYS_CORE_RESTART  51
#define SYS_MONLINK_RESET 52
#define SYS_CORE_PULSE    53
#define SYS_CORE_FENCE    54
#define SYS_CORE_GENERATION 55
#define SYS_POOL_MAPPED   56
#define SYS_POOL_RELEASE  57
#define SYS_CHAN_MAPPED   58
#define SYS_POOL_ADOPT    59
#define SYS_POOL_MONMEM   60
#define SYS_MONITOR_LAST  SYS_POOL_MONMEM

#define SPAN_VM_CHECK_UNMAP   1
#define SPAN_VM_UNMAP         2
#define SPAN_VM_MAP           3
#define SPAN_VM_PROTECT       4
#define SPAN_VM_CHECK_PROTECT 5
#define SPAN_VM_QUEUE_UNMAP   6     /* SYS_SPAN_VM: the lazy path (kernel/span.h) */
#define SPAN_VM_QUEUE_PROTECT 7
#define SPAN_VM_DONE          8     /* SYS_SPAN_VM: the change in flight is over */
#define SPAN_VM_MAX_PAGES     512   /* pages of one unmap or protect */

#define MONITOR_INFO_VA     0x00007fff00010000ull /* 2 pages, read-only */
#define MONITOR_LINKS_VA    0x0000003000000000ull
#define MONITOR_LINK_SIZE   4096ull
#define MONITOR_DOMCHAN_VA  0x0000003800000000ull /* SYS_SPAWN channels */
#define MONITOR_MANIFEST_VA 0x0000003900000000ull /* core 0: manifest text */
#define DOMAIN_MONCHAN_VA   0x00007fff00020000ull /* a domain's monitor channel */
#define DOMAIN_CHAN_VA      0x0000002000000000ull /* SYS_CHAN_* areas */
#define MONITOR_MAX_MEM     32
#define MONITOR_MAX_NODES   16   /* nodes whose distances monitor_info holds */
#define MONITOR_FRAMES_VA   0x0000003a00000000ull /* a monitor's bitmap of its memory share */
#define MONITOR_NO_PARENT   0xffffffffu
#define MONITOR_FLAG_NAMES_CENTRAL 0x1u /* names=central: core 0 keeps the only registry */
#define MONITOR_FLAG_STUCK 0x2u         /* test (stuck_monitor=N): this monitor never waits
                                           for work (a monitor that never becomes ready) */
#define MONITOR_FLAG_SYSTEST 0x4u       /* test (test=monsys): core 1's monitor tries the
                                           kernel's range checks (monitor/systest.c) */
#define CHAN_MAX_PAGES      16
#define MONCHAN_SLOTS       16   /* slots per direction of a monitor channel */
#define LINK_SLOTS          16
#define MONITOR_GRAPH_MAX   (3 * CORES_MAX) /* links of all monitors (monitor_info.graph) */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* SYS_SPAN_EXPORT's list: written by the home's CPU driver, read by another's. */
#define SPAN_LIST_MAGIC 0x4e415053u  /* "SPAN" */
#define SPAN_LIST_PAGES 32u
/* the last page of an export is its change queue (kernel/span.h), not the list */
#define SPAN_LIST_MAX   (((SPAN_LIST_PAGES - 1) * 4096u - 64u) / 16u)

struct span_entry {
	uint64_t va;            /* page-aligned user address */
	uint64_t pte;           /* frame | P, W, U, NX */
};

struct span_list {
	uint32_t magic;
	uint32_t count;         /* entries, <= SPAN_LIST_MAX */
	uint64_t entry;         /* where instances start (the program's ELF entry) */
	char program[PROGRAM_NAME_MAX];
	uint64_t wake_key;      /* the span's notification key (kernel/span.h) */
	uint8_t pad[64 - 24 - PROGRAM_NAME_MAX];
	struct span_entry e[];
};
_Static_assert(sizeof(struct span_list) == 64, "span list header is one line");

struct monitor_link {
	uint16_t peer;          /* the other monitor's core */
	uint16_t side;          /* URPC side this monitor uses */
	uint32_t tree;          /* 1: an edge of the broadcast tree */
};

struct monitor_edge {
	uint8_t a, b;           /* the two cores of a link */
};

struct monitor_mem {
	uint64_t base, len;     /* memory the monitors hand out (every core's view) */
	uint32_t node;
	uint32_t pad;
};

struct monitor_info {
	uint32_t core;
	uint32_t ncores;        /* cores the system was started with */
	uint64_t cores_up[4];   /* bit c: core c was up when this monitor started
	                           (complete on core 0, whose monitor starts after
	                           every AP came up or timed out; a snapshot on
	                           the others) */
	uint32_t nlinks;
	uint32_t pad0;
	uint64_t manifest_len;  /* bytes of the boot manifest at MONITOR_MANIFEST_VA */
	uint32_t nmem;
	uint32_t generation;    /* 0 at boot; n: this core was restarted n times */
	struct monitor_mem mem[MONITOR_MAX_MEM];
	struct monitor_link links[MONITOR_MAX_LINKS]; /* link i at LINKS_VA + i*SIZE */
	uint16_t tree_parents[CORES_MAX]; /* every core's tree parent, MONITOR_TREE_ROOT
	                                     for core 0 and cores past ncores */
	uint32_t flags;         /* MONITOR_FLAG_* (boot options for the monitors) */
	/*
	 * The whole link plan, the same for every monitor: edge i joins cores
	 * graph[i].a and .b.  Monitors route over it without core 0
	 * (monitor/route.c).
	 */
	uint32_t ngraph;
	uint32_t pad2;
	struct monitor_edge graph[MONITOR_GRAPH_MAX];
	/*
	 * Where memory is: every core's NUMA node and the SLIT distances
	 * between the first MONITOR_MAX_NODES nodes (farther nodes count as
	 * 255).  Every monitor splits mem[] by node among that node's cores
	 * with the same rule (monitor/memshare.c).
	 */
	uint32_t nnodes;
	uint32_t pad3;
	uint8_t core_node[CORES_MAX];
	uint8_t node_dist[MONITOR_MAX_NODES][MONITOR_MAX_NODES];
};
#define MONITOR_TREE_ROOT 0xffffu
_Static_assert(sizeof(struct monitor_info) <= 2 * 4096, "monitor info is two pages");
_Static_assert(CORES_MAX <= 256, "monitor_edge holds core ids in 8 bits");

struct spawn_args {
	uint32_t argc;
	uint32_t len;           /* bytes used in buf */
	char buf[PROGRAM_ARGS_MAX]; /* argc NUL-terminated strings */
	uint32_t rights;        /* the child's rights (sys/rights.h), set before it runs */
	uint32_t pad;
};

struct spawn_result {
	uint32_t domain_id;
	uint32_t pad;
	uint64_t chan_va;       /* the monitor's side of the child's channel */
	uint64_t chan_pa;       /* its frame, owned by the monitor */
};

struct chan_result {
	uint64_t pa;
	uint64_t va;
};

struct sys_domain_info {
	uint32_t id;
	uint32_t state;         /* 1 runnable, 2 running, 3 waiting, 4 ending */
	uint32_t rights;
	uint32_t privileged;    /* 1: the monitor */
	uint32_t nframes;
	uint32_t nchans;
	uint16_t chan_peer[8];  /* the first nchans channels' peer cores */
	char program[32];
};

struct sys_core_info {
	uint64_t pool_free;     /* frames */
	uint64_t pool_total;
	uint64_t idle_tsc;      /* TSC ticks this core spent halted, nothing to run */
	uint64_t now_tsc;       /* the TSC when asked (idle share: idle_tsc over time) */
	uint32_t ndomains;
	uint32_t node;          /* NUMA node */
	uint32_t package, core, thread; /* where it sits in the machine */
	uint32_t pad;
};
#endif

#endif
