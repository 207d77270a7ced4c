#!/usr/bin/env python3
"""Restart benchmark: a core stopped and restarted, against the core count.

Usage: bench-restart.py [--cores 4,8,16] [--rounds 3] [--mem 512M] [--out build/bench]

For each core count one boot: an echo service on core 2 marked `restart`,
apps/restarter on core 1 stops core 2 and restarts it --rounds times.  Per
round, on the TSC that every core shares (microseconds, `us=` in the
restarter's lines and the monitors' events):
  down_ms     from the stop request to the last live monitor's core.down
              event (every monitor knows the core is down)
  answer_ms   from the restart request that was accepted to the restarted
              service answering a client that bound again by name
  back_ms     from that request to the last live monitor's core.back event
Prints medians per core count, writes OUT/restart.json.  A benchmark, not a
test: it asserts nothing.  Figures depend on the host's load (TCG).
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

APPS = ("monitor", "echo", "restarter")
EV = re.compile(r"^EV core=(\d+) (core\.down|core\.back) peer=2 (?:by=\d+ )?us=(\d+)$", re.M)


def parse(out, n, rounds):
    """Per-round figures from one boot's serial text; [] if the run broke."""
    stops = [int(x) for x in re.findall(r"^core 1: restarter: round \d+: stopped core 2 at "
                                        r"us=(\d+)$", out, re.M)]
    reqs = [int(x) for x in re.findall(r"restart accepted \d+ ms after the stop \(requested "
                                       r"at us=(\d+)\)$", out, re.M)]
    answers = [int(x) for x in re.findall(r"services answer (\d+) us after the restart request$",
                                          out, re.M)]
    downs, backs = {}, {}
    for core, ev, us in EV.findall(out):
        (downs if ev == "core.down" else backs).setdefault(int(core), []).append(int(us))
    res = []
    for r in range(min(len(stops), len(reqs), len(answers), rounds)):
        d = [v[r] for v in downs.values() if len(v) > r]
        b = [v[r] for v in backs.values() if len(v) > r]
        res.append({"round": r + 1,
                    "down_ms": (max(d) - stops[r]) / 1000.0 if len(d) == n - 1 else None,
                    "monitors_down": len(d),
                    "answer_ms": answers[r] / 1000.0,
                    "back_ms": (max(b) - reqs[r]) / 1000.0 if len(b) == n - 1 else None})
    return res


def one_boot(n, rounds, mem="512M", timeout=900, out_dir=None):
    """Boot n cores with the restart scenario; the per-round figures."""
    out_dir = out_dir or os.path.join(qemu.BUILD, "bench")
    os.makedirs(out_dir, exist_ok=True)
    manifest = os.path.join(out_dir, "restart-%d.manifest" % n)
    with open(manifest, "w") as f:
        f.write("monitor all\necho 2 restart svc 1\nrestarter 1 rights=stop 2 svc %d\n" % rounds)
    mods = [os.path.join(qemu.BUILD, "apps", a) for a in APPS] + [manifest]
    cmd = qemu.build_command(smp=n, mem=mem, modules=mods)
    code, out = qemu.run(cmd, timeout=timeout, echo=False)
    out = out.replace("\r", "")
    with open(os.path.join(out_dir, "restart-%d.log" % n), "w") as f:
        f.write(out)
    return {"exit": code, "rounds": parse(out, n, rounds)}


def med(xs):
    xs = [x for x in xs if x is not None]
    return round(statistics.median(xs), 1) if xs else None


def summary(res):
    r = res.get("rounds") or []
    return {"down_ms": med(x["down_ms"] for x in r), "answer_ms": med(x["answer_ms"] for x in r),
            "back_ms": med(x["back_ms"] for x in r), "rounds": len(r)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cores", default="4,8,16")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--mem", default="512M")
    ap.add_argument("--out", default=os.path.join(qemu.BUILD, "bench"))
    a = ap.parse_args()
    rows = []
    print("%5s %6s %10s %10s %10s" % ("cores", "rounds", "down ms", "answer ms", "back ms"),
          flush=True)
    for n in [int(x) for x in a.cores.split(",")]:
        res = one_boot(n, a.rounds, a.mem, out_dir=a.out)
        s = summary(res)
        rows.append({"cores": n, "exit": res["exit"], "per_round": res["rounds"], **s})
        print("%5d %6d %10s %10s %10s" % (n, s["rounds"], s["down_ms"], s["answer_ms"],
                                          s["back_ms"]), flush=True)
    path = os.path.join(a.out, "restart.json")
    with open(path, "w") as f:
        json.dump({"benchmark": "restart", "mem": a.mem, "rows": rows}, f, indent=1)
    print("wrote %s" % path)


if __name__ == "__main__":
    main()
