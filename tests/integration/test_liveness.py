#!/usr/bin/env python3
"""Liveness against a live core whose monitor falls silent (monitor/liveness.c,
monitor/corefence.c, kernel/fence.h).

apps/muter makes its own core's monitor ignore every message for a while
(the test command MON_MUTE_CORE_REQ) while the core runs on, as a starved
or hung monitor would.  Two boots at 4 cores:
  mute.short: silent 4 s (beyond dead_ms, within the hung limit): its
              kernel's pulse moves, so no core is declared down and the
              muter runs to its end.  Beside it a muter without the stop
              right attacks: SYS_CORE_FENCE (another core, its own) and
              SYS_CORE_PULSE are the monitors' (ERR_PERM), a mute needs the
              stop right (ERR_PERM, and its monitor logs the refusal).
  mute.long:  silent 60 s: the core must end either fenced (its CPU driver
              stopped by the declaring monitor, `core.fenced` from its
              kernel) and restarted (its `restart` hello runs again, every
              live monitor takes it up again), or not declared down at all
              and the muter ran to its end: never declared down while it
              runs on (split brain).
  hang.irqoff: kernel option hang_core=2: core 2's CPU driver hangs with
              interrupts off (no tick, no stop IPI taken): it is declared
              down, fenced by NMI (the stop IPI alone never stops it) and
              restarted; its `restart` hello runs again and every live
              monitor takes it up again.
  stuck.monitor: kernel options stuck_monitor=2 gate_ms=3000: core 2's
              monitor never becomes ready (it never waits for work); the
              boot core waits the bound (3 s here, 300 s by default), says
              which core was not ready and starts the manifest: the other
              cores' services run, no other core is declared down.
  monsys:     kernel option test=monsys: core 1's monitor calls SYS_CORE_FENCE,
              SYS_CORE_PULSE, SYS_CORE_STOP, SYS_CORE_RESTART, SYS_POOL_*,
              SYS_CHAN_MAPPED ...
              with cores and generations out of range (above 32 bits too)
              or of another life: each refused as documented, no core
              fenced, stopped or declared down.
Every run ends by itself (exit 0).
"""
import os
import re

from harness import (BUILD, ROOT, boot, check, check_clean_end, check_no_panic, events, finish,
                     lines_matching)

APPS = ["monitor", "muter", "hello"]
MANIFESTS = os.path.join(ROOT, "tests", "manifests")


def run(manifest, timeout, cmdline=""):
    mods = [os.path.join(BUILD, "apps", a) for a in APPS]
    return boot(smp=4, modules=mods + [os.path.join(MANIFESTS, manifest)], timeout=timeout,
                cmdline=cmdline)


def basic(tag, code, out):
    check_clean_end(tag, code, out)
    check_no_panic(tag, out)


def common(tag, code, out):
    basic(tag, code, out)
    check("%s.mute_accepted" % tag,
          bool(lines_matching(out, r"^core 2: muter: mute accepted$")), "", out)
    told = lines_matching(out, r"^core \d+: monitor: declared down by core \d+ while alive")
    check("%s.no_core_told_it_is_down_while_running" % tag, not told, "", out)


def check_core2_back(tag, out):
    """Fenced core 2 came back: restarted once, its monitor rejoined as its
    first restart with its `restart` service, every live monitor took it up."""
    back = events(out, "core.restart", peer=2, fenced=1)
    check("%s.fenced_core_restarted_once" % tag, len(back) == 1, str(back), out)
    rejoin = events(out, "core.rejoin", core=2)
    check("%s.its_monitor_rejoined" % tag,
          [(e.get("generation"), e.get("respawned")) for e in rejoin] == [("1", "1")],
          str(rejoin), out)
    check("%s.its_restart_service_runs_again" % tag,
          bool(lines_matching(out, r"^core 2: monitor: manifest line \d+: 'hello' runs again "
                                   r"as domain \d+$")), "", out)
    for c in (0, 1, 3):
        check("%s.core%d_takes_core2_up_again" % (tag, c),
              len(events(out, "core.back", core=c, peer=2)) == 1, "", out)


def tally(out):
    ev = lambda n: len(events(out, n))
    return ("suspicions raised %d, withdrawn %d, refuted %d, declared %d, fenced %d"
            % (ev("liveness.suspect"), ev("liveness.withdraw"), ev("liveness.refute"),
               len({e.get("peer") for e in events(out, "core.down")}), ev("core.fenced")))


tag = "mute.short"
code, out = run("mute-short.manifest", 300)
common(tag, code, out)
print("%s: %s" % (tag, tally(out)))
check("%s.no_core_declared_down" % tag, not events(out, "core.down"),
      str(events(out, "core.down")[:4]), out)
check("%s.no_core_fenced" % tag, not events(out, "core.fenced"), "", out)
check("%s.muter_ran_to_its_end" % tag,
      bool(lines_matching(out, r"^core 2: muter: running after the mute: \d+ ms")), "", out)
check("%s.monitor_serves_again" % tag,
      bool(lines_matching(out, r"^core 2: monitor: muted for 4000 ms: serving again$")), "", out)
