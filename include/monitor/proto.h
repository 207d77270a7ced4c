/*
 * monitor/proto.h: the messages of the monitor protocol.
 *
 * Two kinds of channel carry them, both URPC (include/urpc/urpc.h):
 *  - a domain's channel to its own monitor (sys/monitor.h): requests go up,
 *    replies and events come down;
 *  - links between monitors: every message carries a route (src_core,
 *    dst_core); a monitor that is not dst_core forwards it (through core 0,
 *    which has a link to every core).
 *
 * Every message is a struct mon_hdr followed by the body of its type, all
 * fixed-size little-endian structs (the URPC message type is the MON_*
 * value).  mon_msg_check() is the decoder's gate: a message is used only
 * after it passed, and a message that fails is answered with MON_ERROR
 * (when it had a usable header) and logged, never acted on.
 *
 * Request/reply pairs carry the requester's req_id back unchanged; err is
 * ERR_OK or the reason (ERR_NOENT unknown name/program, ERR_DEAD target core
 * stopped, ERR_RANGE bad core, ERR_PERM not allowed, ERR_EXIST name taken,
 * ERR_NOMEM, ERR_SYNTAX malformed, ERR_TIMEOUT no answer in time).
 */
#ifndef MONITOR_PROTO_H
#define MONITOR_PROTO_H
#include <stddef.h>
#include <stdint.h>
#include <lib/err.h>
#include <sys/limits.h>

#define MON_MEM_PAGES 16          /* frames per memory message */
#define MON_WHY_MAX   120

enum mon_type {
	MON_SPAWN_REQ = 1,        /* domain -> monitor -> monitor of `core` */
	MON_SPAWN_REPLY,
	MON_REGISTER_REQ,         /* name -> this domain, kept by core 0 */
	MON_REGISTER_REPLY,
	MON_LOOKUP_REQ,           /* name -> (core, domain) */
	MON_LOOKUP_REPLY,
	MON_BIND_REQ,             /* client: connect me to service `name` */
	MON_BIND_REPLY,           /* client: channel at va, side 0 */
	MON_BIND_FWD,             /* client's monitor -> service's monitor */
	MON_BIND_FWD_REPLY,       /* service's monitor -> client's monitor: pa */
	MON_NEW_CHANNEL,          /* service's monitor -> service: a client came */
	MON_MEM_ALLOC_REQ,        /* frames of the monitors' memory */
	MON_MEM_ALLOC_REPLY,
	MON_MEM_SEND_REQ,         /* give my (unmapped) frames to core/domain */
	MON_MEM_SEND_REPLY,
	MON_MEM_FWD,              /* sender's monitor -> receiver's monitor */
	MON_MEM_RECV,             /* receiver's monitor -> receiver: now yours */
	MON_PING,                 /* liveness, monitor <-> monitor */
	MON_PONG,
	MON_BCAST,                /* broadcast along the tree (benchmark, events) */
	MON_BCAST_ACK,            /* reduction back up the tree */
	MON_CORE_DOWN,            /* event: core `core` stopped */
	MON_STOP_CORE_REQ,        /* test command: stop core `core` */
	MON_STOP_CORE_REPLY,
	MON_ERROR,                /* reply to a message that failed the check */
	MON_SPAN_REQ,             /* domain -> its monitor -> monitor of `core` */
	MON_SPAN_REPLY,
	MON_SPAN_END,             /* home's monitor -> instance's: end it */
	MON_SPAN_END_REPLY,
	MON_SPAN_DIED,            /* event: instance's monitor -> home's */
	MON_VM_REQ,               /* spanning domain -> its monitor: map/unmap */
	MON_VM_REPLY,
	MON_VM_FWD,               /* home's monitor -> each instance's */
	MON_VM_FWD_REPLY,
	MON_DOMAIN_END,           /* event: domain h.src_domain of h.src_core ended */
	MON_CHAN_CLOSE,           /* client's monitor -> service's: client ended */
	MON_TYPE_COUNT
};

struct mon_hdr {
	uint16_t src_core;        /* route: where it started */
	uint16_t dst_core;        /* route: where it is handled */
	uint32_t req_id;          /* chosen by the requester, echoed back */
	uint32_t src_domain;      /* requesting domain on src_core (0: monitor) */
	int32_t err;              /* replies: ERR_OK or why not */
};

struct mon_spawn_req {
	struct mon_hdr h;
	uint32_t core;            /* where to start it */
	uint32_t argc;            /* <= 16 */
	uint32_t args_len;        /* bytes of args used, <= PROGRAM_ARGS_MAX */
	char program[PROGRAM_NAME_MAX];
	char args[PROGRAM_ARGS_MAX];  /* argc NUL-terminated strings */
	uint32_t rights;          /* DOMAIN_RIGHT_* (sys/rights.h) the child gets */
	uint32_t depth;           /* the child's generation (set by the monitors;
	                             manifest services are 0) */
};

struct mon_spawn_reply {
	struct mon_hdr h;
	uint32_t core;
	uint32_t domain_id;
};

