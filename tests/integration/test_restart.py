#!/usr/bin/env python3
"""A stopped core restarted (monitor/restart.c, kernel/smp.h smp_restart).

Three boots, each driven by apps/restarter (see its header for what it does
and prints):
  restart4: 4 cores, core 3 does not come up at boot (deaf_core=3); core 2
            is stopped and restarted twice; its manifest service marked
            `restart` comes back each time and the client binds again by
            name; the old channel gives ERR_DEAD, and so does a receive
            blocked on it when the core stops; refusals: a running core,
            no stop right, core 0; core 3 joins by a restart request.
  restart8: 8 cores; core 5 is stopped first and stays down while core 2 is
            stopped and restarted twice; then core 5 is restarted too.
  restart.many: 4 cores, core 2 restarted nine times with six restart
            pools: old pools released and reused, a late mapper (below).
  restart.zero: 4 cores, core 0 (the boot processor) stopped and restarted
            twice through the BIOS warm-reset vector; its `restart` echo
            comes back each time and the client binds again; refusals: no
            stop right, core 0's own restart asked on core 0.
  restart.zero_soak: 4 cores, a soak's coordinator stops core 0 in the
            middle of its traffic; the restarter restarts it, binds again;
            the soak's survivors lose nothing.
  pool.unasked, pool.half: 4 cores, the monitor coordinating the release of
            a restarted core's old pool dies before asking anyone, or after
            asking half; another monitor adopts the pool and releases it
            once the late mapper dropped its channel.
  restart.timeout: 4 cores booted with deaf_restart=2: core 2's first
            restart times out after the kernel ended its first life; asked
            again, it succeeds; both old pools are released.
  restart.monmem: 4 cores, a domain on core 2 holds 4 frames of the
            monitors' memory (core 3's) when core 2 stops; they go back to
            their owner when the old pool is released.
Every scenario: no restart runs in a pool an earlier life ran in unless
that pool was released first, and every old pool but the last is released.
The runs end by themselves once every domain has exited (exit 0).
RESTART_ONLY=many runs only restart.many (four, eight, zero, zero_soak, pool, monmem, timeout the others) (`make test-restart-many`, for
loops: `for i in $(seq 10); do make test-restart-many || break; done`);
RESTART_LOG=dir keeps each boot's serial output in dir/<manifest>.log.
"""
import os
import re

from harness import (BUILD, ROOT, boot, check, check_clean_end, check_no_panic, events, finish,
                     has, lines_matching)

APPS = ["monitor", "echo", "restarter", "hello", "soak", "memxfer"]
MANIFESTS = os.path.join(ROOT, "tests", "manifests")


def run(smp, manifest, cmdline=""):
    mods = [os.path.join(BUILD, "apps", a) for a in APPS]
    code, out = boot(smp=smp, modules=mods + [os.path.join(MANIFESTS, manifest)], timeout=600,
                     cmdline=cmdline)
    if os.environ.get("RESTART_LOG"):  # a directory: each boot's serial output kept there
        with open(os.path.join(os.environ["RESTART_LOG"], manifest + ".log"), "w") as f:
            f.write(out)
    return code, out


def common(tag, code, out):
    check_clean_end(tag, code, out)
    check_no_panic(tag, out)
    false_down = lines_matching(out, r"^core \d+: monitor: declared down by core \d+ while alive")
    check("%s.no_live_core_declared_down" % tag, not false_down, "", out)


RESTART_LINE = re.compile(r"^core \d+: restarting core (\d+): fresh CPU driver, pool "
                          r"(0x[0-9a-f]+)-")
BOOT_LINE = re.compile(r"^core (\d+): up apic=\d+ .* pool=(0x[0-9a-f]+)-")