for what in ("SYS_CORE_FENCE of another core", "SYS_CORE_FENCE of its own core",
             "SYS_CORE_PULSE", "a mute without the stop right"):
    check("%s.attack_refused_%s" % (tag, what.replace(" ", "_").lower()),
          bool(lines_matching(out, r"^core 1: muter: attack: %s refused: permission denied$"
                                   % re.escape(what))), "", out)
check("%s.attack_every_attempt_refused" % tag,
      bool(lines_matching(out, r"^core 1: muter: attack: every attempt refused$")), "", out)
check("%s.attack_mute_refusal_logged" % tag,
      bool(lines_matching(out, r"^core 1: monitor: refused a message from domain \d+: "
                               r"MON_MUTE_CORE_REQ needs the right stop")), "", out)

tag = "mute.long"
code, out = run("mute-long.manifest", 900)
common(tag, code, out)
print("%s: %s" % (tag, tally(out)))
downs = events(out, "core.down", peer=2)
fenced = events(out, "core.fenced", core=2)
ran_on = lines_matching(out, r"^core 2: muter: running after the mute")
others = [e for e in events(out, "core.down") if e.get("peer") != "2"]
check("%s.no_other_core_declared_down" % tag, not others, str(others[:4]), out)
if downs:
    print("%s: core 2 declared down by %s, fenced: %s" % (
        tag, sorted({e["core"] for e in downs}), [e.get("by") for e in fenced]))
    check("%s.declared_core_was_fenced" % tag, len(fenced) == 1, "%d" % len(fenced), out)
    check("%s.fenced_core_ran_nothing_more" % tag, not ran_on, "", out)
    check_core2_back(tag, out)
else:
    print("%s: core 2 was not declared down (its watchers' patience outlasted the mute)" % tag)
    check("%s.undeclared_core_ran_to_its_end" % tag, bool(ran_on) and not fenced, "", out)

# A CPU driver hung with interrupts off: declared down, fenced by NMI, restarted.
tag = "hang.irqoff"
code, out = run("hang.manifest", 900, "hang_core=2 hang_ms=3000")
basic(tag, code, out)
print("%s: %s" % (tag, tally(out)))
check("%s.core2_hung" % tag, bool(events(out, "core.hang", core=2)), "", out)
for c in (0, 1, 3):
    check("%s.core%d_saw_core2_down" % (tag, c),
          len(events(out, "core.down", core=c, peer=2)) == 1, "", out)
others = [e for e in events(out, "core.down") if e.get("peer") != "2"]
check("%s.no_other_core_declared_down" % tag, not others, str(others[:4]), out)
check("%s.stop_ipi_not_taken_nmi_sent" % tag,
      bool(lines_matching(out, r"^core \d: core 2 did not take the stop IPI for \d+ ms "
                               r"\(interrupts off\?\): sending an NMI$")), "", out)
fenced = events(out, "core.fenced", core=2)
check("%s.fenced_by_nmi" % tag, [e.get("nmi") for e in fenced] == ["1"], str(fenced), out)
check_core2_back(tag, out)
if downs_at := [int(e["us"]) for e in events(out, "core.down", peer=2)]:
    print("%s: core 2 declared down %.1f s into the run (it hung at hang_ms=3000)"
          % (tag, min(downs_at) / 1e6))

# A monitor that never becomes ready: the boot gate's bound (gate_ms), then the rest goes on.
tag = "stuck.monitor"
code, out = run("stuck.manifest", 600, "stuck_monitor=2 gate_ms=3000")
basic(tag, code, out)
check("%s.core2_monitor_stuck" % tag,
      bool(lines_matching(out, r"^core 2: monitor: test: stuck_monitor: this monitor never waits "
                               r"for work$")), "", out)
late = lines_matching(out, r"^core 0: 1 monitors not ready after (\d+) ms \(core 2 the first\); "
                           r"starting anyway$")
check("%s.gate_names_core2_after_its_bound" % tag,
      len(late) == 1 and 3000 <= int(late[0].group(1)) < 60000,
      late[0].group(0) if late else "no line", out)
for c in (0, 1, 3):
    check("%s.core%d_service_runs" % (tag, c),
          bool(lines_matching(out, r"^core %d: hello: hello from core %d " % (c, c))), "", out)
others = [e for e in events(out, "core.down") if e.get("peer") != "2"]
check("%s.no_other_core_declared_down" % tag, not others, str(others[:4]), out)
print("%s: %s; %s" % (tag, late[0].group(0) if late else "no gate line", tally(out)))

# The monitors' own calls with arguments out of range, from a monitor (monitor/systest.c).
tag = "monsys"
code, out = run("monsys.manifest", 300, "test=monsys")
basic(tag, code, out)
calls = lines_matching(out, r"^core 1: monitor: systest: (\S+)\((\S+), (\S+), (\S+)\): (.*), want "
                            r"(.*): (ok|WRONG)$")
check("%s.calls_logged" % tag, len(calls) == 27, "%d lines" % len(calls), out)
for m in calls:
    check("%s.%s_%s_%s_%s" % (tag, m.group(1).lower(), m.group(2), m.group(3), m.group(4)),
          m.group(7) == "ok", m.group(0), out)
check("%s.summary" % tag,
      bool(lines_matching(out, r"^core 1: monitor: systest: 27 calls, 0 wrong$")), "", out)
check("%s.no_core_fenced_or_down" % tag,
      not events(out, "core.fenced") and not events(out, "core.down"), tally(out), out)

finish()
