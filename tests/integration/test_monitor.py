#!/usr/bin/env python3
"""Monitors: spawn anywhere, name service and binding, zero-copy
memory transfer, a stopped core, a hostile domain; with 4 and 8 cores.

Every scenario is one boot with a manifest from tests/manifests/ and the
apps of apps/ (echo, client, spawner, memxfer, stopper, badmsg); the apps
print what they did and the monitors log what they decided, and the checks
below match both.  The run ends by itself (`all domains finished`, exit 0)
once every app has exited, so a hang shows as a watchdog exit (124).
"""
import os
import re
import sys

from harness import (BUILD, ROOT, boot, check, check_clean_end, check_monitors_never_fail, finish,
                     has, has_event, lines_matching)

APPS = ["monitor", "hello", "spawner", "echo", "client", "memxfer", "stopper", "badmsg",
        "bcastbench", "spin"]
MANIFESTS = os.path.join(ROOT, "tests", "manifests")


def run(smp, manifest, timeout=240):
    mods = [os.path.join(BUILD, "apps", a) for a in APPS]
    path = manifest if os.path.isabs(manifest) else os.path.join(MANIFESTS, manifest)
    return boot(smp=smp, modules=mods + [path], timeout=timeout)


def common(tag, code, out):
    """Checks every scenario shares: clean end, no app complaint, monitors alive."""
    check_clean_end(tag, code, out)
    check_monitors_never_fail(tag, out)


def spawn_test(n):
    tag = "monitor.spawn%d" % n
    code, out = run(n, "spawn.manifest")
    common(tag, code, out)
    for s in (0, 2):
        check("%s.from_core%d_all" % (tag, s),
              has(out, r"^core %d: spawner: spawned on %d of %d cores$" % (s, n, n)), "", out)
        for c in range(n):
            m = lines_matching(out, r"^core %d: spawner: spawned hello on core %d as domain (\d+)$"
                               % (s, c))
            ok = bool(m)
            if ok:
                d = int(m[0].group(1))
                ok = has(out, r"^core %d: hello: hello from core %d \(program hello, domain %d, "
                              r"argc 1\)$" % (c, c, d)) and \
                    has(out, r"^core %d: hello: arg 1: from=%d$" % (c, s)) and \
                    has_event(out, "spawn", core=c, id=d, program="hello", for_core=s)
            check("%s.from_core%d_on_core%d" % (tag, s, c), ok,
                  "no spawn/hello/monitor line for it", out)


def echo_test(n, manifest, sender, sink, pages):
    tag = "monitor.echo%d" % n
    code, out = run(n, manifest)
    common(tag, code, out)
    clients = [c for c in range(n) if c != 3]
    check("%s.registered" % tag, has(out, r"^core 3: echo: registered 'echo'$") and
          has_event(out, "name.register", core=3, name="echo", service_core=3), "", out)
    for c in clients:
        ok = has(out, r"^core %d: client: bound to 'echo' on core 3$" % c) and \
            has(out, r"^core %d: client: echo ok: 50 round trips with core 3$" % c) and \
            has(out, r"^core 3: echo: client \d+: core %d domain \d+ \(1 pages\)$" % c) and \
            has_event(out, "bind", core=3, name="echo", client_core=c, pages=1)
        check("%s.client_core%d" % (tag, c), ok, "bind or echo line missing", out)
    check("%s.served_all" % tag,
          has(out, r"^core 3: echo: served %d clients, %d messages$"
              % (len(clients), 50 * len(clients))), "", out)

    tag = "monitor.memxfer%d" % n
    sent = lines_matching(out, r"^core %d: memxfer: send: frames (\S+) checksum (0x[0-9a-f]+)$"
                          % sender)
    got = lines_matching(out, r"^core %d: memxfer: sink: received (\d+) pages from core (\d+) "
                              r"domain \d+: frames (\S+)$" % sink)
    summed = lines_matching(out, r"^core %d: memxfer: sink: pattern ok, checksum (0x[0-9a-f]+)$"
                            % sink)
    check("%s.sent" % tag, len(sent) == 1 and len(sent[0].group(1).split(",")) == pages,
          "want one send line with %d frames" % pages, out)
    check("%s.received_from_sender" % tag,
          len(got) == 1 and int(got[0].group(1)) == pages and int(got[0].group(2)) == sender,
          "", out)
    check("%s.same_frames_zero_copy" % tag,
          bool(sent and got) and sent[0].group(1) == got[0].group(3),
          "sender %s, sink %s" % (sent and sent[0].group(1), got and got[0].group(3)), out)
    check("%s.contents_verified" % tag,
          bool(sent and summed) and sent[0].group(2) == summed[0].group(1), "", out)
    check("%s.sender_cannot_map_them" % tag,
          has(out, r"^core %d: memxfer: send: after the send every map is refused "
                   r"\(permission denied\)$" % sender), "", out)