def pool_history(out, core):
    """In output order: ("pool", generation, base) when incarnation
    `generation` of core starts in the pool at base (0: its boot pool), and
    ("released", generation, line) when that incarnation's pool is released."""
    hist, gen = [], 0
    for line in out.splitlines():
        m = BOOT_LINE.match(line)
        if m and int(m.group(1)) == core and gen == 0 and not hist:
            hist.append(("pool", 0, m.group(2)))
            continue
        m = RESTART_LINE.match(line)
        if m and int(m.group(1)) == core:
            gen += 1
            hist.append(("pool", gen, m.group(2)))
            continue
        ev = events(line, "mem.pool_released", peer=core)
        if ev:
            hist.append(("released", int(ev[0]["generation"]), ev[0].get("err")))
    return hist


def pool_reuse(tag, out, core, nrounds, kept=()):
    """No restart of core runs in a pool that an earlier incarnation ran in
    unless that one's pool was released first (every live monitor confirmed
    it maps nothing there); each incarnation's pool but the last and the
    kept ones is released."""
    base_of, in_use, wrong, released = {}, set(), [], []
    for kind, gen, what in pool_history(out, core):
        if kind == "pool":
            if what in in_use:
                wrong.append("incarnation %d in %s, not released" % (gen, what))
            base_of[gen] = what
            in_use.add(what)
        elif what == "0" and gen in base_of:
            released.append(gen)
            in_use.discard(base_of[gen])
    check("%s.no_pool_used_twice_unreleased" % tag, not wrong, "; ".join(wrong), out)
    want = [g for g in range(nrounds - 1) if g not in kept]
    check("%s.old_pools_released" % tag, all(g in released for g in want),
          "released %s, want %s" % (released, want), out)
    early = [g for g in kept if g in released and not kept_dropped_before(out, core, g)]
    check("%s.kept_pool_not_released_while_mapped" % tag, not early, str(early), out)
    reused = sum(1 for g in range(1, nrounds + 1) if g in base_of and
                 base_of[g] in [base_of[j] for j in range(g) if j in base_of])
    print("%s: %d of %d restarts in a released pool; pools released: %s" %
          (tag, reused, nrounds, released))
    return reused


def kept_dropped_before(out, core, gen):
    """Whether the restarter's kept channel was dropped before the release of gen."""
    dropped = False
    for line in out.splitlines():
        if re.search(r"restarter: kept channel unchanged after \d+ restarts", line):
            dropped = True
        ev = events(line, "mem.pool_released", peer=core, generation=gen)
        if ev:
            return dropped
    return True


def rounds(tag, out, core, live, client=1, nrounds=2, kept=()):
    """The restarter's rounds on `core`, seen by the app, the kernels and the monitors."""
    check("%s.refused_while_up" % tag,
          has(out, r"^core %d: restarter: refused while up: resource busy: core %d is not down"
                   % (client, core)), "", out)
    pools = lines_matching(out, r"^core \d+: restarting core %d: fresh CPU driver, pool "
                                r"(0x[0-9a-f]+)-" % core)
    check("%s.kernel_restarted_%d_times" % (tag, nrounds), len(pools) == nrounds,
          "%d restarts" % len(pools), out)
    reused = pool_reuse(tag, out, core, nrounds, kept)
    rejoin = events(out, "core.rejoin", core=core)
    check("%s.monitor_rejoined_each_time" % tag,
          [e.get("generation") for e in rejoin] == [str(g) for g in range(1, nrounds + 1)],
          str(rejoin), out)
    check("%s.service_respawned_each_time" % tag,
          all(e.get("respawned") == "1" for e in rejoin), str(rejoin), out)
    for c in live:
        back = events(out, "core.back", core=c, peer=core)
        check("%s.core%d_takes_core%d_up_again" % (tag, c, core), len(back) == nrounds,
              "%d core.back events" % len(back), out)
        down = events(out, "core.down", core=c, peer=core)
        check("%s.core%d_saw_core%d_down_each_time" % (tag, c, core), len(down) == nrounds,
              "%d core.down events" % len(down), out)
    xfer = lines_matching(out, r"^core \d+: monitor: state transfer to core %d: (\d+) of \1 "
                               r"names sent$" % core)
    check("%s.registry_sent_to_the_rejoining_monitor" % tag, len(xfer) == nrounds,
          "%d state transfers" % len(xfer), out)
    regs = lines_matching(out, r"^core %d: echo: registered 'svc'$" % core)
    check("%s.service_registered_again" % tag, len(regs) == nrounds + 1,
          "%d registrations" % len(regs), out)
    for r in range(1, nrounds + 1):
        check("%s.round%d_blocked_receive_dead" % (tag, r),
              has(out, r"^core %d: restarter: round %d: blocked receive: peer core or domain "
                       r"is dead after \d+ ms$" % (client, r)), "", out)
        check("%s.round%d_old_channel_dead" % (tag, r),
              has(out, r"^core %d: restarter: round %d: old channel: peer dead "
                       r"\(peer core or domain is dead\)$" % (client, r)), "", out)
        m = lines_matching(out, r"^core %d: restarter: round %d: services answer (\d+) us after "
                                r"the restart request$" % (client, r))
        check("%s.round%d_client_rebound" % (tag, r), bool(m), "", out)
        if m:
            print("%s: round %d: services answer %.1f ms after the restart request"
                  % (tag, r, int(m[0].group(1)) / 1000.0))
    check("%s.last_instance_served" % tag,
          has(out, r"^core %d: echo: served 1 clients, \d+ messages$" % core), "", out)
    check("%s.scenario_ok" % tag,
          has(out, r"^core %d: restarter: restart scenario ok$" % client), "", out)
    return reused


