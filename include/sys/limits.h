/*
 * sys/limits.h: the system-wide limits, each named once.
 *
 * A limit that more than one layer must agree on (the CPU driver, the
 * topology model, the manifest parser, the monitors, libos) lives here and
 * nowhere else; a subsystem's own limits stay in its own header, and a
 * limit derived from one of these is written in terms of it.  The static
 * assertions at the end tie the related ones together, so changing one
 * number either keeps the system consistent or stops the build.
 *
 * Pure definitions: no code, includable by every folder and on the host.
 */
#ifndef SYS_LIMITS_H
#define SYS_LIMITS_H

/*
 * Cores in one system.  Core ids run 0..CORES_MAX-1; core sets are bitmaps
 * of CORES_MAX bits.  xAPIC ids are 8 bits and 0xff is the broadcast id, so
 * real hardware (and QEMU's TCG without x2APIC) stops at 255 cores.
 */
#define CORES_MAX        256

/* Timer interrupts per second on every core; the unit of SYS_WAIT timeouts. */
#define TICK_HZ          100

/* Bytes in the largest message on any monitor channel (header included). */
#define MON_MSG_MAX      672

/* Bytes in a program or service name, NUL included. */
#define PROGRAM_NAME_MAX 32

/* Arguments of one program (manifest line, spawn request, start info). */
#define PROGRAM_ARGC_MAX 16

/* Bytes of a spawn's arguments: argc NUL-terminated strings. */
#define PROGRAM_ARGS_MAX 256

/* Links a CPU driver hands its monitor: one each way per other core. */
#define MONITOR_MAX_LINKS (2 * CORES_MAX)

/*
 * A monitor's request to another core fails with ERR_TIMEOUT when no answer
 * came in MON_PENDING_MS + MON_PENDING_MS_PER_CORE per core (255 vCPUs on
 * two host CPUs answer slowly).  A domain's call to its monitor gives up
 * after MON_CALL_MS(ncores): twice that plus MON_CALL_MARGIN_MS, so the
 * monitor's own time-out answer comes first and only a monitor that never
 * answers at all (stopped, wedged) leaves the caller with its own.
 */
#define MON_PENDING_MS          5000
#define MON_PENDING_MS_PER_CORE 100
#define MON_CALL_MARGIN_MS      5000
#define MON_CALL_MS(ncores) \
	(2 * (MON_PENDING_MS + MON_PENDING_MS_PER_CORE * (uint64_t)(ncores)) + MON_CALL_MARGIN_MS)

/*
 * Liveness (monitor/liveness.c): every monitor pings its ring neighbours
 * every MON_PING_MS(ncores) and a neighbour silent MON_DEAD_MS(ncores) is
 * suspected.  A core that stopped is declared down within a few of these:
 * one dead_ms of silence, and when its confirmer stopped too, 2 dead_ms
 * more before the next core is asked and a dead_ms of that core's probe.
 */
#define MON_PING_MS(ncores) (100 + 10 * (uint64_t)(ncores))
#define MON_DEAD_PINGS      10
#define MON_DEAD_MS(ncores) (MON_DEAD_PINGS * MON_PING_MS(ncores))

/*
 * A name registration (monitor/namerepl.c) whose round still waits for a
 * party whose kernel stopped, but which liveness has not declared down yet,
 * is not timed out at its round's deadline: it waits for liveness until
 * MON_NAME_LIVENESS_DEADS dead_ms past that (two neighbouring cores
 * stopped at once take four), then completes among the live cores or
 * aborts.  The domain's mon_register() waits that much longer than
 * MON_CALL_MS, so the monitor's answer still comes first.
 */
#define MON_NAME_LIVENESS_DEADS 5
#define MON_REGISTER_MS(ncores) \
	(MON_CALL_MS(ncores) + MON_NAME_LIVENESS_DEADS * MON_DEAD_MS(ncores))

#ifndef __ASSEMBLER__
_Static_assert(CORES_MAX >= 1 && CORES_MAX <= 256 && CORES_MAX % 64 == 0,
	       "core sets are 64-bit words; xAPIC ids are 8 bits");
_Static_assert(TICK_HZ >= 10 && TICK_HZ <= 1000 && 1000 % TICK_HZ == 0,
	       "a tick must be a whole number of milliseconds");
_Static_assert(MON_MSG_MAX % 8 == 0 && MON_MSG_MAX <= 0xffff,
	       "monitor messages are 8-byte aligned and fit URPC's 16-bit length");
_Static_assert(PROGRAM_ARGS_MAX >= PROGRAM_ARGC_MAX * 2,
	       "every argument needs at least one character and its NUL");
_Static_assert(PROGRAM_NAME_MAX >= 8, "program names must hold 'monitor'");
#endif

#endif