# Detection is designed to take about 1.2 s (liveness.c: DEAD_MS + PING_MS +
# a loop period); this bound only catches "never noticed" or "noticed by a
# 5 s request time-out", with a wide margin for a loaded TCG host.
NOTICE_BOUND_MS = 15000


def stop_test(n, manifest="stop.manifest", tag=None):
    tag = tag or "monitor.stop%d" % n
    code, out = run(n, manifest)
    common(tag, code, out)
    check("%s.core2_halted" % tag,
          has_event(out, "core.stop", core=2), "", out)
    m = lines_matching(out, r"^core (\d+): monitor: core 2 stopped responding: no heartbeat for "
                            r"(\d+) ms \(core (\d+) agrees\)$")
    check("%s.noticed_by_heartbeat" % tag, bool(m), "", out)
    # Its two ring neighbours (1 and 3) are the watchers: one suspects, the other agrees.
    check("%s.two_watchers_agree" % tag,
          bool(m) and {int(m[0].group(1)), int(m[0].group(3))} == {1, 3},
          m[0].group(0) if m else "", out)
    for c in range(n):
        if c != 2:
            check("%s.core%d_reports_core2_down" % (tag, c),
                  has_event(out, "core.down", core=c, peer=2), "", out)
    for what, pat in (("spawn", r"spawn on core 2"), ("bind", r"bind to 'victim'")):
        m = lines_matching(out, r"^core 0: stopper: %s failed after (\d+) ms: "
                                r"(peer core or domain is dead|timed out)$" % pat)
        check("%s.pending_%s_failed" % (tag, what), bool(m), "", out)
        if m:
            ms = int(m[0].group(1))
            check("%s.pending_%s_failed_in_bound" % (tag, what), ms < NOTICE_BOUND_MS,
                  "%d ms" % ms, out)
            print("%s: pending %s failed after %d ms (%s)" % (tag, what, ms, m[0].group(2)))
    check("%s.new_spawn_on_core2_fails" % tag,
          has(out, r"^core 0: stopper: spawn on core 2 again: (peer core or domain is dead|"
                   r"timed out)$"), "", out)
    check("%s.spawn_elsewhere_works" % tag,
          has(out, r"^core 0: stopper: spawn on core 1 after the stop: domain \d+$") and
          has(out, r"^core 1: hello: arg 1: after-stop$"), "", out)
    check("%s.bind_elsewhere_works" % tag,
          has(out, r"^core 0: stopper: bind to 'live' on core 3 after the stop: echo ok$"),
          "", out)
    check("%s.scenario_ok" % tag, has(out, r"^core 0: stopper: stop scenario ok$"), "", out)
    return out


def stop_many_test(n, manifest, victims, live, tag):
    """Several neighbouring cores stopped at once (victims: core -> its
    stopper's core): each is declared down by two monitors that agree
    (its first confirmer may be dead too; the next live core probes), every
    other live monitor hears of it, and the rest keeps working (echo 'live'
    on core `live`)."""
    code, out = run(n, manifest)
    common(tag, code, out)
    for v, s in sorted(victims.items()):
        check("%s.core%d_halted" % (tag, v), has_event(out, "core.stop", core=v), "", out)
        m = lines_matching(out, r"^core (\d+): monitor: core %d stopped responding: no heartbeat "
                                r"for \d+ ms \(core (\d+) agrees\)$" % v)
        check("%s.core%d_two_monitors_agree" % (tag, v),
              bool(m) and m[0].group(1) != m[0].group(2) and
              not {int(m[0].group(1)), int(m[0].group(2))} & set(victims),
              m[0].group(0) if m else "never declared down", out)
        missing = [c for c in range(n) if c not in victims and
                   not has_event(out, "core.down", core=c, peer=v)]
        check("%s.every_live_core_reports_core%d_down" % (tag, v), not missing,
              "not reported by cores %s" % missing, out)
        check("%s.stopper%d_scenario_ok" % (tag, s),
              has(out, r"^core %d: stopper: stop scenario ok$" % s) and
              has(out, r"^core %d: stopper: bind to 'live' on core %d after the stop: echo ok$"
                  % (s, live)), "", out)
    false_down = [c for c in range(n) if c not in victims and
                  lines_matching(out, r"^core \d+: monitor: core %d (is down|stopped responding)"
                                 % c)]
    check("%s.no_live_core_declared_down" % tag, not false_down, "%s" % false_down, out)


