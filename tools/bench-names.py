#!/usr/bin/env python3
"""Name registry benchmark: register and lookup latency against the core
count, the replicated registry beside the central one (names=central).

Usage: bench-names.py [--cores 4,8,16] [--lookups 200] [--mem 512M] [--json FILE]

Each boot runs apps/namebench on every core: the instances take turns by
core, each times 4 registrations and L lookups, one request at a time (no
contention).  Replicated (the default): a lookup is answered by the
domain's own monitor, a registration is a two-phase commit with every live
monitor.  Central (boot option names=central): both go to core 0.  The two
modes boot alternately for each core count.  Reported per mode, over all
cores' samples:
  reg us     median registration
  look us    median lookup
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


def one_boot(n, mode, lookups=200, mem="512M", timeout=None):
    """One boot; {"reg_us", "look_us", "cores"} medians over every core, or None."""
    cmdline = dict(MODES)[mode]
    with tempfile.NamedTemporaryFile("w", suffix=".manifest", delete=False) as f:
        f.write("monitor all\nnamebench all lookups=%d\n" % lookups)
        manifest = f.name
    try:
        mods = [os.path.join(qemu.BUILD, "apps", a) for a in ("monitor", "namebench")]
        cmd = qemu.build_command(smp=str(n), mem=mem, cmdline=cmdline, modules=mods + [manifest])
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cores", default="4,8,16")
    ap.add_argument("--lookups", type=int, default=200)
    ap.add_argument("--mem", default="512M")
    ap.add_argument("--json", default=os.path.join(ROOT, "build", "bench", "names.json"))
    a = ap.parse_args()
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
