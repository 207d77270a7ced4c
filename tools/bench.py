#!/usr/bin/env python3
"""The cross-core ping-pong benchmark (make bench).

Usage: bench.py [--smp 4] [--topo DESC] [--mem 512M] [--iters 2000]
                [--stream 20000] [--pairs all|sample] [--no-linux]
                [--linux-iters N] [--out build/bench] [--timeout S]

1. Boots the multikernel with tools/manifests/bench.manifest: apps/pingpong
   measures, for every ordered core pair (a sample above 8 cores), four
   round trips of 8 bytes interleaved block by block (so all four see the
   same host conditions): URPC's own (urpc_send + urpc_recv), the IDL
   layer's over it (pp_send_ping, pp_msg_check), the raw word (no
   protocol, Linux shm's loop: one word both ways in one line) and the raw
   ring (no protocol, URPC's memory pattern: a line per direction, a new
   slot line each trip) (median, p99, min, TSC cycles); URPC
   one-way streaming, and the kernel-IPC round trip (CPU drivers + IPI),
   plus the same-core kernel path.  Progress lines are shown as they come;
   the host's load average at each pair's start is kept (pairs run one
   after the other, so a busy spell of the host shows as a run of slow
   pairs, URPC and raw word alike).
2. Boots Debian's Linux kernel in the same QEMU configuration
   (tools/linuxbench) and runs a shared-memory (one cache line, two pinned
   threads) and a pipe ping-pong on some of the same pairs.
3. Prints the latency matrix and one table with the ratios, writes
   OUT/pingpong.json, and OUT/pingpong.png (heatmap + bar chart) through
   tools/bench-plot.py under Debian's /usr/bin/python3 with matplotlib.

A benchmark, not a test: it asserts nothing.  Under QEMU's TCG the cycle
counts are emulated, so compare ratios, not absolute numbers.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu  # noqa: E402

APPS = os.path.join(qemu.BUILD, "apps")
RESULT = re.compile(r"core 0: pingpong: result pair=(\d+) src=(\d+) dst=(\d+) "
                    r"urpc_med=(\d+) urpc_p99=(\d+) urpc_min=(\d+) stream_msgs=(\d+) "
                    r"stream_cycles=(\d+) kipc_med=(\d+) kipc_p99=(\d+) kipc_min=(\d+) "
                    r"raw_med=(\d+) err=(-?\d+)(?: stream_waits=(\d+))?"
                    r"(?: bare_med=(\d+) bare_p99=(\d+) bare_min=(\d+) bare_waits=(\d+) "
                    r"urpc_waits=(\d+) rounds=(\d+))?(?: raw_p99=(\d+) raw_min=(\d+))?"
                    r"(?: sblk_med=(\d+) sblk_p99=(\d+) sblk_min=(\d+) sblk_msgs=(\d+))?"
                    r"(?: ring_med=(\d+) ring_p99=(\d+) ring_min=(\d+))?")
DONE = re.compile(r"core 0: pingpong: done pairs=(\d+) failed=(\d+) tsc_hz=(\d+)")


def write_manifest(out, iters, stream, pairs):
    with open(os.path.join(ROOT, "tools", "manifests", "bench.manifest")) as f:
        text = f.read()
    text = text.replace("@ITERS@", str(iters)).replace("@STREAM@", str(stream))
    text = text.replace("@PAIRS@", pairs)
    path = os.path.join(out, "bench.manifest")
    with open(path, "w") as f:
        f.write(text)
    return path


def parse(text):
    rows = []
    for m in RESULT.finditer(text):
        g = [int(x) if x is not None else 0 for x in m.groups()]
        rows.append({"pair": g[0], "src": g[1], "dst": g[2], "urpc_med": g[3],
                     "urpc_p99": g[4], "urpc_min": g[5], "stream_msgs": g[6],
                     "stream_cycles": g[7], "kipc_med": g[8], "kipc_p99": g[9],
                     "kipc_min": g[10], "raw_med": g[11], "err": g[12],
                     "stream_waits": g[13], "bare_med": g[14], "bare_p99": g[15],
                     "bare_min": g[16], "bare_waits": g[17], "urpc_waits": g[18],
                     "rounds": g[19], "raw_p99": g[20], "raw_min": g[21],
                     "sblk_med": g[22], "sblk_p99": g[23], "sblk_min": g[24], "sblk_msgs": g[25],
                     "ring_med": g[26], "ring_p99": g[27], "ring_min": g[28]})
    done = DONE.search(text)
    return rows, (int(done.group(3)) if done else 0)


def run_os(a, out):
    manifest = write_manifest(out, a.iters, a.stream, a.pairs)
    mods = [os.path.join(APPS, "monitor"), os.path.join(APPS, "pingpong")]
    cmd = qemu.build_command(smp=a.smp, mem=a.mem, topo=a.topo, modules=mods + [manifest])
    seen = [0]
    load = {}                   # pair index -> host load average when it started

    def progress(text):
        lines = text.split("\n")[:-1]          # complete lines only
        for line in lines[seen[0]:]:
            if "pingpong: progress" in line or "pingpong: start" in line:
                print("  os: " + line.split("pingpong: ", 1)[1].rstrip(), flush=True)
            m = re.search(r"pingpong: progress (\d+)/", line)
            if m:
                load[int(m.group(1)) - 1] = os.getloadavg()[0]
        seen[0] = len(lines)
        return False

    t0 = time.monotonic()
    code, text = qemu.run(cmd, timeout=a.timeout, echo=False, stop_on=progress)
    with open(os.path.join(out, "pingpong-os.log"), "w") as f:
        f.write(text)
    rows, hz = parse(text)
    for r in rows:
        r["host_load"] = load.get(r["pair"], 0.0)
    return code, rows, hz, time.monotonic() - t0


def run_linux(a, rows):
    try:
        sys.path.insert(0, os.path.join(ROOT, "tools", "linuxbench"))
        import run as linuxbench  # tools/linuxbench/run.py
    except ImportError as e:
        return {"error": "tools/linuxbench unavailable: %s" % e}
    pairs = [(r["src"], r["dst"]) for r in rows if r["src"] != r["dst"]][:4] or [(0, 1)]
    try:
        smp = int(str(a.smp).split(",")[0])
        if a.topo:
            import topo as topo_tool  # tools/topo.py
            smp = topo_tool.machine(a.topo).ncpus
        res = linuxbench.run_linux(smp=smp, mem=a.mem, pairs=pairs,
                                   iters=a.linux_iters, echo=False,
                                   kinds=linuxbench.KINDS)
    except Exception as e:  # the Linux side is optional: report, do not fail
        return {"error": str(e)}
    return {"results": res}


def med(xs):
    xs = [x for x in xs if x]
    return statistics.median(xs) if xs else 0


def summarize(rows, hz, linux):
    cross = [r for r in rows if r["src"] != r["dst"] and r["err"] == 0]
    same = [r for r in rows if r["src"] == r["dst"] and r["err"] == 0]
    s = {"urpc_rtt": med(r["urpc_med"] for r in cross),
         "bare_rtt": med(r["bare_med"] for r in cross),
         "bare_p99": med(r["bare_p99"] for r in cross),
         "bare_waits": med(r["bare_waits"] for r in cross),
         "bare_min": med(r["bare_min"] for r in cross),
         "urpc_min": med(r["urpc_min"] for r in cross),
         "raw_min": med(r.get("raw_min", 0) for r in cross),
         "urpc_waits": med(r["urpc_waits"] for r in cross),
         "raw_rtt": med(r["raw_med"] for r in cross),
         "raw_p99": med(r["raw_p99"] for r in cross),
         "ring_rtt": med(r["ring_med"] for r in cross),
         "ring_p99": med(r["ring_p99"] for r in cross),
         "ring_min": med(r["ring_min"] for r in cross),
         "urpc_p99": med(r["urpc_p99"] for r in cross),
         "kipc_rtt": med(r["kipc_med"] for r in cross),
         "kipc_p99": med(r["kipc_p99"] for r in cross),
         "kipc_same_rtt": med(r["kipc_med"] for r in same),
         "tsc_hz": hz}
    streams = [r["stream_msgs"] * 1000.0 / r["stream_cycles"] for r in cross if r["stream_cycles"]]
    s["stream_msgs_per_kcycle"] = statistics.median(streams) if streams else 0
    s["stream_msgs_per_s"] = s["stream_msgs_per_kcycle"] * hz / 1000.0 if hz else 0
    rtt = s["bare_rtt"] or s["urpc_rtt"]
    s["stream_msgs_per_rtt"] = s["stream_msgs_per_kcycle"] * rtt / 1000.0
    # per pair, from the median stream block and the median URPC trip measured in the same
    # interleaved blocks (equal host conditions); the whole stream above includes every stall
    s["stream_blk_per_rtt"] = med(r["sblk_msgs"] * r["bare_med"] / r["sblk_med"] for r in cross
                                  if r.get("sblk_med") and r["bare_med"])
    s["stream_blk_per_kcycle"] = med(r["sblk_msgs"] * 1000.0 / r["sblk_med"] for r in cross
                                     if r.get("sblk_med"))
    for key in ("bare", "urpc"):     # per pair, from trips measured interleaved
        for base in ("raw", "ring"):
            s["%s_over_%s" % (key, base)] = med(r["%s_med" % key] / r["%s_med" % base]
                                                for r in cross
                                                if r["%s_med" % key] and r["%s_med" % base])
    s["ring_over_raw"] = med(r["ring_med"] / r["raw_med"] for r in cross
                             if r["ring_med"] and r["raw_med"])
    s["stream_waits"] = statistics.median(r.get("stream_waits", 0) for r in cross) if cross else 0
    s["stream_waits_max"] = max((r.get("stream_waits", 0) for r in cross), default=0)
    for kind in ("shm", "shmnp", "pipe", "futex", "eventfd"):
        vals = [x for x in linux.get("results", []) if x.get("kind") == kind]
        s["linux_%s_rtt" % kind] = med(x.get("median") or 0 for x in vals)
    return s


def ratio(a, b):
    return "%.2fx" % (a / b) if a and b else "-"


def print_report(rows, s, n):
    cores = sorted({r["src"] for r in rows} | {r["dst"] for r in rows})
    for key, what in (("bare_med", "URPC round trip (urpc_send + urpc_recv, 8 bytes)"),
                      ("urpc_med", "IDL-layer round trip (pp_send_ping, pp_msg_check, 8 bytes)"),
                      ("raw_med", "raw word in the OS (no protocol)"),
                      ("ring_med", "raw ring in the OS (no protocol, URPC's memory pattern)")):
        print("\n%s, median TSC cycles (rows: source core, columns: destination)" % what)
        print("%6s " % "src" + " ".join("%8d" % d for d in cores))
        for c in cores:
            cells = []
            for d in cores:
                v = [r[key] for r in rows if r["src"] == c and r["dst"] == d and c != d]
                cells.append("%8d" % v[0] if v and v[0] else "%8s" % "-")
            print("%6d " % c + " ".join(cells))
    for key, what in (("bare_med", "URPC"), ("urpc_med", "IDL layer")):
        for base, bwhat in (("raw_med", "raw word"), ("ring_med", "raw ring")):
            ratios = [r[key] / r[base] for r in rows
                      if r["src"] != r["dst"] and r[key] and r[base]]
            if ratios:
                print("%s / %s, per pair (measured interleaved): median %.2fx, min %.2fx, "
                      "max %.2fx" % (what, bwhat, statistics.median(ratios), min(ratios),
                                     max(ratios)))
    print("pairs in the order they ran (host load average at their start): "
          + ", ".join("%d->%d %d/%d (%.0f)" % (r["src"], r["dst"], r["bare_med"], r["raw_med"],
                                               r.get("host_load", 0))
                      for r in sorted(rows, key=lambda r: r["pair"]) if r["src"] != r["dst"])
          + "  [URPC/raw cycles]")
    print("client's receive sleeps during the round trips (median over pairs): URPC %d, "
          "IDL layer %d" % (s["bare_waits"], s["urpc_waits"]))
    print("fastest single trip (median over pairs): URPC %d, IDL layer %d, raw word %d, "
          "raw ring %d cycles; URPC / raw word %s, URPC / raw ring %s"
          % (s["bare_min"], s["urpc_min"], s["raw_min"], s["ring_min"],
             ratio(s["bare_min"], s["raw_min"]), ratio(s["bare_min"], s["ring_min"])))
    u = s["bare_rtt"] or s["urpc_rtt"]
    print("\n%-34s %12s %12s %14s" % ("path (median over pairs)", "rtt cycles", "p99", "vs URPC"))
    table = [("URPC, cross-core", u, s["bare_p99"]),
             ("IDL layer over URPC, cross-core", s["urpc_rtt"], s["urpc_p99"]),
             ("raw cache line in the OS (limit)", s["raw_rtt"], s["raw_p99"]),
             ("raw ring in the OS (URPC's lines)", s["ring_rtt"], s["ring_p99"]),
             ("kernel IPC, cross-core (IPI)", s["kipc_rtt"], s["kipc_p99"]),
             ("kernel IPC, same core", s["kipc_same_rtt"], 0),
             ("Linux shared memory (same QEMU)", s["linux_shm_rtt"], 0),
             ("Linux shm, no pause (same QEMU)", s["linux_shmnp_rtt"], 0),
             ("Linux pipe (same QEMU)", s["linux_pipe_rtt"], 0),
             ("Linux futex wake-up (same QEMU)", s["linux_futex_rtt"], 0),
             ("Linux eventfd (same QEMU)", s["linux_eventfd_rtt"], 0)]
    for name, v, p99 in table:
        print("%-34s %12s %12s %14s" % (name, "%d" % v if v else "-", "%d" % p99 if p99 else "-",
                                        ratio(v, u)))
    print("\nURPC streaming, whole stream (every host stall included): %.1f messages per "
          "kilocycle (%.2f M messages/s at the TSC rate), %.1f messages per URPC round-trip time"
          % (s["stream_msgs_per_kcycle"], s["stream_msgs_per_s"] / 1e6, s["stream_msgs_per_rtt"]))
    if s.get("stream_blk_per_rtt"):
        print("URPC streaming, median block of each pair (interleaved with the round trips): "
              "%.1f messages per kilocycle, %.1f messages per URPC round-trip time (per pair, "
              "median over pairs; target >= 4)" % (s["stream_blk_per_kcycle"],
                                                   s["stream_blk_per_rtt"]))
    print("URPC streaming: the server's receive slept %d times per stream (median over pairs, "
          "max %d)" % (s["stream_waits"], s["stream_waits_max"]))
    print("Ratios: URPC / Linux shm without pause (the same loop as URPC's poll) = %s; "
          "raw line in the OS / Linux shm without pause = %s"
          % (ratio(u, s["linux_shmnp_rtt"]), ratio(s["raw_rtt"], s["linux_shmnp_rtt"])))
    print("Ratios: URPC / Linux shm = %s (target <= 1.3x); IDL layer / Linux shm = %s; "
          "URPC / raw line in the OS = %s; raw line in the OS / Linux shm = %s; "
          "Linux pipe / URPC = %s (target >= 10x); kernel IPC / URPC = %s"
          % (ratio(u, s["linux_shm_rtt"]), ratio(s["urpc_rtt"], s["linux_shm_rtt"]),
             ratio(u, s["raw_rtt"]), ratio(s["raw_rtt"], s["linux_shm_rtt"]),
             ratio(s["linux_pipe_rtt"], u), ratio(s["kipc_rtt"], u)))
    print("Ratios per pair (median over pairs, measured interleaved): URPC / raw word = %s; "
          "URPC / raw ring (same memory pattern) = %s; raw ring / raw word (the memory "
          "pattern's cost) = %s"
          % ("%.2fx" % s["bare_over_raw"] if s["bare_over_raw"] else "-",
             "%.2fx" % s["bare_over_ring"] if s["bare_over_ring"] else "-",
             "%.2fx" % s["ring_over_raw"] if s["ring_over_raw"] else "-"))
    print("TCG caveat: cycles are emulated and the host is shared; read the ratios.")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smp", default="4")
    ap.add_argument("--topo", default="")
    ap.add_argument("--mem", default="512M")
    ap.add_argument("--iters", type=int, default=2000)
    ap.add_argument("--stream", type=int, default=20000)
    ap.add_argument("--pairs", default="all", choices=("all", "sample"))
    ap.add_argument("--no-linux", action="store_true")
    ap.add_argument("--linux-iters", type=int, default=2000)
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--out", default=os.path.join(qemu.BUILD, "bench"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    print("ping-pong benchmark: -smp %s%s, %d round trips per pair (takes minutes under TCG)"
          % (a.smp, " topo '%s'" % a.topo if a.topo else "", a.iters), flush=True)
    code, rows, hz, secs = run_os(a, a.out)
    print("  os: %d pairs in %.0f s (exit %d)" % (len(rows), secs, code), flush=True)
    if not rows:
        print("bench: no results from the OS run; see %s/pingpong-os.log" % a.out)
        return 1
    linux = {"skipped": True} if a.no_linux else run_linux(a, rows)
    if "error" in linux:
        print("  linux: not run: %s" % linux["error"])
    elif "results" in linux:
        print("  linux: %d measurements (boot to first result %.0f s)"
              % (len(linux["results"]), linux["results"][0].get("boot_wall_s") or 0))
    s = summarize(rows, hz, linux)
    print_report(rows, s, a.smp)
    data = {"benchmark": "pingpong", "smp": a.smp, "topo": a.topo, "iters": a.iters,
            "stream": a.stream, "pairs": rows, "summary": s, "linux": linux}
    path = os.path.join(a.out, "pingpong.json")
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
    print("wrote %s" % path)
    png = os.path.join(a.out, "pingpong.png")
    r = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tools", "bench-plot.py"),
                        path, png], capture_output=True, text=True)
    print(r.stdout.strip() or r.stderr.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
