#!/usr/bin/env python3
"""Stop-to-known benchmark: how long after a core stops every live monitor knows it.

Usage: bench-stop.py [--cores 4,8,16] [--runs 3] [--victim 2] [--out build/bench]

Each run boots N cores with an echo service on the victim core and a
stopper on core 0 (apps/stopper), which stops the victim and prints the TSC
right after, in µs (`stopped core V (us T)`).  Every monitor's `core.down`
event carries the same clock when it marked the victim down (`us=`,
monitor/liveness.c).
Under TCG the TSC follows the host's wall clock on every vCPU, so the
figures are wall-clock milliseconds:
  first   stop to the first monitor that knew (the declarer)
  all     stop to the last live monitor that knew (every monitor knows)
The design's bound is a few ping periods beyond dead_ms (10 pings of
100 + 10 n ms) plus the confirmation round trip.  Prints a table and writes
OUT/stop.json.  measure(n, runs, victim) is importable (bench-scale.py).
A benchmark: it asserts nothing; it depends on the host's load.
"""
import argparse
import json
import os
import re
import statistics
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu  # noqa: E402

APPS = ["monitor", "echo", "stopper", "hello"]
STOPPED = re.compile(r"^core 0: stopper: stopped core (\d+) \(us (\d+)\)$", re.M)
DOWN = re.compile(r"^EV core=(\d+) core\.down peer=(\d+) us=(\d+)$", re.M)


def one_run(n, victim, build):
    live = (victim + 1) % n or 1
    manifest = os.path.join(build, "bench-stop-%d.manifest" % n)
    with open(manifest, "w") as f:
        f.write("monitor all\necho %d victim 1\necho %d live 1\n"
                "stopper 0 rights=stop,spawn %d victim live\n" % (victim, live, victim))
    mods = [os.path.join(build, "apps", a) for a in APPS] + [manifest]
    cmd = qemu.build_command(smp=n, mem="512M", topo="", cmdline="", iso=False,
                             modules=mods, extra=None)
    code, out = qemu.run(cmd, timeout=300 + 4 * n, echo=False)
    out = out.replace("\r", "")
    s = STOPPED.search(out)
    downs = {int(m.group(1)): int(m.group(3)) for m in DOWN.finditer(out)
             if int(m.group(2)) == victim}
    if not s or len(downs) != n - 1:
        print("  %d cores: run failed (exit %s, stop line %s, %d of %d monitors knew)"
              % (n, code, bool(s), len(downs), n - 1), file=sys.stderr)
        return None
    t0 = int(s.group(2))
    ms = sorted((t - t0) / 1000.0 for t in downs.values())
    return {"first_ms": ms[0], "all_ms": ms[-1]}


def measure(n, runs=3, victim=2, build=None):
    """Medians over `runs` boots of N cores: {"first_ms", "all_ms", "runs"}."""
    build = build or qemu.BUILD
    got = [r for r in (one_run(n, victim, build) for _ in range(runs)) if r]
    if not got:
        return None
    return {"first_ms": statistics.median(r["first_ms"] for r in got),
            "all_ms": statistics.median(r["all_ms"] for r in got),
            "runs": got}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cores", default="4,8,16")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--victim", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(qemu.BUILD, "bench"))
    a = ap.parse_args()
    res = {}
    print("%6s %12s %12s   (median of %d runs; host-dependent)" % ("cores", "first ms",
                                                                   "all ms", a.runs))
    for n in (int(c) for c in a.cores.split(",")):
        r = measure(n, a.runs, a.victim)
        res[n] = r
        if r:
            print("%6d %12.0f %12.0f" % (n, r["first_ms"], r["all_ms"]), flush=True)
        else:
            print("%6d %12s %12s" % (n, "-", "-"), flush=True)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "stop.json"), "w") as f:
        json.dump({"victim": a.victim, "results": res}, f, indent=1)


if __name__ == "__main__":
    main()