struct mon_name_req {             /* REGISTER_REQ, LOOKUP_REQ, BIND_REQ */
	struct mon_hdr h;
	uint32_t core;            /* REGISTER (filled by monitors): service core */
	uint32_t domain_id;       /* REGISTER (filled by monitors): service dom */
	uint32_t pages;           /* BIND: channel size, 1..CHAN_MAX_PAGES */
	uint32_t pad;
	char name[PROGRAM_NAME_MAX];
};

struct mon_name_reply {           /* REGISTER_REPLY, LOOKUP_REPLY, BIND_REPLY */
	struct mon_hdr h;
	uint32_t core;
	uint32_t domain_id;
	uint64_t va;              /* BIND_REPLY: the client's channel */
	uint32_t side;
	uint32_t pad;
};

struct mon_bind_fwd {             /* BIND_FWD and BIND_FWD_REPLY */
	struct mon_hdr h;
	uint32_t client_core;
	uint32_t client_domain;
	uint32_t service_domain;
	uint32_t pages;
	uint64_t pa;              /* FWD_REPLY: the area */
	char name[PROGRAM_NAME_MAX];
};

struct mon_new_channel {
	struct mon_hdr h;
	uint64_t va;              /* the service's side of the area */
	uint32_t side;
	uint32_t peer_core;
	uint32_t peer_domain;
	uint32_t pages;
	char name[PROGRAM_NAME_MAX];
};

struct mon_mem {                  /* MEM_* messages */
	struct mon_hdr h;
	uint32_t core;            /* SEND/FWD: receiver core */
	uint32_t domain_id;       /* SEND/FWD: receiver domain; RECV: sender */
	uint32_t npages;          /* 1..MON_MEM_PAGES */
	uint32_t pad;
	uint64_t pa[MON_MEM_PAGES];
};

struct mon_ping {                 /* PING, PONG, BCAST, BCAST_ACK */
	struct mon_hdr h;
	uint64_t seq;
	uint64_t tsc;
	uint32_t count;           /* BCAST_ACK: cores reached below */
	uint32_t pad;
};

struct mon_core {                 /* CORE_DOWN, STOP_CORE_REQ/REPLY */
	struct mon_hdr h;
	uint32_t core;
	uint32_t pad;
};

/*
 * DOMAIN_END: the ended domain's monitor tells its parent's monitor (which
 * gives the parent's child back, quota.h) and core 0's (which drops its
 * names).  h.src_domain is the domain that ended.
 */
struct mon_domain_end {
	struct mon_hdr h;
	uint32_t parent_domain;   /* on h.dst_core; 0: none there */
	uint32_t pad;
};

/* CHAN_CLOSE: client h.src_domain of h.src_core, bound to area pa, ended. */
struct mon_chan_close {
	struct mon_hdr h;
	uint64_t pa;              /* the channel area (BIND_FWD_REPLY's pa) */
};

struct mon_span {                 /* SPAN_REQ/REPLY, SPAN_END/REPLY, SPAN_DIED */
	struct mon_hdr h;
	uint32_t core;            /* REQ: the core to span to; REPLY: that core */
	uint32_t home_domain;     /* filled by the home's monitor */
	uint32_t instance;        /* REPLY, DIED: the instance's id on its core */
	int32_t code;             /* REQ between monitors: the list's pages */
	uint64_t list_pa;         /* REQ between monitors: SYS_SPAN_EXPORT's list */
	uint64_t arg;             /* REQ: for the instance's start info */
};

struct mon_vm {                   /* VM_REQ/REPLY, VM_FWD/REPLY */
	struct mon_hdr h;
	uint32_t op;              /* SPAN_VM_MAP or SPAN_VM_UNMAP (sys/monitor.h) */
	uint32_t home_domain;     /* FWD: filled by the home's monitor */
	uint64_t va;              /* page-aligned */
	uint64_t pa_flags;        /* MAP: frame | SYS_MAP_*; FWD: the frame always */
};

struct mon_error {
	struct mon_hdr h;
	uint32_t bad_type;        /* the type of the message refused */
	uint32_t pad;
	char why[MON_WHY_MAX];
};

/* Body size of a type (header included), 0 for an unknown type. */
size_t mon_msg_size(uint16_t type);

/*
 * Checks a received message before any field is used: known type, exact
 * size, route cores < ncores, strings NUL-terminated inside their field and
 * made of printable characters, counts within bounds (argc/args_len
 * consistent with the NUL-separated strings, npages and pages in range),
 * page addresses page-aligned.  Returns ERR_OK or ERR_SYNTAX and a sentence
 * naming the field in why, e.g. "MON_SPAWN_REQ: program not NUL-terminated".
 */
err_t mon_msg_check(uint16_t type, const void *msg, size_t len, unsigned ncores,
		    char *why, size_t whylen);

/* Name of a type for logs ("MON_SPAWN_REQ", or "unknown"). */
const char *mon_type_name(uint16_t type);

#endif
