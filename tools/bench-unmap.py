#!/usr/bin/env python3
"""make bench-unmap: unmap latency of one page touched on N cores, ours beside Linux's.

Usage: bench-unmap.py [--cores 2,4,8,16,32] [--rounds R] [--busy-rounds B] [--variants]
                      [--linux-busy] [--no-busy] [--mem 1G] [--out DIR]

For every N, boots in the same QEMU configuration (tools/qemu.py's command,
-smp N):
  ours      the multikernel with `monitor all` and `spanvm 0 bench N R
            lazy,tree`: one domain spanning N cores; each round maps a page
            on every core (libos_span_map), a thread on every core writes
            to it and ends (the domain's dispatchers there go idle), and
            the caller times libos_span_unmap.  The rounds alternate
            between the lazy mode (the default: the change is queued for
            every core and only cores where the domain runs right now get
            a message; "ours") and the eager tree (every core's monitor
            changes its replica before the unmap returns; "tree"), A/B/A/B
            in one boot.  --variants adds unicast and sequential;
  ours busy (unless --no-busy) the same with `busy`: a thread of the
            domain spins on every other core through all rounds (it writes
            the page when told), so the domain runs on every core and each
            must answer by message, lazy or not; B rounds;
  linux     Debian's kernel with the linuxbench initramfs running `unmap N
            R` (tools/linuxbench/unmap.c): N threads pinned to CPUs 0..N-1
            write to an anonymous page and sleep, the main thread times
            munmap; it also counts the TLB shootdown interrupts of the run;
  linux busy (--linux-busy) the threads spin instead of sleeping.
Both sides: median and p99, in TSC cycles as read in the guest.
Writes build/bench/unmap.json as {"rows": [{"cores", "ours_median",
"ours_p99", "linux_median", "linux_p99", "tree_median", "tree_p99",
"oursbusy_median", "treebusy_median", "linuxbusy_median", ..., "load"}]}
(load: the host's 1-minute load average when the row was measured) and
unmap.png, and prints tables with the ratios to Linux at each N.  A
measurement, never a test: under TCG on a small host every cross-core hop
wakes a halted vCPU, so read the ratios and the growth with N, not the
absolute cycles.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tools", "linuxbench"))
import qemu  # noqa: E402
import run as linuxbench  # noqa: E402

BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))


MODES = ("lazy", "tree", "unicast", "seq")


def ours(n, rounds, mem, busy=False, variants=False):
    modes = MODES if variants else MODES[:2]
    man = os.path.join(BUILD, "bench-unmap-%d%s.manifest" % (n, "-busy" if busy else ""))
    with open(man, "w") as f:
        f.write("monitor all\nspanvm 0 span=all bench %d %d%s %s\n"
                % (n, rounds, " busy" if busy else "", ",".join(modes)))
    mods = [os.path.join(BUILD, "apps", m) for m in ("monitor", "spanvm")] + [man]
    cmd = qemu.build_command(smp=str(n), mem=mem, modules=mods)
    t0 = time.monotonic()
    last = "unmaps (%s%s)" % (modes[-1], ", busy" if busy else "")
    code, out = qemu.run(cmd, timeout=300 + 20 * n + 3 * rounds * len(modes) * max(1, n // 4),
                         echo=False, stop_on=lambda t: last in t or "WRONG" in t)
    res = {}
    for m in re.finditer(r"bench (\d+) cores: median (\d+) p99 (\d+) cycles over (\d+) "
                         r"unmaps \((\w+)(, busy)?\)", out):
        res[m.group(5)] = (int(m.group(2)), int(m.group(3)))
    if "lazy" not in res:
        tail = "\n".join(out.replace("\r", "").splitlines()[-15:])
        return {"error": "no result (exit %s)\n%s" % (code, tail)}
    r = {"median": res["lazy"][0], "p99": res["lazy"][1],
         "wall_s": round(time.monotonic() - t0, 1)}
    for mode in modes[1:]:
        if mode in res:
            r[mode + "_median"], r[mode + "_p99"] = res[mode]
    return r


def linux(n, rounds, mem, busy=False):
    import importlib
    initramfs = importlib.import_module("build-initramfs")
    initrd = initramfs.build(quiet=True)
    kernel = linuxbench.find_kernel()
    if not kernel:
        return {"error": "no Linux kernel in /boot (%s)" % linuxbench.APT_LINE}
    append = "%s lb.unmap=%d lb.iters=%d%s" % (linuxbench.BASE_APPEND, n, rounds,
                                              " lb.unmapbusy=1" if busy else "")
    cmd = linuxbench.linux_command(n, mem, kernel, initrd, append)
    t0 = time.monotonic()
    code, out = qemu.run(cmd, timeout=240 + 30 * n + rounds, echo=False,
                         stop_on=lambda t: "LINUXBENCH done" in t)
    m = re.search(r"LINUXBENCH unmap cores=(\d+) rounds=(\d+) median=(\d+) p99=(\d+)", out)
    if not m:
        err = re.search(r"LINUXBENCH error (.*)", out)
        return {"error": err.group(1) if err else "no result (exit %s)" % code}
    ipis = re.search(r"LINUXBENCH unmap .* tlb_ipis=(-?\d+)", out)
    r = {"median": int(m.group(3)), "p99": int(m.group(4)),
         "wall_s": round(time.monotonic() - t0, 1)}
    if ipis and int(ipis.group(1)) >= 0:
        r["tlb_ipis_per_munmap"] = round(int(ipis.group(1)) / rounds, 2)
    return r


def fmt(v):
    return "{:,}".format(v).replace(",", " ") if isinstance(v, int) else "-"


def ratio(a, b):
    return "%.2f" % (a / b) if a and b else "-"


def table(rows):
    lines = ["| cores | ours (lazy) median | ours p99 | tree median | tree p99 | Linux median "
             "| Linux p99 | Linux TLB IPIs per munmap | ours/Linux (median) | ours/Linux (p99) "
             "| tree/Linux (median) | host load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ipis = r.get("linux_tlb_ipis_per_munmap")
        lines.append("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["cores"], fmt(r.get("ours_median")), fmt(r.get("ours_p99")),
            fmt(r.get("tree_median")), fmt(r.get("tree_p99")),
            fmt(r.get("linux_median")), fmt(r.get("linux_p99")),
            "-" if ipis is None else ipis,
            ratio(r.get("ours_median"), r.get("linux_median")),
            ratio(r.get("ours_p99"), r.get("linux_p99")),
            ratio(r.get("tree_median"), r.get("linux_median")), r.get("load", "-")))
    if any(r.get("unicast_median") or r.get("seq_median") for r in rows):
        lines += ["", "The other eager variants (same boots):", "",
                  "| cores | unicast median | unicast p99 | seq median | seq p99 |",
                  "|---|---|---|---|---|"]
        for r in rows:
            lines.append("| %d | %s | %s | %s | %s |" % (
                r["cores"], fmt(r.get("unicast_median")), fmt(r.get("unicast_p99")),
                fmt(r.get("seq_median")), fmt(r.get("seq_p99"))))
    busy = [r for r in rows if r.get("oursbusy_median") or r.get("linuxbusy_median")]
    if busy:
        lines += ["", "With the threads spinning on every core (ours: the domain runs "
                  "everywhere, every core answers; Linux: every munmap interrupts them):", "",
                  "| cores | ours busy (lazy) median | p99 | tree busy median | p99 "
                  "| Linux busy median | p99 | TLB IPIs per munmap | ours busy / Linux busy "
                  "(median) |", "|---|---|---|---|---|---|---|---|---|"]
        for r in busy:
            lines.append("| %d | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                r["cores"], fmt(r.get("oursbusy_median")), fmt(r.get("oursbusy_p99")),
                fmt(r.get("oursbusy_tree_median")), fmt(r.get("oursbusy_tree_p99")),
                fmt(r.get("linuxbusy_median")), fmt(r.get("linuxbusy_p99")),
                r.get("linuxbusy_tlb_ipis_per_munmap", "-"),
                ratio(r.get("oursbusy_median"), r.get("linuxbusy_median"))))
    return "\n".join(lines)


def plot(rows, dst):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
            src = dst[:-4] + ".json"   # Debian's python has python3-matplotlib
            subprocess.run(["/usr/bin/python3", os.path.abspath(__file__), "--plot", src, dst])
            return
        print("bench-unmap: matplotlib missing (apt-get install python3-matplotlib); no picture")
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for key, label in (("ours", "ours: lazy"), ("tree", "ours: eager tree"),
                       ("unicast", "ours: unicast"), ("seq", "ours: sequential"),
                       ("linux", "Linux munmap"), ("oursbusy", "ours: lazy, threads spinning"),
                       ("linuxbusy", "Linux munmap, threads spinning")):
        pts = [(r["cores"], r[key + "_median"], r.get(key + "_p99")) for r in rows
               if r.get(key + "_median")]
        if pts:
            xs, med, p99 = zip(*pts)
            line, = ax.plot(xs, med, marker="o", label=label + " (median)")
            if key in ("ours", "linux"):
                ax.plot(xs, p99, linestyle="--", marker=".", color=line.get_color(),
                        label=label + " (p99)")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("cores that touched the page")
    ax.set_ylabel("unmap latency, TSC cycles")
    ax.set_title("Unmap of one page (QEMU TCG, same configuration)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(dst, dpi=110)
    print("bench-unmap: wrote %s" % dst)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cores", default="2,4,8,16,32")
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--mem", default="1G")
    ap.add_argument("--busy-rounds", type=int, default=30)
    ap.add_argument("--variants", action="store_true", help="also eager unicast and sequential")
    ap.add_argument("--no-busy", action="store_true", help="skip ours with threads spinning")
    ap.add_argument("--linux-busy", action="store_true",
                    help="also Linux with the threads spinning (every munmap must interrupt them)")
    ap.add_argument("--out", default=os.path.join(BUILD, "bench"))
    ap.add_argument("--plot", nargs=2, metavar=("JSON", "PNG"), help="only draw the picture")
    a = ap.parse_args()
    if a.plot:
        with open(a.plot[0]) as f:
            plot(json.load(f)["rows"], a.plot[1])
        return 0
    rows = []
    for n in [int(c) for c in a.cores.split(",")]:
        row = {"cores": n, "rounds": a.rounds, "load": round(os.getloadavg()[0], 1)}
        runs = [("ours", lambda n_, m_: ours(n_, a.rounds, m_, variants=a.variants)),
                ("linux", lambda n_, m_: linux(n_, a.rounds, m_))]
        if not a.no_busy:
            runs.append(("oursbusy", lambda n_, m_: ours(n_, a.busy_rounds, m_, busy=True)))
        if a.linux_busy:
            runs.append(("linuxbusy", lambda n_, m_: linux(n_, a.busy_rounds, m_, busy=True)))
        for key, fn in runs:
            r = fn(n, a.mem)
            if "error" in r:
                print("bench-unmap: %d cores, %s: %s" % (n, key, r["error"]), flush=True)
                row[key + "_error"] = r["error"].splitlines()[0]
                row[key + "_median"] = row[key + "_p99"] = None
                continue
            row[key + "_median"], row[key + "_p99"] = r["median"], r["p99"]
            for k, v in r.items():
                if k not in ("median", "p99", "wall_s"):
                    row[(key + "_" if key != "ours" else "") + k] = v
            print("bench-unmap: %d cores, %s: median %d p99 %d cycles (%.0f s) %s"
                  % (n, key, r["median"], r["p99"], r["wall_s"],
                     {k: v for k, v in r.items() if k not in ("median", "p99", "wall_s")}),
                  flush=True)
        rows.append(row)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "unmap.json"), "w") as f:
        json.dump({"rows": rows}, f, indent=1)
    print(table(rows))
    plot(rows, os.path.join(a.out, "unmap.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
