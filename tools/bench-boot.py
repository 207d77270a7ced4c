#!/usr/bin/env python3
"""Boot-time benchmark: time to "all N cores up" for several core counts.

Usage: bench-boot.py [--cores 1,2,4,8,16] [--runs 3] [--mem 512M] [--json FILE]
                     [--base DIR]

For each core count, boots QEMU `--runs` times and reports the median of:
  kernel ms   the CPU driver's own figure, from its entry on the boot core to
              every AP reporting up (firmware and QEMU start excluded)
  wall ms     host wall-clock time from starting QEMU to the "all N cores up"
              line on the serial console (firmware and QEMU start included)
  fw ms       host time from starting QEMU to the kernel's first serial line
              (QEMU's start, its vCPU threads and the firmware: the emulator's)
and, in the JSON, the kernel's "boot phases" line (ms each): discovery (ACPI,
topology, the boot core's own set-up), plan (pools, monitor links), prepare
(each AP's struct cpu and pool), ipis (INIT, SIPI, SIPI to every AP), entered
(until every AP ran its trampoline), up (until every AP said up).
QEMU_RAM=anon in the environment boots with QEMU's own anonymous RAM instead
of the memfd tools/qemu.py uses (see there: transparent huge pages).
--base DIR: an A/B against the kernel in DIR (DIR/kernel.bin, e.g. a copy of
an older build/): its boots and this build's alternate, base first, and
each core count gets a row for each with every run's kernel ms and
discovery ms listed.
A benchmark, not a test: it prints and writes numbers, it asserts nothing.
Under TCG the absolute figures depend on the host's load; compare rows.
"""
import argparse
import json
import os
import re
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu  # noqa: E402


def one_boot(n, mem, timeout, build=None):
    saved, qemu.BUILD = qemu.BUILD, build or qemu.BUILD
    try:
        cmd = qemu.build_command(smp=str(n), mem=mem)
    finally:
        qemu.BUILD = saved
    pat = re.compile(r"core 0: (?:all (\d+)|(\d+) of \d+) cores up in (\d+) ms")
    phases = re.compile(r"core 0: boot phases \(ms\):((?: \w+=\d+)+)\n")
    seen = {}

    def stop(text):
        if "fw" not in seen and text.strip():
            seen["fw"] = (time.monotonic() - start) * 1000
        m = pat.search(text)
        if m and "wall" not in seen:
            seen["wall"] = (time.monotonic() - start) * 1000
        return bool(m) and bool(phases.search(text))

    start = time.monotonic()
    code, out = qemu.run(cmd, timeout=timeout, echo=False, stop_on=stop)
    m = pat.search(out)
    if not m:
        return None
    up = int(m.group(1) or m.group(2))
    p = phases.search(out.replace("\r", ""))
    ph = {k: int(v) for k, v in (kv.split("=") for kv in p.group(1).split())} if p else {}
    return {"up": up, "kernel_ms": int(m.group(3)), "wall_ms": seen.get("wall", 0.0),
            "fw_ms": round(seen.get("fw", 0.0), 1), "phases": ph}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cores", default="1,2,4,8,16")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mem", default="512M")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--json", default=os.path.join(ROOT, "build", "bench", "boot.json"))
    ap.add_argument("--base", help="A/B: alternate with the kernel in this build directory")
    a = ap.parse_args()
    if a.base:
        return ab(a)
    rows = []
    print("%6s %6s %12s %12s %12s %12s" % ("cores", "up", "kernel ms", "discovery", "wall ms",
                                            "fw ms"))
    for n in [int(x) for x in a.cores.split(",")]:
        runs = [r for r in (one_boot(n, a.mem, a.timeout) for _ in range(a.runs)) if r]
        if not runs:
            print("%6d  boot failed or timed out" % n)
            rows.append({"cores": n, "error": "no 'cores up' line"})
            continue
        row = {"cores": n, "up": min(r["up"] for r in runs), "runs": len(runs),
               "kernel_ms": statistics.median(r["kernel_ms"] for r in runs),
               "discovery_ms": statistics.median(r["phases"].get("discovery", 0) for r in runs),
               "wall_ms": round(statistics.median(r["wall_ms"] for r in runs), 1),
               "fw_ms": round(statistics.median(r["fw_ms"] for r in runs), 1),
               "each": runs}
        rows.append(row)
        print("%6d %6d %12.0f %12.0f %12.0f %12.0f" % (n, row["up"], row["kernel_ms"],
                                                       row["discovery_ms"], row["wall_ms"],
                                                       row["fw_ms"]), flush=True)
    os.makedirs(os.path.dirname(a.json), exist_ok=True)
    with open(a.json, "w") as f:
        json.dump({"benchmark": "boot", "mem": a.mem, "ram": qemu.RAM_BACKEND, "rows": rows},
                  f, indent=1)
    print("wrote %s" % a.json)


def ab(a):
    """--base: alternated boots of the base kernel and this build's."""
    builds = [("base", a.base), ("this", qemu.BUILD)]
    rows = []
    for n in [int(x) for x in a.cores.split(",")]:
        runs = {tag: [] for tag, _ in builds}
        for _ in range(a.runs):
            for tag, d in builds:
                r = one_boot(n, a.mem, a.timeout, d)
                if r:
                    r["load"] = round(os.getloadavg()[0], 1)
                    runs[tag].append(r)
        for tag, d in builds:
            rs = runs[tag]
            row = {"cores": n, "build": d, "tag": tag, "each": rs}
            if rs:
                row["kernel_ms"] = statistics.median(r["kernel_ms"] for r in rs)
                row["discovery_ms"] = statistics.median(r["phases"].get("discovery", 0) for r in rs)
            rows.append(row)
            print("%4d %s median %s ms (discovery %s): kernel %s; discovery %s; load %s" % (
                n, tag, row.get("kernel_ms", "-"), row.get("discovery_ms", "-"),
                ", ".join(str(r["kernel_ms"]) for r in rs),
                ", ".join(str(r["phases"].get("discovery", "-")) for r in rs),
                ", ".join(str(r["load"]) for r in rs)), flush=True)
    os.makedirs(os.path.dirname(a.json), exist_ok=True)
    with open(a.json, "w") as f:
        json.dump({"benchmark": "boot-ab", "mem": a.mem, "rows": rows}, f, indent=1)
    print("wrote %s" % a.json)


if __name__ == "__main__":
    main()
