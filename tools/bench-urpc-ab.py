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

    tools/bench-urpc-ab.py --guest [--smp 4] [--base COMMIT] [--rounds N]
                           [--iters 2000] [--linux] [--a-build DIR]
                           [--b-build DIR]

The same in the guest: builds the whole OS of COMMIT in its worktree (or
takes an existing build directory of any tree with --a-build), then runs
this tree's tools/bench.py (make bench) alternately against A's build and
this tree's build, N rounds, and prints per round and as medians: URPC
round trip (B/A), URPC / raw word within each run, streaming messages per
round-trip time and, with --linux, URPC / Linux shared memory.  Writes
build/bench/urpc-ab-guest.json.
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
           ("rtt_p99_over_median", "p99/median", False),
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
        res = {r["name"]: r for r in json.load(f)["results"]}
    for r in res.values():      # the tail's shape, per run (-r repetitions)
        if "rtt_median_ns" in r and "rtt_p99_ns" in r and \
                r["rtt_median_ns"]["median"]:
            r["rtt_p99_over_median"] = {"median": r["rtt_p99_ns"]["median"] /
                                        r["rtt_median_ns"]["median"]}
    return res


GUEST_FIGS = ("bare_rtt", "urpc_rtt", "raw_rtt", "urpc_p99", "bare_over_raw",
              "urpc_over_raw", "stream_msgs_per_rtt", "stream_blk_per_rtt",
              "stream_blk_per_kcycle", "linux_shm_rtt", "bare_over_shm",
              "urpc_over_shm")


def guest_bench(build_dir, o, out):
    env = dict(os.environ, BUILD=build_dir)
    cmd = [sys.executable, os.path.join(ROOT, "tools", "bench.py"),
           "--smp", str(o.smp), "--iters", str(o.iters), "--out", out]
    if not o.linux:
        cmd.append("--no-linux")
    run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(out, "pingpong.json")) as f:
        s = json.load(f)["summary"]
    if not s.get("urpc_over_raw"):    # a tree before the interleaved trips
        s["urpc_over_raw"] = (s["urpc_rtt"] / s["raw_rtt"]
                              if s.get("raw_rtt") else 0)
    for k in ("bare", "urpc"):
        s[k + "_over_shm"] = (s.get(k + "_rtt", 0) / s["linux_shm_rtt"]
                              if s.get("linux_shm_rtt") else 0)
    return s


def guest_main(o, commit):
    if o.a_build:
        a_build, a_name = os.path.abspath(o.a_build), o.a_build
    else:
        tree = base_tree(commit)
        run(["make", "-C", tree, "-j2"], stdout=subprocess.DEVNULL)
        a_build, a_name = os.path.join(tree, "build"), commit[:10]
    if o.b_build:
        b_build = os.path.abspath(o.b_build)
    else:
        b_build = os.environ.get("BUILD", os.path.join(ROOT, "build"))
        run(["make", "-C", ROOT, "-j2"], stdout=subprocess.DEVNULL)
    rounds = []
    for i in range(o.rounds):
        a = guest_bench(a_build, o, os.path.join(BUILD, "guest-a"))
        b = guest_bench(b_build, o, os.path.join(BUILD, "guest-b"))
        rounds.append({"a": {k: a.get(k, 0) for k in GUEST_FIGS},
                       "b": {k: b.get(k, 0) for k in GUEST_FIGS}})
        print(f"  round {i + 1}: bare A {a.get('bare_rtt', 0):.0f} B "
              f"{b.get('bare_rtt', 0):.0f}, urpc A {a['urpc_rtt']:.0f} B "
              f"{b['urpc_rtt']:.0f} cycles, bare/raw A "
              f"{a.get('bare_over_raw', 0):.2f}x B {b.get('bare_over_raw', 0):.2f}x, urpc/raw A "
              f"{a['urpc_over_raw']:.2f}x B {b['urpc_over_raw']:.2f}x, "
              f"stream/rtt A {a['stream_msgs_per_rtt']:.1f} B "
              f"{b['stream_msgs_per_rtt']:.1f}, median block/rtt A "
              f"{a.get('stream_blk_per_rtt', 0):.1f} B "
              f"{b.get('stream_blk_per_rtt', 0):.1f}", file=sys.stderr)
    print(f"\nURPC A/B in the guest (-smp {o.smp}): A = {a_name}, B = this "
          f"tree; {o.rounds} alternating rounds of `tools/bench.py --smp "
          f"{o.smp} --iters {o.iters}{'' if o.linux else ' --no-linux'}`\n")
    print(f"{'figure':<22} {'A median':>10} {'B median':>10} "
          f"{'B/A median':>10} {'B/A min..max':>14}")
    out = []
    for k in GUEST_FIGS:
        va = [r["a"][k] for r in rounds]
        vb = [r["b"][k] for r in rounds]
        rr = [y / x for x, y in zip(va, vb) if x and y]
        if not rr:
            continue
        ma, mb, mr = statistics.median(va), statistics.median(vb), \
            statistics.median(rr)
        print(f"{k:<22} {ma:>10.2f} {mb:>10.2f} {mr:>9.3f}x "
              f"{min(rr):>6.2f}..{max(rr):<6.2f}")
        out.append({"figure": k, "a_median": ma, "b_median": mb,
                    "b_over_a_median": mr, "b_over_a": rr})
    os.makedirs(os.path.join(ROOT, "build", "bench"), exist_ok=True)
    with open(os.path.join(ROOT, "build", "bench", "urpc-ab-guest.json"),
              "w") as f:
        json.dump({"base": a_name, "smp": o.smp, "rounds": rounds,
                   "iters": o.iters, "rows": out}, f, indent=1)
    print("\n(TSC cycles under TCG: compare ratios.  The figures depend "
          "on the host.)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default="main")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--args", default="-n 100000 -m 1000000 -r 3 "
                    "-k raw,urpc,urpc-b16,ck_ring")
    ap.add_argument("--guest", action="store_true")
    ap.add_argument("--smp", default="4")
    ap.add_argument("--iters", type=int, default=2000)
    ap.add_argument("--linux", action="store_true")
    ap.add_argument("--a-build", default="")
    ap.add_argument("--b-build", default="",
                    help="B's build directory, already built (default: "
                    "build this tree)")
    o = ap.parse_args()
    commit = subprocess.check_output(
        ["git", "-C", ROOT, "rev-parse", o.base], text=True).strip()
    if o.guest:
        guest_main(o, commit)
        return
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
        prec = 3 if max(ma, mb) < 10 else 1     # a ratio such as p99/median
        print(f"{mech:<13} {label:<14} {ma:>12.{prec}f} {mb:>12.{prec}f} {mr:>9.3f}x "
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
