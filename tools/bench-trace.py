#!/usr/bin/env python3
"""What a compiled-in but disabled tracer costs: A/B runs of the ping-pong.

Usage: bench-trace.py [--rounds 3] [--smp 2] [--iters 20000] [--stream 20000]
                      [--off-build build/notrace] [--in-build build] [--out build/bench]

Three configurations, run alternately (A B C A B C ...) so that host noise
falls on all of them alike:
  A  out     kernel and libos built with -DTRACE_COMPILED_OUT -DURPC_NO_TRACE
             (the build in --off-build; `make bench-trace` makes it)
  B  in      the normal build, booted without trace rings
  C  in,off  the normal build with trace=off: rings exist, recording off
For each: the median over pairs of the URPC round trip, the kernel-IPC
round trip (system calls, interrupts, context switches: every kernel hook)
and streaming cycles per message; the table gives B/A and C/A.  A
measurement, never pass/fail; also writes trace-ab.json.
"""
import argparse
import json
import os
import statistics
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import bench  # noqa: E402  tools/bench.py
import qemu  # noqa: E402


def run_one(build, cmdline, a):
    manifest = os.path.join(a.out, "trace-ab.manifest")
    with open(manifest, "w") as f:
        f.write("monitor all\npingpong 0 rights=spawn,kipc coord iters=%d stream=%d pairs=all\n" % (a.iters, a.stream))
    qemu.BUILD = build
    mods = [os.path.join(build, "apps", m) for m in ("monitor", "pingpong")]
    cmd = qemu.build_command(smp=a.smp, cmdline=cmdline, modules=mods + [manifest])
    code, text = qemu.run(cmd, timeout=a.timeout, echo=False)
    rows, _ = bench.parse(text)
    cross = [r for r in rows if r["src"] != r["dst"] and not r["err"]]
    if code != 0 or not cross:
        return None
    return {"urpc": statistics.median(r["urpc_med"] for r in cross),
            "kipc": statistics.median(r["kipc_med"] for r in cross),
            "stream": statistics.median(r["stream_cycles"] / max(r["stream_msgs"], 1)
                                        for r in cross)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--smp", default="2")
    ap.add_argument("--iters", type=int, default=20000)
    ap.add_argument("--stream", type=int, default=20000)
    ap.add_argument("--off-build", default=os.path.join(qemu.BUILD, "notrace"))
    ap.add_argument("--in-build", default=qemu.BUILD)
    ap.add_argument("--out", default=os.path.join(qemu.BUILD, "bench"))
    ap.add_argument("--timeout", type=float, default=900)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    configs = [("A out", a.off_build, ""), ("B in", a.in_build, ""),
               ("C in,off", a.in_build, "trace=off")]
    results = {name: [] for name, _, _ in configs}
    for r in range(a.rounds):
        for name, build, cmdline in configs:
            res = run_one(build, cmdline, a)
            print("round %d %-9s %s" % (r + 1, name, res), flush=True)
            if res:
                results[name].append(res)
    summary = {}
    for name in results:
        rs = results[name]
        summary[name] = {k: statistics.median(x[k] for x in rs) for k in ("urpc", "kipc", "stream")} \
            if rs else None
    print("\nmedian over %d rounds, -smp %s, %d round trips per pair (TSC cycles)" %
          (a.rounds, a.smp, a.iters))
    print("%-10s %12s %12s %14s" % ("config", "urpc rt", "kipc rt", "stream/msg"))
    for name, s in summary.items():
        if s:
            print("%-10s %12.0f %12.0f %14.1f" % (name, s["urpc"], s["kipc"], s["stream"]))
    base = summary.get("A out")
    for name in ("B in", "C in,off"):
        s = summary.get(name)
        if base and s:
            print("%s / A: urpc %.3f  kipc %.3f  stream %.3f" % (
                name, s["urpc"] / base["urpc"], s["kipc"] / base["kipc"],
                s["stream"] / base["stream"]))
    with open(os.path.join(a.out, "trace-ab.json"), "w") as f:
        json.dump({"rounds": results, "summary": summary}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
