/*
 * sys/rights.h: what a domain may do beyond the calls every domain has.
 * Shared by the kernel, the monitors and libos.
 *
 * A CPU driver keeps each domain's rights (a mask of DOMAIN_RIGHT_*);
 * a new domain has none.  Only the core's monitor sets them, with the
 * privileged SYS_DOMAIN_RIGHTS(id, mask) (sys/monitor.h), when it starts a
 * domain whose manifest line or spawn request carries rights=NAME,NAME.
 * The monitors themselves are privileged and need no rights.
 *
 * The monitors check the rights of every request a domain sends them
 * (monitor/rights.c); the kernel checks the ones its calls need.  A child
 * gets only rights its parent holds and asked for; a manifest line grants
 * what it lists (names below, in manifests `rights=stop,spawn`).
 */
#ifndef SYS_RIGHTS_H
#define SYS_RIGHTS_H

#define DOMAIN_RIGHT_CONSOLE 0x1u  /* SYS_CONSOLE_READ: the console's input */
#define DOMAIN_RIGHT_TRACE   0x2u  /* SYS_TRACE: start, stop, dump tracing */
#define DOMAIN_RIGHT_STOP    0x4u  /* monitors: stop (and restart) cores */
#define DOMAIN_RIGHT_SPAWN   0x8u  /* monitors: spawn on a core other than its own */
#define DOMAIN_RIGHT_BCAST   0x10u /* monitors: run the broadcast benchmark */
#define DOMAIN_RIGHT_KIPC    0x20u /* kernel: kernel IPC calls */
#define DOMAIN_RIGHT_NOTIFY  0x40u /* kernel: notify a core outside its channels */
#define DOMAIN_RIGHT_DEVMEM  0x80u /* kernel: map device memory */
#define DOMAIN_RIGHT_KILL    0x100u /* monitors: end a domain on any core (MON_QUERY_REQ kill) */
#define DOMAIN_RIGHT_ALL     0x1ffu

/* Manifest and log names, in bit order (bit i is DOMAIN_RIGHT_NAMES[i]). */
#define DOMAIN_RIGHT_NAMES { "console", "trace", "stop", "spawn", "bcast", "kipc", \
			     "notify", "devmem", "kill" }
#define DOMAIN_RIGHT_COUNT 9

#endif
