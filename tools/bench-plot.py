#!/usr/bin/python3
"""Plot the benchmarks' JSON with Debian's /usr/bin/python3 (python3-matplotlib).

  bench-plot.py pingpong.json pingpong.png          core-pair heatmap + IPC paths
  bench-plot.py --scale scale.json scale.png        boot time, broadcast, names vs cores
"""
import json
import sys

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("bench-plot: matplotlib missing (apt-get install python3-matplotlib); no picture")
    sys.exit(0)


def main(src, dst):
    with open(src) as f:
        d = json.load(f)
    rows, s = d["pairs"], d["summary"]
    cores = sorted({r["src"] for r in rows} | {r["dst"] for r in rows})
    idx = {c: i for i, c in enumerate(cores)}
    grid = [[float("nan")] * len(cores) for _ in cores]
    for r in rows:
        if r["src"] != r["dst"] and r["urpc_med"]:
            grid[idx[r["src"]]][idx[r["dst"]]] = r["urpc_med"]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 5))
    im = a1.imshow(grid, cmap="viridis")
    a1.set_xticks(range(len(cores)), cores)
    a1.set_yticks(range(len(cores)), cores)
    a1.set_xlabel("destination core")
    a1.set_ylabel("source core")
    a1.set_title("URPC round trip, median TSC cycles")
    fig.colorbar(im, ax=a1)
    paths = [("URPC", s.get("urpc_rtt")), ("kernel IPC\ncross-core", s.get("kipc_rtt")),
             ("kernel IPC\nsame core", s.get("kipc_same_rtt")),
             ("Linux shm", s.get("linux_shm_rtt")), ("Linux pipe", s.get("linux_pipe_rtt"))]
    paths = [(n, v) for n, v in paths if v]
    a2.bar([n for n, _ in paths], [v for _, v in paths], color="tab:blue")
    a2.set_yscale("log")
    a2.set_ylabel("round trip, median TSC cycles (log)")
    a2.set_title("IPC paths (-smp %s, TCG: ratios matter)" % d.get("smp"))
    fig.tight_layout()
    fig.savefig(dst, dpi=100)
    print("wrote %s" % dst)


def names_plot(ax, rows):
    """Name register and lookup latency, replicated vs central registry."""
    for mode, mark in (("replicated", "o"), ("central", "s")):
        for key, style, what in (("reg_us", "-", "register"), ("look_us", "--", "lookup")):
            pts = [(r["cores"], r["names"][mode][key]) for r in rows
                   if (r.get("names") or {}).get(mode)]
            if pts:
                ax.plot([x for x, _ in pts], [y for _, y in pts], mark + style,
                        label="%s, %s" % (what, mode))
    pts = [(r["cores"], r["names"]["base"]["reg_us"]) for r in rows
           if ((r.get("names") or {}).get("base"))]
    if pts:   # bench-scale --names-base: the older build's registration
        ax.plot([x for x, _ in pts], [y for _, y in pts], "^:", label="register, base build")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("cores")
    ax.set_ylabel("us, median (log)")
    ax.set_title("name registry (TCG)")
    ax.legend()


def scale(src, dst):
    with open(src) as f:
        rows = json.load(f)["rows"]
    n = [r["cores"] for r in rows]
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(18, 5))
    a1.plot(n, [r.get("kernel_ms") or 0 for r in rows], "o-", label="multikernel, firmware excluded")
    a1.plot(n, [r.get("wall_ms") or 0 for r in rows], "s-", label="multikernel, QEMU start to up")
    if any(r.get("fw_ms") for r in rows):
        a1.plot(n, [r.get("fw_ms") or 0 for r in rows], "x--",
                label="QEMU start to the kernel's first line")
    lx = [(r["cores"], r["linux"]["wall_s"] * 1000) for r in rows if r["linux"].get("wall_s")]
    if lx:
        a1.plot([x for x, _ in lx], [y for _, y in lx], "^-", label="Linux, QEMU start to /init")
    a1.set_xscale("log", base=2)
    a1.set_xlabel("cores")
    a1.set_ylabel("ms")
    a1.set_title("boot time")
    a1.legend()
    b = [(r["cores"], r["bcast"]) for r in rows if r.get("bcast")]
    a2.plot([x for x, _ in b], [c["tree_ns"] / 1000 for _, c in b], "o-", label="tree")
    a2.plot([x for x, _ in b], [c["seq_ns"] / 1000 for _, c in b], "s-", label="sequential unicasts")
    a2.set_xscale("log", base=2)
    a2.set_xlabel("cores")
    a2.set_ylabel("us per broadcast")
    a2.set_title("broadcast to all cores (TCG)")
    a2.legend()
    names_plot(a3, rows)
    fig.tight_layout()
    fig.savefig(dst, dpi=100)
    print("wrote %s" % dst)


if __name__ == "__main__":
    if sys.argv[1] == "--scale":
        scale(sys.argv[2], sys.argv[3])
    else:
        main(sys.argv[1], sys.argv[2])
