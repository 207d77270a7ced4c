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
#endif