ONLY = os.environ.get("RESTART_ONLY", "")

# 4 cores, core 3 never up.

def four():
    tag = "restart.four"
    code, out = run(4, "restart4.manifest", "deaf_core=3")
    common(tag, code, out)
    rounds(tag, out, 2, live=(0, 1))
    for what, pattern in (
            ("no_stop_right", r"permission denied: MON_RESTART_CORE_REQ needs the right stop"),
            ("own_core", r"resource busy: core 0 is this monitor's own core, which runs")):
        check("%s.refused_%s" % (tag, what),
              has(out, r"^core 0: restarter: restart of core \d refused: %s" % pattern), "", out)
    check("%s.refusals_ok" % tag,
          len(lines_matching(out, r"^core 0: restarter: refusal ok$")) == 2, "", out)
    # Core 3 was left out at boot (it never answered the start-up IPI): a
    # restart request brings it in as incarnation 1, and every monitor
    # takes it up.
    check("%s.late_core_left_out_at_boot" % tag,
          has(out, r"^core 0: core 3 \(apic 3\): did not answer INIT-SIPI-SIPI within \d+ ms; "
                   r"parked and left out$"), "", out)
    m = lines_matching(out, r"^core 0: restarter: late core 3 joined: restart accepted after "
                            r"(\d+) ms, its monitor answers after (\d+) ms$")
    check("%s.late_core_joined" % tag, bool(m), "", out)
    check("%s.late_core_monitor_rejoined" % tag,
          [e.get("generation") for e in events(out, "core.rejoin", core=3)] == ["1"], "", out)
    for c in (0, 1):
        check("%s.core%d_takes_late_core3_up" % (tag, c),
              len(events(out, "core.back", core=c, peer=3)) == 1, "", out)
    if m:
        print("%s: core 3 joined %s ms after its restart request was accepted"
              % (tag, m[0].group(2)))


# 8 cores, core 5 stays stopped while core 2 is restarted twice.
def eight():
    tag = "restart.eight"
    code, out = run(8, "restart8.manifest")
    common(tag, code, out)
    check("%s.core5_stopped_first" % tag,
          has(out, r"^core 1: restarter: core 5 stopped and down$"), "", out)
    rounds(tag, out, 2, live=(0, 1, 3, 4, 6, 7))
    check("%s.core5_restarted_last" % tag,
          has(out, r"^core 1: restarter: core 5 restarted too$"), "", out)
    check("%s.core5_service_runs_again" % tag,
          [e.get("respawned") for e in events(out, "core.rejoin", core=5)] == ["1"] and
          has(out, r"^core 5: monitor: manifest line \d+: 'hello' runs again as domain \d+$"),
          "", out)
    check("%s.hello_ran_through" % tag,
          has(out, r"^core 4: hello: arg 1: stay=1000$") or
          bool(events(out, "domain.exit", core=4, program="hello")), "", out)

