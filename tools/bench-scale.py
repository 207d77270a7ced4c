#!/usr/bin/env python3
"""Scale benchmark: boot time, broadcast and ping-pong against the core count.

Usage: bench-scale.py [--cores 4,16,32,64,128,255] [--mem 2G] [--rounds 50]
                      [--iters 200] [--no-linux] [--no-restart] [--boot-only]
                      [--boot-runs 1] [--out build/bench]

For each core count, on this host under TCG (idle cores halt, so 255 vCPUs
run on 2 host cores):
  boot       all N cores up: how many came up, the kernel's own time (from
             its entry; firmware excluded), its discovery phase (entry to
             the AP start: the part the boot core's serial output grew),
             the host's time from QEMU's start to that line, and from
             QEMU's start to the kernel's first line (QEMU and firmware:
             the emulator's share); all the kernel's phases are in the JSON
             (tools/bench-boot.py).  --boot-only
             measures just this column (minutes instead of hours at 255).
  linux      Debian's Linux kernel in the same QEMU configuration: host time
             to its /init and its own uptime there (tools/linuxbench)
  broadcast  mean per round to every core through the monitors' tree and by
             sequential unicasts (apps/bcastbench)
  pingpong   URPC and kernel-IPC round trip, medians over the sampled pairs
             (apps/pingpong pairs=sample: 16 cores spread evenly)
  restart    core 2 stopped and restarted twice (tools/bench-restart.py):
             from the stop to every monitor knowing it (down ms), and from
             the restart request to its service answering again (restart ms)
  names      name register and lookup latency, medians over every core
             (apps/namebench, tools/bench-names.py): the replicated registry
             and the central one (boot option names=central), one boot each;
             with --names-base DIR also the replicated registration of the
             build in DIR (an older commit, e.g. before the rounds went
             through the tree), booted right after this build's
Prints a table, writes OUT/scale.json and OUT/scale.png.  A benchmark, not a
test: it asserts nothing.
"""
import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.join(ROOT, "tools")
sys.path.insert(0, TOOLS)
import qemu  # noqa: E402


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, os.path.join(TOOLS, path))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


boot = load("bench_boot", "bench-boot.py")
bcast = load("bench_bcast", "bench-bcast.py")
pp = load("bench_pp", "bench.py")
restart = load("bench_restart", "bench-restart.py")
names = load("bench_names", "bench-names.py")


def pingpong(n, mem, iters):
    class A:
        pass
    a = A()
    a.smp, a.mem, a.topo, a.iters, a.stream, a.pairs = str(n), mem, "", iters, 2000, "sample"
    a.timeout = 3600
    out = os.path.join(qemu.BUILD, "bench", "scale-%d" % n)
    os.makedirs(out, exist_ok=True)
    code, rows, hz, secs = pp.run_os(a, out)
    cross = [r for r in rows if r["src"] != r["dst"] and r["err"] == 0]
    return {"pairs": len(rows), "ok": len(cross), "secs": round(secs),
            "urpc_rtt": pp.med(r["urpc_med"] for r in cross),
            "kipc_rtt": pp.med(r["kipc_med"] for r in cross)}


