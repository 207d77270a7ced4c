#!/usr/bin/env python3
"""make bench-unmap: unmap latency of one page touched on N cores, ours beside Linux's.

Usage: bench-unmap.py [--cores 2,4,8,16,32] [--rounds R] [--mem 1G] [--out DIR]

For every N, two boots in the same QEMU configuration (tools/qemu.py's
command, -smp N):
  ours   the multikernel with `monitor all` and `spanvm 0 bench N R all`:
         one domain spanning N cores; each round maps a page on every core
         (libos_span_map), a thread on every core writes to it, and the
         caller times libos_span_unmap, which returns when every core's
         monitor has had its CPU driver drop the page.  R rounds for each
         of the three ways the monitors reach the other cores: along the
         topology tree (tree, the default and the "ours" columns), to
         every core at once (unicast), one core after the other (seq);
  linux  Debian's kernel with the linuxbench initramfs running
         `unmap N R` (tools/linuxbench/unmap.c): N threads pinned to CPUs
         0..N-1 write to an anonymous page, the main thread times munmap;
         it also counts the TLB shootdown interrupts of the run.
Both sides: median and p99 of R rounds, in TSC cycles as read in the guest.
Writes build/bench/unmap.json as {"rows": [{"cores", "ours_median",
"ours_p99", "linux_median", "linux_p99", "unicast_median", "seq_median",
..., "load"}]} (load: the host's 1-minute load average when the row was
measured) and unmap.png, and prints a table with the ratio ours/Linux at
each N.  A measurement, never a test: under TCG on a small host every
cross-core hop wakes a halted vCPU, so read the ratios and the growth with
N, not the absolute cycles.
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


MODES = ("tree", "unicast", "seq")


def ours(n, rounds, mem):
    man = os.path.join(BUILD, "bench-unmap-%d.manifest" % n)
    with open(man, "w") as f:
        f.write("monitor all\nspanvm 0 span=all bench %d %d all\n" % (n, rounds))
    mods = [os.path.join(BUILD, "apps", m) for m in ("monitor", "spanvm")] + [man]
    cmd = qemu.build_command(smp=str(n), mem=mem, modules=mods)
    t0 = time.monotonic()
    code, out = qemu.run(cmd, timeout=300 + 20 * n + 3 * rounds * max(1, n // 4), echo=False,
                         stop_on=lambda t: "unmaps (seq)" in t or "WRONG" in t)
    res = {}
    for m in re.finditer(r"bench (\d+) cores: median (\d+) p99 (\d+) cycles over (\d+) "
                         r"unmaps \((\w+)\)", out):
        res[m.group(5)] = (int(m.group(2)), int(m.group(3)))
    if "tree" not in res:
        tail = "\n".join(out.replace("\r", "").splitlines()[-15:])
        return {"error": "no result (exit %s)\n%s" % (code, tail)}
    r = {"median": res["tree"][0], "p99": res["tree"][1],
         "wall_s": round(time.monotonic() - t0, 1)}
    for mode in MODES[1:]:
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


def table(rows):
    lines = ["| cores | ours (tree) median | ours p99 | unicast median | seq median "
             "| Linux median | Linux p99 | Linux TLB IPIs per munmap | ours/Linux (median) "
             "| host load |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        def f(v):
            return "{:,}".format(v).replace(",", " ") if isinstance(v, int) else "-"
        ratio = ("%.2f" % (r["ours_median"] / r["linux_median"])
                 if r.get("ours_median") and r.get("linux_median") else "-")
        ipis = r.get("linux_tlb_ipis_per_munmap")
        lines.append("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["cores"], f(r.get("ours_median")), f(r.get("ours_p99")),
            f(r.get("unicast_median")), f(r.get("seq_median")),
            f(r.get("linux_median")), f(r.get("linux_p99")),
            "-" if ipis is None else ipis, ratio, r.get("load", "-")))
    busy = [r for r in rows if r.get("linuxbusy_median")]
    if busy:
        lines += ["", "Linux with the threads spinning (every munmap interrupts them):", "",
                  "| cores | Linux busy median | Linux busy p99 | TLB IPIs per munmap "
                  "| ours (tree) / Linux busy |", "|---|---|---|---|---|"]
        for r in busy:
            lines.append("| %d | %s | %s | %s | %s |" % (
                r["cores"], "{:,}".format(r["linuxbusy_median"]).replace(",", " "),
                "{:,}".format(r["linuxbusy_p99"]).replace(",", " "),
                r.get("linuxbusy_tlb_ipis_per_munmap", "-"),
                "%.2f" % (r["ours_median"] / r["linuxbusy_median"]) if r.get("ours_median")
                else "-"))
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
    for key, label in (("ours", "ours: tree"), ("unicast", "ours: unicast"),
                       ("seq", "ours: sequential"), ("linux", "Linux munmap"),
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
        runs = [("ours", ours), ("linux", linux)]
        if a.linux_busy:
            runs.append(("linuxbusy", lambda n_, r_, m_: linux(n_, r_, m_, busy=True)))
        for key, fn in runs:
            r = fn(n, a.rounds, a.mem)
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
