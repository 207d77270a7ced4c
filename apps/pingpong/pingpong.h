/*
 * pingpong.h: the cross-core ping-pong benchmark's roles and messages.
 *
 *   pingpong coord [iters=N] [stream=M] [pairs=all|sample]     core 0
 *   pingpong serve name=S                                        (spawned)
 *   pingpong client name=S pair=K iters=N stream=M samecore=0|1  (spawned)
 * Every role also takes spins=N (polls before a receive sleeps) and
 * stall_ms=MS (how long a wait for the other side may last: wait.h); serve
 * and client take die= and how= (a test's death mid-phase: die.h).
 *
 * The coordinator spawns, for one ordered core pair after the other, a
 * server on the destination and a client on the source through the
 * monitors, like any service; the client binds to the server (a URPC
 * channel the monitors set up), measures, and reports to the coordinator
 * over a second channel it binds to the name "ppcoord".
 */
#ifndef APPS_PINGPONG_H
#define APPS_PINGPONG_H
#include <stdint.h>
#include <if/pingpong.h>     /* the messages: if/pingpong.if */

#define PP_KIPC_END 0xffffffffffffffffull
#define PP_RAW_END  0xfffffffffffffffdull  /* raw block: client's last word (odd) */
/* The raw ring's word in a slot: its last payload word (never the raw word's, the first) */
#define PP_RING_WORD (URPC_SLOT_PAYLOAD - 8)
#define PP_SPINS 20000       /* default polls before a receiver sleeps (spins=) */

extern unsigned pp_spins;

int pp_coord(int argc, char **argv);
int pp_serve(int argc, char **argv);
int pp_client(int argc, char **argv);

/* key=value arguments: the value of `key`, or def. */
uint64_t pp_arg(int argc, char **argv, const char *key, uint64_t def);
const char *pp_arg_str(int argc, char **argv, const char *key, const char *def);

#endif