def linux_boot(n, mem):
    try:
        sys.path.insert(0, os.path.join(TOOLS, "linuxbench"))
        import run as lb
        res = lb.run_linux(smp=n, mem=mem, pairs="0-1", iters=200, kinds=("shm",),
                           timeout=120 + 8 * n)  # Linux's boot grows fast with n under TCG
        return {"wall_s": res[0].get("boot_wall_s"), "uptime_s": res[0].get("init_uptime_s")}
    except Exception as e:  # optional: report, never fail
        return {"error": str(e)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cores", default="4,16,32,64,128,255")
    ap.add_argument("--mem", default="2G")
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--iters", type=int, default=200)
    ap.add_argument("--no-linux", action="store_true")
    ap.add_argument("--no-restart", action="store_true")
    ap.add_argument("--boot-only", action="store_true")
    ap.add_argument("--boot-runs", type=int, default=1, help="boots per core count (median)")
    ap.add_argument("--out", default=os.path.join(qemu.BUILD, "bench"))
    ap.add_argument("--names-base", help="also time registration with the build in this directory")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rows = []
    hdr = "%5s %5s %10s %10s %10s %10s %10s %10s %10s %10s %10s %10s %10s %10s" % (
        "cores", "up", "boot ms", "disc ms", "wall ms", "fw ms", "linux s", "lx up s", "tree us",
        "seq us", "urpc cyc", "kipc cyc", "down ms", "restart ms")
    print(hdr, flush=True)
    for n in [int(x) for x in a.cores.split(",")]:
        boots = [r for r in (boot.one_boot(n, a.mem, 900) for _ in range(a.boot_runs)) if r]
        b = {}
        if boots:
            b = {"up": min(r["up"] for r in boots), "runs": boots}
            for k in ("kernel_ms", "wall_ms", "fw_ms"):
                b[k] = statistics.median(r[k] for r in boots)
            b["discovery_ms"] = statistics.median(r["phases"].get("discovery", 0) for r in boots)
        c = {} if a.boot_only else bcast.one_boot(n, a.rounds, a.mem, 900) or {}
        p = {"urpc_rtt": None, "kipc_rtt": None} if a.boot_only else pingpong(n, a.mem, a.iters)
        lx = {} if a.no_linux or a.boot_only else linux_boot(n, a.mem)
        rs = {} if a.no_restart or a.boot_only or n < 3 else restart.summary(
            restart.one_boot(n, 2, a.mem, 900 + 10 * n, a.out))
        nm = None if a.boot_only else names.both(n, 200, a.mem, 900 + 10 * n)
        if nm is not None and a.names_base:
            nm["base"] = names.one_boot(n, "replicated", 200, a.mem, 900 + 10 * n, a.names_base)
        row = {"cores": n, "up": b.get("up"), "kernel_ms": b.get("kernel_ms"),
               "discovery_ms": b.get("discovery_ms"),
               "wall_ms": b.get("wall_ms"), "fw_ms": b.get("fw_ms"), "boots": b.get("runs"),
               "bcast": c, "pingpong": p, "linux": lx, "restart": rs, "names": nm}
        rows.append(row)
        print("%5d %5s %10s %10s %10s %10s %10s %10s %10s %10s %10s %10s %10s %10s" % (
            n, b.get("up", "-"), "%.0f" % b["kernel_ms"] if b else "-",
            "%.0f" % b["discovery_ms"] if b else "-",
            "%.0f" % b["wall_ms"] if b else "-", "%.0f" % b["fw_ms"] if b else "-",
            "%.1f" % lx["wall_s"] if lx.get("wall_s") else "-",
            "%.1f" % lx["uptime_s"] if lx.get("uptime_s") else "-",
            "%.0f" % (c["tree_ns"] / 1000) if c else "-",
            "%.0f" % (c["seq_ns"] / 1000) if c else "-",
            "%.0f" % p["urpc_rtt"] if p["urpc_rtt"] else "-",
            "%.0f" % p["kipc_rtt"] if p["kipc_rtt"] else "-",
            rs.get("down_ms") or "-", rs.get("answer_ms") or "-"), flush=True)
        if nm is None:
            continue
        print("      names: register us %s replicated, %s central; lookup us %s replicated, "
              "%s central" % (names.fmt(nm["replicated"], "reg_us"), names.fmt(nm["central"], "reg_us"),
                              names.fmt(nm["replicated"], "look_us"),
                              names.fmt(nm["central"], "look_us")), flush=True)
        if "base" in nm:
            print("      names: register us %s with %s" % (names.fmt(nm["base"], "reg_us"),
                                                         a.names_base), flush=True)
    path = os.path.join(a.out, "scale.json")
    with open(path, "w") as f:
        json.dump({"benchmark": "scale", "mem": a.mem, "ram": qemu.RAM_BACKEND, "rows": rows},
                  f, indent=1)
    print("wrote %s" % path)
    r = subprocess.run(["/usr/bin/python3", os.path.join(TOOLS, "bench-plot.py"), "--scale",
                        path, os.path.join(a.out, "scale.png")], capture_output=True, text=True)
    print(r.stdout.strip() or r.stderr.strip())


if __name__ == "__main__":
    main()
