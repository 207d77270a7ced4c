#!/usr/bin/env python3
"""The soak at many cores, with the liveness tally: no false "down".

Usage: soak-scale.py [--smp 255] [--mem 2G] [--nodes 64] [--msgs 2000]
                     [--timeout 3600] [--log FILE]

Boots --smp cores (default 255, QEMU's TCG ceiling) with a monitor on every
core and apps/soak's traffic between every pair of its nodes (the soak takes
the first --nodes cores, at most SOAK_MAX_CORES = 64: n(n-1) channels,
--msgs messages each,
every message's sequence and checksum checked), while every monitor of all
the cores watches its ring neighbours.  Nothing is stopped, so every core
that came up is alive: any core declared down is a false "down".

Prints one report and exits 0 only if the soak passed (lost 0, corrupted 0)
and no core was declared down:

  soak-scale: cores up U/N, soak nodes K/K, sent S received R lost L corrupted C
  soak-scale: suspicions raised A, withdrawn W, refuted F, cores declared down D (false: D)
  soak-scale: fenced K (declared while running: stopped by the declarer), restarted R,
              monitor stalls S (a monitor found it had not run for over 2.5 s)
  soak-scale: suspicions: silent_ms min..max, kernel pulse silent min..max ms,
              the suspecting monitor's own longest gap min..max ms
  soak-scale: host load 1/5/15 min at the start: a b c, at the end: a b c
  soak-scale: result PASS|FAIL (why)

Fenced counts the declarers' `liveness.fence` events (the fenced core's own
`core.fenced` line may be lost with its console ring when it is restarted).
Every core declared down is a false down here; with fencing (kernel/fence.h)
each one that was still running is stopped by its declarer and restarted,
so a false down costs a restart but never leaves a live core excluded.
The tally reads the monitors' tagged events (`liveness.suspect`,
`liveness.withdraw`, `liveness.refute`, `core.down`) and, for monitors that
do not emit the first three, their log sentences ("core X silent for N ms;
asking core C to confirm", "suspicion of core X withdrawn").
Long: 32 nodes and 200 messages per channel (make soak-scale's default)
took 5 minutes on our 2-CPU host at 255 cores (boot 1.5-3 minutes of it);
one at a time.
"""
import argparse
import os
import re
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import qemu  # noqa: E402
from harness import events  # noqa: E402

SUSPECT = re.compile(r"^core \d+: monitor: core \d+ silent for \d+ ms; asking core \d+ to confirm$")
WITHDRAW = re.compile(r"^core \d+: monitor: suspicion of core \d+ withdrawn")
NOT_STARTED = re.compile(r"^core 0: core (\d+) \(apic \d+\): did not answer INIT-SIPI-SIPI", re.M)
TOTALS = re.compile(r"^core 0: soak: totals: sent=(\d+) received=(\d+) lost=(\d+) "
                    r"corrupted=(\d+) abandoned=(\d+) nodes=(\d+)/(\d+)")


def tally(out):
    """Suspicions raised, withdrawn, refuted; cores declared down (a list).

    A core that never started (left out at boot, announced down to every
    monitor by core 0) is not a core declared down."""
    lines = out.splitlines()
    raised = len(events(out, "liveness.suspect")) or sum(bool(SUSPECT.match(l)) for l in lines)
    withdrawn = (len(events(out, "liveness.withdraw")) or
                 sum(bool(WITHDRAW.match(l)) for l in lines))
    refuted = len(events(out, "liveness.refute"))
    never = {int(m.group(1)) for m in NOT_STARTED.finditer(out)}
    down = sorted({int(e["peer"]) for e in events(out, "core.down") if "peer" in e} - never)
    return raised, withdrawn, refuted, down


def spread(evs, key):
    v = [int(e[key]) for e in evs if key in e]
    return "%d..%d" % (min(v), max(v)) if v else "-"


def load():
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smp", type=int, default=255)
    ap.add_argument("--mem", default="2G")
    ap.add_argument("--nodes", type=int, default=64)
    ap.add_argument("--msgs", type=int, default=2000)
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--log", default=os.path.join(qemu.BUILD, "soak-scale.log"))
    a = ap.parse_args()
    manifest = os.path.join(qemu.BUILD, "soak-scale.manifest")
    with open(manifest, "w") as f:
        f.write("monitor all\nsoak 0 rights=spawn coord nodes=%d msgs=%d\n" % (a.nodes, a.msgs))
    mods = [os.path.join(qemu.BUILD, "apps", m) for m in ("monitor", "soak")] + [manifest]
    cmd = qemu.build_command(smp=str(a.smp), mem=a.mem, modules=mods)
    load0 = load()
    t0 = time.monotonic()
    code, out = qemu.run(cmd, timeout=a.timeout, echo=False, log=a.log)
    wall = time.monotonic() - t0
    load1 = load()
    out = out.replace("\r", "")
    up = re.search(r"^core 0: (?:all (\d+)|(\d+) of \d+) cores up in (\d+) ms$", out, re.M)
    nup = int(up.group(1) or up.group(2)) if up else 0
    t = next((m for m in (TOTALS.match(l) for l in out.splitlines()) if m), None)
    raised, withdrawn, refuted, down = tally(out)
    why = []
    if code != 0:
        why.append("exit code %s" % code)
    if not t:
        why.append("no soak totals line")
    elif int(t.group(3)) or int(t.group(4)) or t.group(1) != t.group(2):
        why.append("soak lost or corrupted messages")
    elif t.group(6) != t.group(7):
        why.append("soak nodes missing")
    if down:
        why.append("false down: cores %s" % down[:20])
    never = sorted(int(m.group(1)) for m in NOT_STARTED.finditer(out))
    if never:
        print("soak-scale: cores that did not start at boot (left out, not counted as down): %s"
              % never)
    print("soak-scale: cores up %d/%d, soak nodes %s, sent %s received %s lost %s corrupted %s"
          % (nup, a.smp, "%s/%s" % (t.group(6), t.group(7)) if t else "-",
             *(t.group(i) if t else "-" for i in range(1, 5))))
    print("soak-scale: suspicions raised %d, withdrawn %d, refuted %d, cores declared down %d "
          "(false: %d)" % (raised, withdrawn, refuted, len(down), len(down)))
    sus = events(out, "liveness.suspect")
    print("soak-scale: fenced %d (declared while running: stopped by the declarer), "
          "restarted %d, monitor stalls %d"
          % (len(events(out, "liveness.fence")),
             len([e for e in events(out, "core.restart") if e.get("fenced") == "1"]),
             len(events(out, "liveness.stall"))))
    print("soak-scale: suspicions: silent_ms %s, kernel pulse silent %s ms, the suspecting "
          "monitor's own longest gap %s ms" % (spread(sus, "silent_ms"), spread(sus, "pulse_ms"),
                                              spread(sus, "own_gap_ms")))
    soak_ms = re.search(r"^core 0: soak: totals: .* time=(\d+) ms", out, re.M)
    print("soak-scale: %d nodes, %d messages per channel; wall time %.0f s (QEMU start to end), "
          "cores up after %s ms of kernel time, the soak itself %s ms"
          % (a.nodes, a.msgs, wall, up.group(3) if up else "-",
             soak_ms.group(1) if soak_ms else "-"))
    print("soak-scale: host load 1/5/15 min at the start: %s, at the end: %s" % (load0, load1))
    print("soak-scale: result %s%s" % ("FAIL" if why else "PASS",
                                       " (%s)" % "; ".join(why) if why else ""))
    print("soak-scale: serial log in %s" % a.log)
    return 1 if why else 0


if __name__ == "__main__":
    sys.exit(main())