def stop_zero_test():
    """Core 0 stopped after boot (tests/manifests/stop-zero.manifest): no
    monitor has a central role, so its two watchers (1 and 7) agree, every
    other monitor hears of it, spawns from core 5 reach every live core over
    routes without core 0, a bind and a registration work (the registry is
    replicated), and the lowest live core (1) ends the run."""
    tag = "monitor.stop_zero8"
    code, out = run(8, "stop-zero.manifest")
    common(tag, code, out)
    check("%s.core0_halted" % tag, has_event(out, "core.stop", core=0), "", out)
    m = lines_matching(out, r"^core (\d+): monitor: core 0 stopped responding: no heartbeat for "
                            r"\d+ ms \(core (\d+) agrees\)$")
    check("%s.two_watchers_agree" % tag,
          bool(m) and {int(m[0].group(1)), int(m[0].group(2))} == {1, 7},
          m[0].group(0) if m else "never declared down", out)
    missing = [c for c in range(1, 8) if not has_event(out, "core.down", core=c, peer=0)]
    check("%s.every_live_core_reports_core0_down" % tag, not missing, "%s" % missing, out)
    check("%s.pending_spawn_failed" % tag,
          has(out, r"^core 5: stopper: spawn on core 0 failed after \d+ ms: "
                   r"(peer core or domain is dead|timed out)$"), "", out)
    check("%s.new_spawn_on_core0_fails" % tag,
          has(out, r"^core 5: stopper: spawn on core 0 again: peer core or domain is dead$"),
          "", out)
    for c in (1, 2, 3, 4, 6, 7):
        check("%s.spawn_on_core%d_without_core0" % (tag, c),
              has(out, r"^core 5: stopper: spawn on core %d after the stop: domain \d+$" % c) and
              has(out, r"^core %d: hello: arg 1: after-stop$" % c), "", out)
    check("%s.bind_without_core0" % tag,
          has(out, r"^core 5: stopper: bind to 'live' on core 3 after the stop: echo ok$"), "", out)
    check("%s.register_without_core0" % tag,
          has(out, r"^core 5: stopper: registered 'stopper5' after the stop$"), "", out)
    check("%s.memory_without_core0" % tag,
          has(out, r"^core 5: stopper: memory after the stop: 4 frames allocated and freed$"),
          "", out)
    check("%s.lowest_live_core_ends_the_run" % tag,
          has(out, r"^core 1: all domains finished$"), "", out)
    check("%s.scenario_ok" % tag, has(out, r"^core 5: stopper: stop scenario ok$"), "", out)


def stop_inner_test():
    """Core 1, an inner node of the 8-core broadcast tree (0 -> 1 2 3 4,
    1 -> 5 6 7), stopped: a broadcast from core 0 still reaches the 7 live
    cores (core 0 adopts 5, 6 and 7)."""
    tag = "monitor.stop_inner8"
    code, out = run(8, "stop-inner.manifest")
    common(tag, code, out)
    check("%s.tree_as_expected" % tag, has(out, r"^core 0: bcast: 1 -> 5 6 7$"), "", out)
    check("%s.core1_declared_down" % tag,
          has(out, r"^core \d+: monitor: core 1 stopped responding: no heartbeat for \d+ ms "
                   r"\(core \d+ agrees\)$"), "", out)
    check("%s.bcast_reaches_every_live_core" % tag,
          has(out, r"^core 0: bcastbench: bcast: 8 cores reached 7, \d+ rounds: "), "", out)
    check("%s.scenario_ok" % tag, has(out, r"^core 0: stopper: stop scenario ok$"), "", out)


def badmsg_test(n):
    tag = "monitor.hostile%d" % n
    code, out = run(n, "badmsg.manifest")
    common(tag, code, out)
    results = lines_matching(out, r"^core 1: badmsg: (\S+) (ok|WRONG) \((.*)\)$")
    check("%s.checks_ran" % tag, len(results) >= 40, "%d checks" % len(results), out)
    for m in results:
        name, verdict, detail = m.groups()
        ok = verdict == "ok"
        e = re.match(r"MON_ERROR [^:]+: (.*)$", detail)
        if ok and e:  # a refusal: the monitor logged the same sentence
            ok = has(out, r"^core 1: monitor: refused a message from domain \d+: %s$"
                     % re.escape(e.group(1)))
        elif ok and name not in ("register", "mem-send-mapped-undone", "spawn-breakers",
                                 "monitor-alive", "map-foreign-frames"):
            ok = has(out, r"^core 1: monitor: MON_\w+ for domain \d+ to core \d+ failed: ")
        check("%s.%s" % (tag, name), ok, detail, out)
    check("%s.all_passed" % tag,
          has(out, r"^core 1: badmsg: all %d checks passed$" % len(results)), "", out)
    # The map probe covered the channel the monitors made for badmsg's bind.
    p = lines_matching(out, r"^core 1: badmsg: probe: \d+ frames (0x[0-9a-f]+)-(0x[0-9a-f]+) "
                            r"not ours, every map refused$")
    ch = lines_matching(out, r"^core 1: monitor: bind 'badmsg-echo': channel (0x[0-9a-f]+) ")
    inside = bool(p and ch) and \
        int(p[0].group(1), 16) <= int(ch[0].group(1), 16) <= int(p[0].group(2), 16)
    check("%s.channel_memory_not_mappable" % tag, inside,
          "probe %s, channel %s" % (p and p[0].groups(), ch and ch[0].group(1)), out)
    # The size comes from if/monitor.if; what matters is that a longer message was refused.
    over = lines_matching(out, r"^core 1: monitor: refused a message from domain \d+: "
                               r"MON_SPAWN_REQ: length (\d+) != (\d+)$")
    check("%s.oversize_message_refused" % tag,
          any(int(m.group(1)) > int(m.group(2)) for m in over),
          "refusals: %s" % [m.groups() for m in over], out)
    check("%s.corrupt_channel_dropped" % tag,
          has(out, r"^core 1: monitor: domain \d+ corrupted its channel \(syntax error\); "
                   r"no longer served$"), "", out)
    check("%s.others_still_served" % tag,
          has(out, r"^core 2: client: echo ok: 20 round trips with core 3$"), "", out)


