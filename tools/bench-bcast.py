#!/usr/bin/env python3
"""Broadcast benchmark: a message to every core through the monitors' tree
against a sequential loop of unicasts, for several core counts.

Usage: bench-bcast.py [--cores 4,8,16] [--runs 3] [--rounds 200] [--json FILE]

Each boot runs apps/bcastbench on core 0, which calls mon_bcast(rounds):
monitor 0 sends MON_BCAST down the broadcast tree (topology/bcast_tree.h),
every monitor forwards it to its children and acknowledges to its parent
once its subtree has (a reduction), then monitor 0 pings every other core
one after the other, waiting for each pong (monitor/bcast.c).  Reported,
per core count, the median over runs of the mean per round:
  tree us        root sends until every core's acknowledgement is back
  sequential us  one ping-pong per core, in turn
  ratio          sequential / tree
A benchmark, not a test: it prints and writes numbers, it asserts nothing.
Under TCG every hop wakes a halted vCPU, so the absolute figures say more
about QEMU than about the protocol; compare rows and columns.
"""
import argparse
import json
import os
import re
import statistics
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu  # noqa: E402

LINE = re.compile(r"^core 0: bcastbench: bcast: (\d+) cores reached (\d+), (\d+) rounds: "
                  r"tree (\d+) cycles \((\d+) ns\), sequential (\d+) cycles \((\d+) ns\)$",
                  re.M)


def one_boot(n, rounds, mem, timeout):
    with tempfile.NamedTemporaryFile("w", suffix=".manifest", delete=False) as f:
        f.write("monitor all\nbcastbench 0 rights=bcast %d\n" % rounds)
        manifest = f.name
    try:
        mods = [os.path.join(qemu.BUILD, "apps", a) for a in ("monitor", "bcastbench")]
        cmd = qemu.build_command(smp=str(n), mem=mem, modules=mods + [manifest])
        code, out = qemu.run(cmd, timeout=timeout, echo=False)
    finally:
        os.unlink(manifest)
    m = LINE.search(out.replace("\r", ""))
    if code != 0 or not m:
        return None
    return {"reached": int(m.group(2)), "tree_ns": int(m.group(5)), "seq_ns": int(m.group(7))}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cores", default="4,8,16")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--mem", default="512M")
    ap.add_argument("--timeout", type=float, default=240)
    ap.add_argument("--json", default=os.path.join(ROOT, "build", "bench", "bcast.json"))
    a = ap.parse_args()
    rows = []
    print("%6s %8s %10s %14s %8s" % ("cores", "reached", "tree us", "sequential us", "ratio"))
    for n in [int(x) for x in a.cores.split(",")]:
        runs = [r for r in (one_boot(n, a.rounds, a.mem, a.timeout) for _ in range(a.runs)) if r]
        if not runs:
            print("%6d  boot failed or no bcastbench line" % n)
            rows.append({"cores": n, "error": "no bcastbench line"})
            continue
        tree = statistics.median(r["tree_ns"] for r in runs) / 1000
        seq = statistics.median(r["seq_ns"] for r in runs) / 1000
        row = {"cores": n, "reached": min(r["reached"] for r in runs), "runs": len(runs),
               "rounds": a.rounds, "tree_us": round(tree, 1), "sequential_us": round(seq, 1),
               "ratio": round(seq / tree, 2) if tree else None}
        rows.append(row)
        print("%6d %8d %10.1f %14.1f %8.2f" % (n, row["reached"], tree, seq, seq / tree),
              flush=True)
    os.makedirs(os.path.dirname(a.json), exist_ok=True)
    with open(a.json, "w") as f:
        json.dump({"benchmark": "bcast", "mem": a.mem, "rows": rows}, f, indent=1)
    print("wrote %s" % a.json)


if __name__ == "__main__":
    main()
