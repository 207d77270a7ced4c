#!/usr/bin/env python3
"""bench-urpc-ab.py: URPC before/after on the host, A/B/A/B in one run.

    tools/bench-urpc-ab.py [--base COMMIT] [--rounds N] [--args "..."]

Builds tests/urpc/bench_host.c of this tree twice: A against the urpc
library (urpc/, include/urpc/, tests/urpc/urpc_linux.c) of COMMIT (default
main), checked out with `git worktree add --detach` under build/ab/, and B
against this tree's library.  Then runs A and B alternately N times (default
6) with the same bench arguments (default "-n 100000 -m 1000000 -r 3
-k raw,urpc,urpc-b16,ck_ring"), and prints for every mechanism and figure
the median over the rounds of B/A, plus the medians of A and B.  Alternating
in one run and taking the median of per-round ratios is what makes the
comparison hold on a loaded, shared machine; the absolute figures still
depend on the host.  Writes build/bench/urpc-ab.json.  Measures; asserts
nothing.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build", "ab")
FIGURES = (("rtt_median_ns", "rtt med ns", False),
           ("rtt_p99_ns", "rtt p99 ns", False),
           ("stream_msgs_per_s", "stream msg/s", True))


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def base_tree(commit):
    path = os.path.join(BUILD, "base")
    if os.path.isdir(path):
        run(["git", "-C", path, "checkout", "-q", "--detach", commit])
    else:
        os.makedirs(BUILD, exist_ok=True)
        run(["git", "-C", ROOT, "worktree", "add", "-q", "--detach", path,
             commit])
    return path


def build(lib_root, out):
    srcs = [os.path.join(ROOT, "tests/urpc/bench_host.c"),
            os.path.join(lib_root, "tests/urpc/urpc_linux.c")]
    srcs += sorted(os.path.join(lib_root, "urpc", f)
                   for f in os.listdir(os.path.join(lib_root, "urpc"))
                   if f.endswith(".c"))
    run(["gcc", "-std=gnu11", "-O2", "-g", "-Wall", "-Wextra",
         "-I" + os.path.join(lib_root, "include"),
         "-I" + os.path.join(lib_root, "tests/urpc"),
         "-o", out] + srcs + ["-lhwloc", "-lpthread"])


def bench(exe, args, json_out):
    run([exe] + args + ["-o", json_out], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    with open(json_out) as f:
        return {r["name"]: r for r in json.load(f)["results"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default="main")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--args", default="-n 100000 -m 1000000 -r 3 "
                    "-k raw,urpc,urpc-b16,ck_ring")
    o = ap.parse_args()
    commit = subprocess.check_output(
        ["git", "-C", ROOT, "rev-parse", o.base], text=True).strip()
    exe_a, exe_b = os.path.join(BUILD, "bench_a"), os.path.join(BUILD,
                                                                "bench_b")
    build(base_tree(commit), exe_a)
    build(ROOT, exe_b)
    args = o.args.split()
    rows = {}                   # (mech, fig) -> {"a": [], "b": [], "r": []}
    for i in range(o.rounds):
        a = bench(exe_a, args, os.path.join(BUILD, "a.json"))
        b = bench(exe_b, args, os.path.join(BUILD, "b.json"))
        for mech in b:
            for key, _, _ in FIGURES:
                if key in b[mech] and mech in a and key in a[mech]:
                    va, vb = a[mech][key]["median"], b[mech][key]["median"]
                    d = rows.setdefault((mech, key), {"a": [], "b": [],
                                                      "r": []})
                    d["a"].append(va)
                    d["b"].append(vb)
                    d["r"].append(vb / va if va else float("nan"))
        print(f"  round {i + 1} of {o.rounds} done", file=sys.stderr)
    print(f"\nURPC A/B on the host: A = library of {commit[:10]}, B = this "
          f"tree; {o.rounds} alternating rounds of `bench_host {o.args}`\n")
    print(f"{'mechanism':<13} {'figure':<14} {'A median':>12} "
          f"{'B median':>12} {'B/A median':>10} {'B/A min..max':>14}")
    out = []
    for (mech, key), d in rows.items():
        label = next(lbl for k, lbl, _ in FIGURES if k == key)
        ma, mb, mr = (statistics.median(d["a"]), statistics.median(d["b"]),
                      statistics.median(d["r"]))
        print(f"{mech:<13} {label:<14} {ma:>12.1f} {mb:>12.1f} {mr:>9.3f}x "
              f"{min(d['r']):>6.2f}..{max(d['r']):<6.2f}")
        out.append({"mechanism": mech, "figure": key, "a_median": ma,
                    "b_median": mb, "b_over_a_median": mr,
                    "b_over_a": d["r"]})
    os.makedirs(os.path.join(ROOT, "build", "bench"), exist_ok=True)
    with open(os.path.join(ROOT, "build", "bench", "urpc-ab.json"), "w") as f:
        json.dump({"base": commit, "rounds": o.rounds, "args": o.args,
                   "rows": out}, f, indent=1)
    print("\n(rtt: lower is better; stream: higher is better.  Figures "
          "depend on the host.)")


if __name__ == "__main__":
    main()