# Busy domains per core and how long they spin (wall-clock): `make monitor-busy`
# sets a minute (BUSY_SECONDS) and runs only this test; make test runs 20 s.
BUSY_MS = int(os.environ.get("MONITOR_BUSY_MS", "20000"))
BUSY_DOMAINS = int(os.environ.get("MONITOR_BUSY_DOMAINS", "20"))


def busy_test():
    """BUSY_DOMAINS compute-bound domains on each of 4 cores for BUSY_MS, an
    echo service used across cores meanwhile: the monitors get the CPU they
    need (cpudriver/sched.c), so no core is declared down and no service fails."""
    tag = "monitor.busy4"
    manifest = os.path.join(BUILD, "busy4-%d-%d.manifest" % (BUSY_DOMAINS, BUSY_MS))
    with open(manifest, "w") as f:
        f.write("monitor all\n")
        f.write("spin all busy for=%d\n" % BUSY_MS * BUSY_DOMAINS)
        f.write("echo 3 echo 3\nclient 0-2 echo 50\n")
    code, out = run(4, manifest, timeout=240 + 3 * BUSY_MS // 1000)
    common(tag, code, out)
    print("%s: %d busy domains per core for %d ms" % (tag, BUSY_DOMAINS, BUSY_MS))
    done = lines_matching(out, r"^core (\d): spin: spin busy: done \(domain \d+\)$")
    check("%s.every_busy_domain_finished" % tag, len(done) == 4 * BUSY_DOMAINS,
          "%d of %d" % (len(done), 4 * BUSY_DOMAINS), out)
    for c in range(3):
        check("%s.client%d_served" % (tag, c),
              has(out, r"^core %d: client: echo ok: 50 round trips with core 3$" % c), "", out)
    down = lines_matching(out, r"^core \d+: monitor: (core \d+ (is down|stopped responding)|"
                               r"declared down.*)")
    check("%s.no_core_declared_down" % tag, not down, "; ".join(m.group(0) for m in down[:3]), out)
    failed = lines_matching(out, r"^core 0: monitor: manifest line \d+: cannot start .*")
    check("%s.every_service_started" % tag, not failed,
          "; ".join(m.group(0) for m in failed[:3]), out)
    raised = len(lines_matching(out, r"^core \d+: monitor: core \d+ silent for "))
    withdrawn = len(lines_matching(out, r"^core \d+: monitor: suspicion of core \d+ withdrawn"))
    print("%s: suspicions raised %d, withdrawn %d" % (tag, raised, withdrawn))
    check("%s.suspicions_all_withdrawn" % tag, raised == withdrawn, "%d raised, %d withdrawn"
          % (raised, withdrawn), out)


busy_test()
if sys.argv[1:] == ["busy"]:
    finish()
for n in (4, 8):
    spawn_test(n)
echo_test(4, "echo4.manifest", sender=1, sink=2, pages=4)
echo_test(8, "echo8.manifest", sender=6, sink=1, pages=8)
for n in (4, 8):
    stop_test(n)
stop_many_test(8, "stop-two.manifest", {2: 0, 3: 4}, 5, "monitor.stop_two8")
stop_many_test(8, "stop-three.manifest", {2: 0, 3: 5, 4: 7}, 6, "monitor.stop_three8")
stop_zero_test()
stop_inner_test()
# A long broadcast run while core 2 stops: it ends with ERR_DEAD, not a hang.
out = stop_test(4, "stop-bcast.manifest", "monitor.stop_bcast4")
check("monitor.stop_bcast4.bcast_run_failed",
      has(out, r"^core 0: bcastbench: bcast failed: peer core or domain is dead \(MON_BCAST: "
               r"core 2 went down during the run\)$"), "", out)
for n in (4, 8):
    badmsg_test(n)
finish()
