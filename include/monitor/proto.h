/*
 * monitor/proto.h: the messages of the monitor protocol.
 *
 * They are declared once, in if/monitor.if; tools/idl/idlc.py generates
 * the types, the structs, the gate mon_msg_check() and the typed send
 * functions into build/gen/if/monitor.{h,c}.  Read if/monitor.if for the
 * protocol, its fields and their bounds.
 */
#ifndef MONITOR_PROTO_H
#define MONITOR_PROTO_H
#include <if/monitor.h>

/* One entry of a MON_QUERY_REPLY (its `e` bytes hold MON_QUERY_ENTRIES). */
struct mon_qentry {
	uint32_t v[6];
	char name[PROGRAM_NAME_MAX];
};
_Static_assert(sizeof(struct mon_qentry) == MON_QUERY_ENTRY_SIZE, "query entry size");
_Static_assert(sizeof(((struct mon_query_reply *)0)->e) ==
	       MON_QUERY_ENTRIES * sizeof(struct mon_qentry), "query reply holds its entries");

/* The entries of a query reply. */
static inline struct mon_qentry *mon_qentries(struct mon_query_reply *r)
{
	return (struct mon_qentry *)(void *)r->e;
}
#endif
