/*
 * monitor/monitor.h: the monitor domain's internal interfaces.
 *
 * One monitor runs on every core (sys/monitor.h).  It owns no state of any
 * other core: what it knows about the rest of the system it learns from
 * messages on its links (monitor/proto.h).  Single-threaded: one waitset
 * loop (main.c) serves its links and its domains' channels; periodic work
 * (liveness, noticing ended domains, request time-outs) runs between.
 *
 *   route.c     links to other monitors; sending a message towards a core
 *   local.c     this core's domains: spawn, their channels, their ends
 *   pending.c   requests waiting for another monitor's answer
 *   handlers.c  what each message type does
 *   liveness.c  heartbeats (core 0 pings, the others answer), core-down
 *   memory.c    the monitors' memory (kept by core 0)
 *   boot.c      core 0: starting the boot manifest's services
 *   bcast.c     broadcast along the tree versus sequential unicasts
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H
#include <stdbool.h>
#include <stdint.h>
#include <lib/err.h>
#include <monitor/proto.h>
#include <sys/monitor.h>
#include <urpc/urpc.h>

struct waitset;

#define MON_MSG_MAX      672        /* largest message on any monitor channel */
#define MON_MAX_DOMAINS  64
#define MON_MAX_PENDING  128
#define MON_CORES        256

extern const struct monitor_info *mon_info;
extern unsigned mon_core, mon_ncores;

/* A message being handled: which channel it came from. */
struct mon_origin {
	bool from_link;              /* false: from a local domain */
	uint32_t domain_id;          /* local domain it came from */
};

/* route.c */
void route_init(void);
void route_add_sources(struct waitset *ws);
bool core_is_up(unsigned core);
void core_mark_down(unsigned core);
bool core_is_down(unsigned core);
/* Send msg (a struct with a mon_hdr, h.dst_core set) towards h.dst_core. */
err_t route_send(uint16_t type, void *msg, size_t len);
/* Handle or forward a message that came in on a link. */
void route_deliver(uint16_t type, void *msg, size_t len);

/* local.c */
void local_init(struct waitset *ws);
err_t local_spawn(const char *program, uint32_t argc, const char *args,
		  uint32_t args_len, uint32_t *domain_id);
bool local_alive(uint32_t domain_id);
/* Send to a local domain's channel; false (and a log line) if it is gone or not reading. */
bool local_send(uint32_t domain_id, uint16_t type, const void *msg, size_t len);
void local_reap(void);
uint32_t local_domain_count(void);

/* pending.c */
struct pending {
	bool used;
	uint32_t id;                 /* our req_id on the links */
	uint16_t type;               /* the request that is waiting */
	uint32_t target_core;
	uint32_t domain_id;          /* local requester, 0 for the monitor itself */
	uint32_t domain_req;         /* its req_id */
	uint32_t stage;              /* request-specific */
	uint32_t extra;              /* request-specific */
	uint64_t deadline;           /* TSC */
	char name[MON_NAME_MAX];
	uint32_t pages;
};
struct pending *pending_new(uint16_t type, uint32_t target_core, uint32_t domain_id,
			    uint32_t domain_req);
struct pending *pending_find(uint32_t id);
void pending_free(struct pending *p);
/* Calls fail(p, err) for each request waiting on core (or past its deadline). */
void pending_expire(uint64_t now, void (*fail)(struct pending *p, err_t e));
void pending_fail_core(unsigned core, void (*fail)(struct pending *p, err_t e));

/* handlers.c */
void handle_domain_message(uint32_t domain_id, uint16_t type, void *msg, size_t len);
void handle_monitor_message(uint16_t type, void *msg, size_t len);
void handlers_fail_pending(struct pending *p, err_t e);
/* A core stopped: fail what waits on it, drop its names; returns names dropped. */
unsigned handlers_core_down(unsigned core);
void reply_error(uint32_t domain_id, const struct mon_hdr *h, uint16_t bad_type,
		 err_t e, const char *why);

/* liveness.c */
void liveness_tick(uint64_t now);
void liveness_pong(const struct mon_ping *m);
void liveness_core_down(unsigned core);

/* memory.c (core 0) */
void memory_init(void);
err_t memory_alloc(uint32_t npages, uint64_t *pa);

/* boot.c (core 0) */
void boot_start_manifest(void);
void boot_spawn_done(struct pending *p, err_t e, uint32_t domain_id);

/* bcast.c */
void bcast_request(uint32_t domain_id, const struct mon_ping *req);
void bcast_message(uint16_t type, const struct mon_ping *m);
void bcast_start_round(void);
void bcast_core_down(unsigned core);

/* Copies a NUL-terminated string into a field of size n, always terminated. */
static inline void mon_copy(char *dst, const char *src, unsigned long n)
{
	unsigned long i = 0;
	for (; i + 1 < n && src[i]; i++)
		dst[i] = src[i];
	if (n)
		dst[i] = 0;
}

/* main.c */
uint64_t mon_now(void);
uint64_t mon_ms(uint64_t ms);
void mon_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