# 4 cores, core 2 restarted nine times with 6 restart pools and no pool to be
# had from the monitors' memory (monmem=1024: 1 MiB a share, less than a
# pool): without reuse the seventh restart fails (ERR_NOMEM).  Each old pool
# is released once every live monitor confirmed it maps nothing there
# (monitor/poolreuse.c), and later restarts run in released pools.  The
# restarter keeps the first life's channel mapped until the end (a late
# mapper): that pool is never released meanwhile, and the channel's bytes
# do not change (nothing reused it).
# Under load the second watcher's declaration of core 2 often reaches core 1
# after core 1 restarted core 2 and took it up: it names the incarnation it
# meant, older than core 1's, and is ignored (without incarnations core 1
# took the new core 2 down for good and voted busy on its registrations).
MANY_ROUNDS = 9
RESTART_POOLS = 6


def many():
    tag = "restart.many"
    code, out = run(4, "restart-many.manifest", "monmem=1024")
    common(tag, code, out)
    reused = rounds(tag, out, 2, live=(0, 1, 3), nrounds=MANY_ROUNDS, kept=(0,))
    from_mem = lines_matching(out, r"^core 1: restarting core 2: fresh CPU driver, pool .* from "
                                   r"the monitors' memory\)$")
    check("%s.no_pool_from_the_monitors_memory" % tag, not from_mem,
          "%d pools from the monitors' memory" % len(from_mem), out)
    check("%s.restarts_beyond_the_pools_reuse_them" % tag,
          reused >= MANY_ROUNDS - RESTART_POOLS, "%d reused" % reused, out)
    mapped = events(out, "mem.pool_mapped", core=1, peer=2, generation=0)
    check("%s.late_mapper_seen" % tag, bool(mapped), "", out)
    check("%s.kept_channel_unchanged" % tag,
          has(out, r"^core 1: restarter: kept channel unchanged after %d restarts" % MANY_ROUNDS),
          "", out)
    times = [int(e["ms"]) for e in events(out, "mem.pool_released", core=1, peer=2)
             if e.get("generation") != "0"]
    if times:
        print("%s: old pools released %d-%d ms after the restart (median %d)"
              % (tag, min(times), max(times), sorted(times)[len(times) // 2]))
    stale = events(out, "liveness.stale", peer=2)
    check("%s.stale_declarations_name_an_older_incarnation" % tag,
          all(int(e["generation"]) < int(e["known"]) for e in stale), str(stale), out)
    print("%s: %d stale declarations of core 2 ignored" % (tag, len(stale)))


# 4 cores: core 0, the boot processor, restarted twice.  An INIT sends the
# BSP into the firmware, not to wait-for-SIPI; the kernel sets the BIOS
# warm-reset vector (CMOS shutdown status 0x0A, 40:67 = the trampoline), so
# SeaBIOS jumps to the trampoline (kernel/smp.h start_one).  Before that
# change a restart request for core 0 was refused (ERR_RANGE), and a
# restart without the vector reset the whole machine (SeaBIOS's
# handle_resume32: tryReboot).  Core 0's boot pool is retired at its first
# restart and released by the monitors' agreement like an AP's (the trace
# control frame, which every core maps, comes from free RAM, not from it);
# before, it was never retired (incarnation 0's pool was "kept" here).
def zero():
    tag = "restart.zero"
    code, out = run(4, "restart0.manifest")
    common(tag, code, out)
    rounds(tag, out, 0, live=(1, 2, 3), nrounds=2)
    check("%s.bsp_came_back_through_the_bios" % tag,
          len(lines_matching(out, r"^core 0: up apic=0 ")) == 3, "", out)
    for core, what, pattern in (
            (2, "no_stop_right", r"permission denied: MON_RESTART_CORE_REQ needs the right stop"),
            (0, "own_core", r"resource busy: core 0 is this monitor's own core, which runs")):
        check("%s.refused_%s" % (tag, what),
              has(out, r"^core %d: restarter: restart of core 0 refused: %s" % (core, pattern)),
              "", out)
        check("%s.refusal_%s_ok" % (tag, what),
              has(out, r"^core %d: restarter: refusal ok$" % core), "", out)


# 4 cores: a soak stops core 0 in the middle of its traffic; core 0 is
# restarted, its service answers again, and the survivors lose nothing.
def zero_soak():
    tag = "restart.zero_soak"
    code, out = run(4, "restart0-soak.manifest")
    common(tag, code, out)
    check("%s.soak_stopped_core0" % tag,
          has(out, r"^core 2: soak: injected: stop core 0 at \d+ ms: stopped$"), "", out)
    check("%s.restart_accepted" % tag,
          has(out, r"^core 1: restarter: round 1: restart accepted \d+ ms after the stop"), "", out)
    check("%s.core0_rejoined" % tag,
          [e.get("respawned") for e in events(out, "core.rejoin", core=0)] == ["1"], "", out)
    m = lines_matching(out, r"^core 1: restarter: round 1: services answer (\d+) us after the "
                            r"restart request$")
    check("%s.client_rebound" % tag, bool(m), "", out)
    check("%s.scenario_ok" % tag, has(out, r"^core 1: restarter: restart scenario ok$"), "", out)
    t = lines_matching(out, r"^core 2: soak: totals: sent=(\d+) received=(\d+) lost=(\d+) "
                            r"corrupted=(\d+) ")
    check("%s.soak_lost_0" % tag,
          bool(t) and t[0].group(1) == t[0].group(2) and t[0].group(3) == t[0].group(4) == "0",
          t[0].group(0) if t else "no totals", out)
    check("%s.soak_pass" % tag, has(out, r"^core 2: soak: result: PASS$"), "", out)
    if m:
        print("%s: services answer %.1f ms after the restart request"
              % (tag, int(m[0].group(1)) / 1000.0))


# 4 cores: the coordinator of a pool release (core 1, which restarted core
# 2) stops in the middle of the agreement (MON_RESTART_HOOK_*), while core
# 0 still maps the old pool (its restarter keeps the old channel 8 s).
# Nothing is left half done: a monitor that held core 1's question drops it
# (half: core 0 had been asked), another monitor adopts the pool
# (SYS_POOL_ADOPT) and asks everyone again, and the pool is released once
# core 0 dropped the channel, not before.  Core 2's respawned echo registers
# its name while core 1 may be stopped and not yet declared down: its round
# waits for liveness instead of timing out (monitor/namerepl.c, C4), and
# core 0 binds to it.  Before adoption existed the pool
# stayed retired for good ("its pool of incarnation 0 stays retired").
def pool_coordinator_dies(name, hook):
    tag = "pool.%s" % name
    code, out = run(4, "pool-%s.manifest" % name)
    common(tag, code, out)
    check("%s.coordinator_stopped_mid_agreement" % tag,
          [e.get("hook") for e in events(out, "mem.pool_hook", core=1, peer=2)] == [str(hook)],
          "", out)
    adopt = [e for c in (0, 2, 3) for e in events(out, "mem.pool_adopt", core=c, peer=2,
                                                  generation=0)]
    check("%s.adopted_once" % tag, len(adopt) == 1, str(adopt), out)
    rel = [(c, e) for c in range(4) for e in events(out, "mem.pool_released", peer=2,
                                                    generation=0, core=c)]
    check("%s.released_once_by_the_adopter" % tag,
          len(rel) == 1 and rel[0][0] != 1 and rel[0][1].get("err") == "0", str(rel), out)
    lines = out.splitlines()
    drop = [i for i, l in enumerate(lines)
            if re.match(r"^core 0: restarter: round 1: held the old channel \d+ ms", l)]
    released = [i for i, l in enumerate(lines) if "mem.pool_released peer=2 generation=0" in l]
    check("%s.released_after_the_mapper_dropped" % tag,
          bool(drop) and bool(released) and released[0] > drop[0], "", out)
    aborted = events(out, "mem.pool_abort", core=0, peer=2, generation=0)
    if hook == 2:
        check("%s.asked_party_dropped_the_dead_coordinators_question" % tag,
              len(aborted) == 1 and aborted[0].get("asker") == "1", str(aborted), out)
    else:
        check("%s.nobody_had_been_asked" % tag, not aborted, str(aborted), out)
    check("%s.client_rebound" % tag,
          has(out, r"^core 0: restarter: restart scenario ok$"), "", out)
    check("%s.restarted_core_rejoined" % tag,
          [e.get("respawned") for e in events(out, "core.rejoin", core=2)] == ["1"], "", out)


# 4 cores: a restart that times out.  The kernel retires the ended life's
# pool before it sends INIT-SIPI-SIPI; when the start then times out
# (deaf_restart: no start-up IPI), the restarting monitor starts that pool's
# release itself (restart.c failed_after_retire), since only a successful
# restart did.  The release waits until the monitors' old links to core 2
# move (its next, successful restart); the pool built for the failed start
# is retired by that restart and released too.  Before, the first life's
# pool stayed retired for good.
def restart_timeout():
    tag = "restart.timeout"
    code, out = run(4, "restart-timeout.manifest", "deaf_restart=2")
    common(tag, code, out)
    check("%s.first_restart_timed_out" % tag,
          has(out, r"^core 1: restarter: round 1: restart timed out: core 2: it did not answer "
                   r"INIT-SIPI-SIPI; asking again$"), "", out)
    check("%s.scenario_ok" % tag, has(out, r"^core 1: restarter: restart scenario ok$"), "", out)
    for gen in (0, 1):
        rel = [e for c in range(4) for e in events(out, "mem.pool_released", core=c, peer=2,
                                                    generation=gen)]
        check("%s.pool_of_incarnation_%d_released_once" % (tag, gen),
              len(rel) == 1 and rel[0].get("err") == "0", str(rel), out)
    check("%s.rejoined" % tag,
          [e.get("generation") for e in events(out, "core.rejoin", core=2)] == ["2"], "", out)


# 4 cores: frames of the monitors' memory held by a stopped core's domains
# come back.  memxfer's sink on core 2 holds 4 frames that core 3's sender
# took from core 3's share; core 2 is stopped (the stop IPI: a known point)
# and restarted; when its old pool is released, the releasing monitor reads
# the ended life's domains' frames (SYS_POOL_MONMEM, from that life's domain
# tables in the retired pool) and gives them back to their owners.  Before,
# they stayed marked used in core 3's free map for good (no reclaim event).
def monmem():
    tag = "restart.monmem"
    code, out = run(4, "restart-monmem.manifest")
    common(tag, code, out)
    check("%s.sink_held_4_frames" % tag,
          has(out, r"^core 2: memxfer: sink: holding 4 pages until this core stops$"), "", out)
    check("%s.scenario_ok" % tag, has(out, r"^core 1: restarter: restart scenario ok$"), "", out)
    rec = [e for c in range(4) for e in events(out, "mem.monmem_reclaimed", core=c, peer=2)]
    check("%s.frames_given_back_once" % tag,
          len(rec) == 1 and rec[0].get("generation") == "0" and rec[0].get("frames") == "4",
          str(rec), out)
    rel = events(out, "mem.pool_released", peer=2, generation=0)
    check("%s.with_the_pool" % tag, len(rel) == 1 and rel[0].get("err") == "0", str(rel), out)


if ONLY in ("", "four"):
    four()
if ONLY in ("", "eight"):
    eight()
if ONLY in ("", "many"):
    many()
if ONLY in ("", "zero"):
    zero()
if ONLY in ("", "zero_soak"):
    zero_soak()
if ONLY in ("", "monmem"):
    monmem()
if ONLY in ("", "timeout"):
    restart_timeout()
if ONLY in ("", "pool"):
    pool_coordinator_dies("unasked", 1)
    pool_coordinator_dies("half", 2)
finish()
