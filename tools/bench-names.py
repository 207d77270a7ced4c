#!/usr/bin/env python3
"""Name registry benchmark: register and lookup latency against the core
count, the replicated registry beside the central one (names=central).

Usage: bench-names.py [--cores 4,8,16] [--lookups 200] [--mem 512M] [--json FILE]
       bench-names.py --base BUILD_DIR [--rounds R] [--cores ...]

Each boot runs apps/namebench on every core: the instances take turns by
core, each times 4 registrations and L lookups, one request at a time (no
contention).  Replicated (the default): a lookup is answered by the
domain's own monitor, a registration is a two-phase commit with every live
monitor.  Central (boot option names=central): both go to core 0.  The two
modes boot alternately for each core count.  Reported per mode, over all
cores' samples:
  reg us     median registration
  look us    median lookup
With --base, an A/B of the replicated registry instead: this build's
against the build in BUILD_DIR (e.g. an older commit built with `make
kernel` in a scratch tree), booted alternately A, B, A, B ... R rounds per
core count; it reports each side's median registration over its rounds and
the ratio this/base per round (the spread shows the host's noise).
A benchmark, not a test: it prints and writes numbers, it asserts nothing.
Under TCG every message wakes a halted vCPU, so absolute figures say more
about QEMU than about the protocol; compare the modes.
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

LINE = re.compile(r"^core (\d+): namebench: register ns (\d+) (\d+) (\d+) (\d+) lookup median ns "
                  r"(\d+) min ns (\d+) \((\d+) lookups\)$", re.M)
MODES = (("replicated", ""), ("central", "names=central"))


def one_boot(n, mode, lookups=200, mem="512M", timeout=None, build=None):
    """One boot; {"reg_us", "look_us", "cores"} medians over every core, or None."""
    cmdline = dict(MODES)[mode]
    build = build or qemu.BUILD
    with tempfile.NamedTemporaryFile("w", suffix=".manifest", delete=False) as f:
        f.write("monitor all\nnamebench all lookups=%d\n" % lookups)
        manifest = f.name
    try:
        mods = [os.path.join(build, "apps", a) for a in ("monitor", "namebench")]
        saved, qemu.BUILD = qemu.BUILD, build
        try:
            cmd = qemu.build_command(smp=str(n), mem=mem, cmdline=cmdline,
                                     modules=mods + [manifest])
        finally:
            qemu.BUILD = saved
        code, out = qemu.run(cmd, timeout=timeout or 300 + 10 * n, echo=False)
    finally:
        os.unlink(manifest)
    rows = LINE.findall(out.replace("\r", ""))
    if code != 0 or len(rows) != n:
        return None
    reg = [int(x) for r in rows for x in r[1:5]]
    look = [int(r[5]) for r in rows]
    return {"cores": len(rows), "reg_us": round(statistics.median(reg) / 1000, 1),
            "look_us": round(statistics.median(look) / 1000, 1)}


def both(n, lookups=200, mem="512M", timeout=None):
    """Both modes at n cores, one boot each (replicated first)."""
    return {mode: one_boot(n, mode, lookups, mem, timeout) for mode, _ in MODES}


def fmt(r, key):
    return "%.1f" % r[key] if r else "-"


def ab(a):
    """This build's replicated registry against the one in a.base, alternately."""
    rows = []
    print("%6s %12s %12s %8s  %s" % ("cores", "this reg us", "base reg us", "ratio", "per round"))
    for n in [int(x) for x in a.cores.split(",")]:
        this, base, ratios = [], [], []
        for _ in range(a.rounds):
            x = one_boot(n, "replicated", a.lookups, a.mem)
            y = one_boot(n, "replicated", a.lookups, a.mem, build=a.base)
            if x:
                this.append(x["reg_us"])
            if y:
                base.append(y["reg_us"])
            if x and y:
                ratios.append(round(x["reg_us"] / y["reg_us"], 2))
        row = {"cores": n, "this_reg_us": this, "base_reg_us": base, "ratios": ratios}
        rows.append(row)
        med = lambda v: "%.1f" % statistics.median(v) if v else "-"
        print("%6d %12s %12s %8s  %s" % (n, med(this), med(base), med(ratios), ratios), flush=True)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cores", default="4,8,16")
    ap.add_argument("--lookups", type=int, default=200)
    ap.add_argument("--mem", default="512M")
    ap.add_argument("--json", default=os.path.join(ROOT, "build", "bench", "names.json"))
    ap.add_argument("--base", help="A/B against the build in this directory")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    if a.base:
        rows = ab(a)
        out = a.json.replace(".json", "-ab.json")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w") as f:
            json.dump({"benchmark": "names-ab", "base": a.base, "mem": a.mem, "rows": rows}, f,
                      indent=1)
        print("wrote %s" % out)
        return
    rows = []
    print("%6s %12s %12s %12s %12s" % ("cores", "repl reg us", "repl look us", "cent reg us",
                                       "cent look us"))
    for n in [int(x) for x in a.cores.split(",")]:
        r = both(n, a.lookups, a.mem)
        rows.append({"cores": n, **r})
        print("%6d %12s %12s %12s %12s" % (n, fmt(r["replicated"], "reg_us"),
                                           fmt(r["replicated"], "look_us"),
                                           fmt(r["central"], "reg_us"), fmt(r["central"], "look_us")),
              flush=True)
    os.makedirs(os.path.dirname(a.json), exist_ok=True)
    with open(a.json, "w") as f:
        json.dump({"benchmark": "names", "mem": a.mem, "rows": rows}, f, indent=1)
    print("wrote %s" % a.json)


if __name__ == "__main__":
    main()
