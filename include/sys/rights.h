/*
 * sys/rights.h: what a domain may do beyond the calls every domain has.
 * Shared by the kernel, the monitors and libos.
 *
 * A CPU driver keeps each domain's rights (a mask of DOMAIN_RIGHT_*);
 * a new domain has none.  Only the core's monitor sets them, with the
 * privileged SYS_DOMAIN_RIGHTS(id, mask) (sys/monitor.h), when it starts a
 * domain whose manifest line or spawn request carries rights=NAME,NAME.
 * The monitors themselves are privileged and need no rights.
 */
#ifndef SYS_RIGHTS_H
#define SYS_RIGHTS_H

#define DOMAIN_RIGHT_CONSOLE 0x1u  /* SYS_CONSOLE_READ: the console's input */
#define DOMAIN_RIGHT_TRACE   0x2u  /* SYS_TRACE: start, stop, dump tracing */
#define DOMAIN_RIGHT_ALL     0x3u

#endif
