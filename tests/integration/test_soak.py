#!/usr/bin/env python3
"""Soak and fault injection, short versions (the long one is `make soak`)."""
import os

from harness import BUILD, boot, check, events, finish, has_event, lines_matching

APPS = os.path.join(BUILD, "apps")


def run(tag, smp, args, extra_modules=(), coord_core=0):
    manifest = os.path.join(BUILD, "soak-%s.manifest" % tag)
    with open(manifest, "w") as f:
        f.write("monitor all\nsoak %d rights=spawn,stop coord %s\n" % (coord_core, args))
    mods = [os.path.join(APPS, m) for m in ("monitor", "soak") + tuple(extra_modules)]
    return boot(smp=smp, modules=mods + [manifest], timeout=600)


def check_totals(tag, code, out, nodes, coord_core=0):
    check("soak.%s.exit_status_0" % tag, code == 0, "exit code %s" % code, out)
    t = lines_matching(out, (r"^core %d: soak: totals: sent=(\d+) received=(\d+) lost=(\d+) "
                             r"corrupted=(\d+) abandoned=(\d+) nodes=(\d+)/(\d+)") % coord_core)
    check("soak.%s.totals_line" % tag, len(t) == 1, "", out)
    if not t:
        return None
    sent, received, lost, corrupted = (int(t[0].group(i)) for i in range(1, 5))
    check("soak.%s.every_node_reported" % tag,
          t[0].group(6) == t[0].group(7) == str(nodes), t[0].group(0), out)
    check("soak.%s.lost_0" % tag, lost == 0, t[0].group(0), out)
    check("soak.%s.corrupted_0" % tag, corrupted == 0, t[0].group(0), out)
    check("soak.%s.sent_equals_received" % tag, sent == received and sent > 0, t[0].group(0), out)
    check("soak.%s.result_pass" % tag, "core %d: soak: result: PASS" % coord_core in out, "", out)
    return t[0]


def liveness(tag, out, live_cores, coord_core=0):
    """The monitors' liveness counts of the soak's report (MON_Q_LIVENESS): every
    live monitor answered, no live core was declared down."""
    lv = lines_matching(out, (r"^core %d: soak: liveness: raised=(\d+) withdrawn=(\d+) "
                              r"refuted=(\d+) declared=(\d+) false_down=(\d+) "
                              r"escalated=(\d+) cores=(\d+)$") % coord_core)
    check("soak.%s.liveness_line" % tag, len(lv) == 1, "", out)
    if not lv:
        return None
    v = [int(x) for x in lv[0].groups()]
    check("soak.%s.liveness_every_live_monitor" % tag, v[6] == live_cores, lv[0].group(0), out)
    check("soak.%s.no_false_down" % tag, v[4] == 0, lv[0].group(0), out)
    print("soak.%s: %s" % (tag, lv[0].group(0)))
    return v


def declared_once_each(tag, out, lv, victim, live):
    """The stopped core was declared down (by one or both of its watchers, who may
    agree at the same moment), and every live monitor marked it down exactly once."""
    check("soak.%s.core%d_declared" % (tag, victim), lv is not None and 1 <= lv[3] <= 2,
          lv and "declared=%d" % lv[3], out)
    per_core = [len(events(out, "core.down", core=c, peer=victim)) for c in live]
    check("soak.%s.core%d_down_once_on_every_live_core" % (tag, victim),
          per_core == [1] * len(live), "core.down events per live core: %s" % per_core, out)


# Every pair of 4 cores at once, 12 channels x 1500 mixed-size messages, batches, sleeps.
code, out = run("short", 4, "msgs=1500")
t = check_totals("short", code, out, 4)
check("soak.short.all_messages", t is not None and int(t.group(1)) == 12 * 1500, "", out)
lv = liveness("short", out, 4)
check("soak.short.nothing_declared_down", lv is not None and lv[3] == 0, "", out)
check("soak.short.nothing_fenced", not events(out, "core.fenced"), "", out)
check("soak.short.receivers_slept",
      any(int(m.group(1)) > 0 for m in lines_matching(out, r"sleeps=(\d+)$")), "", out)

# 8 cores, nothing stopped: every core is alive, so nothing may be declared
# down (a declared core would be fenced and counted in false_down).
code, out = run("eight", 8, "msgs=600")
t = check_totals("eight", code, out, 8)
lv = liveness("eight", out, 8)
check("soak.eight.nothing_declared_down", lv is not None and lv[3] == 0, "", out)
check("soak.eight.nothing_fenced", not events(out, "core.fenced"), "", out)

# The same with faults: core 3 stopped mid-traffic (its node holds its last
# message to every peer until the stop), 3 victims fault at random
# times, a hostile domain sends garbage to its monitor.  The survivors finish.
code, out = run("faults", 4, "msgs=10000 stop=3 victims=3 hostile=1", ["badmsg", "echo"])
t = check_totals("faults", code, out, 3)
check("soak.faults.core3_stopped", has_event(out, "core.stop", core=3), "", out)
check("soak.faults.core3_noticed",
      lines_matching(out, r"^core \d+: monitor: core 3 stopped responding"), "", out)
check("soak.faults.traffic_with_core3_abandoned",
      t is not None and int(t.group(5)) > 0, "", out)
check("soak.faults.victims_killed",
      len(events(out, "domain.kill", program="soak")) == 3, "", out)
check("soak.faults.hostile_refused",
      lines_matching(out, r"^core \d: monitor: refused a message from domain"), "", out)
check("soak.faults.no_panic", "PANIC" not in out, "", out)
lv = liveness("faults", out, 3)
declared_once_each("faults", out, lv, 3, (0, 1, 2))
check("soak.faults.suspicion_counted", lv is not None and lv[0] >= 1, "", out)

# Core 0 stopped mid-traffic, the coordinator on core 1: nothing central is
# left on core 0 (routing, liveness, names), so the survivors finish with
# 0 lost and the coordinator collects their reports.
code, out = run("zero", 4, "msgs=10000 stop=0", coord_core=1)
t = check_totals("zero", code, out, 3, coord_core=1)
check("soak.zero.core0_stopped", has_event(out, "core.stop", core=0), "", out)
check("soak.zero.core0_noticed",
      lines_matching(out, r"^core \d+: monitor: core 0 stopped responding"), "", out)
check("soak.zero.traffic_with_core0_abandoned", t is not None and int(t.group(5)) > 0, "", out)
lv = liveness("zero", out, 3, coord_core=1)
declared_once_each("zero", out, lv, 0, (1, 2, 3))
finish()
