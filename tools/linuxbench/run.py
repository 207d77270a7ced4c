#!/usr/bin/env python3
"""Run the Linux side of the ping-pong benchmark: Debian's kernel in our QEMU.

Usage: run.py [--smp N] [--mem M] [--pairs 0-1,1-0,0-2] [--iters N]
              [--kinds shm+pipe+futex+eventfd] [--timeout S] [--json FILE] [--verbose]
              [--wait-idle S]

Boots /boot/vmlinuz-* (Debian's linux-image-amd64) with the busybox initramfs
of build-initramfs.py, in exactly the QEMU configuration tools/qemu.py gives
the multikernel (its build_command(), with only the kernel, initrd and command
line changed), runs tools/linuxbench/pingpong for every pair and kind, prints
a table and exits 0 if every run gave a result (1 otherwise, 2 if the kernel
or busybox is missing: the apt-get line is printed; nothing is installed here).

Importable:
    run_linux(smp=4, mem="512M", pairs="0-1", iters=2000, timeout=None,
              kinds=("shm", "pipe"), echo=False, kernel=None, wait_idle=0,
              append="") -> list of dicts
one dict per run, in order (see run_linux's docstring for the keys), and
format_table(results) -> str.  QEMU is run through qemu.run(), which kills its
process group on return, timeout or Ctrl-C: QEMU never outlives the caller.
"""
import argparse
import glob
import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, HERE)
import qemu  # noqa: E402  tools/qemu.py

APT_LINE = "apt-get update && apt-get install -y --no-install-recommends " \
           "linux-image-amd64 busybox-static"
# Kernel command line: serial console, few boot messages, power off on panic.
BASE_APPEND = "console=ttyS0 quiet panic=-1"

RESULT_RE = re.compile(
    r"LINUXBENCH (shm|shmnp|pipe|futex|eventfd) a=(\d+) b=(\d+) iters=(\d+) median=(\d+) p99=(\d+) "
    r"min=(\d+) mean=(\d+) max=(\d+) cycles")
PROGRESS_RE = re.compile(r"LINUXBENCH progress \d+/\d+ (shm|shmnp|pipe|futex|eventfd) (\d+)-(\d+)")
ERROR_RE = re.compile(r"LINUXBENCH error (.*)")


# shm: one cache line (shmnp: its loops without `pause`); pipe, futex, eventfd: the
# kernel's wake-up paths.
KINDS = ("shm", "shmnp", "pipe", "futex", "eventfd")


class LinuxBenchError(RuntimeError):
    """The benchmark could not run at all (no kernel, no busybox, no boot)."""


def find_kernel():
    """Newest /boot/vmlinuz-*, or None."""
    def key(path):
        ver = path.rsplit("vmlinuz-", 1)[1]
        return [int(x) if x.isdigit() else x for x in re.split(r"[.-]", ver)]
    found = sorted(glob.glob("/boot/vmlinuz-*"), key=key)
    return found[-1] if found else None


def parse_pairs(pairs):
    """'0-1,1-0' or [(0, 1), ...] -> [(0, 1), ...]; raises ValueError."""
    if isinstance(pairs, str):
        out = []
        for p in pairs.split(","):
            a, sep, b = p.strip().partition("-")
            if not sep:
                raise ValueError("pair %r: want A-B" % p)
            out.append((int(a), int(b)))
        pairs = out
    pairs = [(int(a), int(b)) for a, b in pairs]
    if not pairs:
        raise ValueError("no pairs")
    return pairs


def other_qemus():
    """How many QEMU processes already run on this host (they spoil timings)."""
    n = 0
    for comm in glob.glob("/proc/[0-9]*/comm"):
        try:
            with open(comm) as f:
                n += f.read().startswith("qemu-system")
        except OSError:
            pass
    return n


def host_idle(seconds=0.5):
    """Percentage of host CPU time idle over `seconds` (from /proc/stat), or None."""
    def sample():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v), v[3] + v[4]  # idle + iowait
    try:
        t0, i0 = sample()
        time.sleep(seconds)
        t1, i1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    return round(100.0 * (i1 - i0) / max(1, t1 - t0), 1)


def host_busy_s():
    """Host CPU seconds spent busy so far, all cores (from /proc/stat), or None."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")


def linux_command(smp, mem, kernel, initrd, append):
    """tools/qemu.py's command for the multikernel, with Linux as the kernel."""
    cmd = qemu.build_command(smp=str(smp), mem=mem, cmdline=append, modules=[initrd])
    cmd[cmd.index("-kernel") + 1] = kernel
    return cmd


def wait_quiet(seconds, echo=False):
    """Wait up to `seconds` for a quiet host: no other QEMU, at least 90% idle.
    Returns True if it became quiet."""
    deadline = time.monotonic() + seconds
    while True:
        others, idle = other_qemus(), host_idle()
        if not others and (idle is None or idle >= 90):
            return True
        if time.monotonic() > deadline:
            return False
        if echo:
            print("linuxbench: waiting for a quiet host (%d other QEMU, %s%% idle)"
                  % (others, idle), flush=True)
        time.sleep(5)


def run_linux(smp=4, mem="512M", pairs="0-1", iters=2000, timeout=None,
              kinds=("shm", "pipe"), echo=False, kernel=None, wait_idle=0,
              append=""):
    """Boot Linux once and run every (pair, kind); return one dict per run.

    pairs: "A-B,C-D" or a list of (A, B); A is the CPU that times the trips.
    timeout: seconds for the whole QEMU run; None picks 120 s for the boot plus
    30 s per run of 2000 iterations (the pipe runs are slow under TCG).
    echo: print the LINUXBENCH lines as they arrive (progress).
    wait_idle: first wait up to this many seconds for a quiet host (wait_quiet).
    append: more kernel command line (e.g. "lb.settle=5 lb.dmesg=1").

    Each dict (the run-wide keys repeat in every one):
      kind 'shm'|'pipe'|'futex'|'eventfd', a, b, iters,
      median, p99, min, mean, max     round trip, TSC cycles (None if it failed)
      median_ns, p99_ns, min_ns       the same in ns (None without tsc_hz)
      error                           None, or the reason this run has no result
      tsc_hz                          TSC frequency measured in the guest
      smp, mem, kernel                the configuration ('vmlinuz-6.1.0-...-amd64')
      boot_wall_s      host wall clock, QEMU start to the first result line
      init_wall_s      host wall clock, QEMU start to /init's first line
      init_uptime_s    Linux's own clock (/proc/uptime) when /init started
      total_wall_s     host wall clock of the whole QEMU run
      other_qemu       QEMU processes already running at start (>0: numbers suspect)
      host_idle_pct    host CPU idle over 0.5 s just before the start (<90: suspect)
      host_other_cores host cores' worth of CPU that other processes used during
                       the run (>0.2: suspect; a woken vCPU waits behind them)
    Raises LinuxBenchError if the kernel or busybox is missing (the message
    holds the apt-get line) or QEMU produced no /init line at all.
    """
    import importlib
    build_initramfs = importlib.import_module("build-initramfs")
    pairs = parse_pairs(pairs)
    kinds = tuple(kinds)
    for k in kinds:
        if k not in KINDS:
            raise ValueError("kind %r: want one of %s" % (k, ", ".join(KINDS)))
    for a, b in pairs:
        if not (0 <= a < int(smp) and 0 <= b < int(smp)):
            raise ValueError("pair %d-%d: CPUs are 0..%d" % (a, b, int(smp) - 1))
    kernel = kernel or find_kernel()
    if not kernel or not os.path.isfile(kernel):
        raise LinuxBenchError("no Linux kernel in /boot; as root: " + APT_LINE)
    try:
        initrd = build_initramfs.build(quiet=not echo)
    except FileNotFoundError as e:
        raise LinuxBenchError("%s (%s)" % (e, APT_LINE))
    nruns = len(pairs) * len(kinds)
    if timeout is None:
        timeout = 120 + 30 * nruns * max(1.0, iters / 2000)
    cmdline = "%s lb.pairs=%s lb.iters=%d lb.kinds=%s %s" % (
        BASE_APPEND, ",".join("%d-%d" % p for p in pairs), iters, "+".join(kinds), append)
    cmd = linux_command(smp, mem, kernel, initrd, cmdline.strip())

    seen = {"pos": 0}
    stamps = {}

    def watch(text):
        now = time.monotonic() - start
        end = text.rfind("\n") + 1
        for line in text[seen["pos"]:end].splitlines():
            line = line.strip()
            if not line.startswith("LINUXBENCH"):
                continue
            if line.startswith("LINUXBENCH init"):
                stamps.setdefault("init", now)
            if RESULT_RE.match(line) or ERROR_RE.match(line):
                stamps.setdefault("first", now)
            if echo:
                print("  [%6.1fs] %s" % (now, line), flush=True)
        seen["pos"] = end
        return "LINUXBENCH done" in text

    if wait_idle:
        wait_quiet(wait_idle, echo)
    others = other_qemus()
    idle = host_idle()
    busy0, mine0 = host_busy_s(), os.times()
    start = time.monotonic()
    code, out = qemu.run(cmd, timeout=timeout, echo=False, stop_on=watch)
    total = time.monotonic() - start
    # CPU the rest of the host used meanwhile: all busy time minus QEMU's
    # (qemu.run has reaped QEMU, so it is in our children's times).
    mine1 = os.times()
    ours = (mine1.children_user - mine0.children_user +
            mine1.children_system - mine0.children_system +
            mine1.user - mine0.user + mine1.system - mine0.system)
    busy1 = host_busy_s()
    other = (round(max(0.0, busy1 - busy0 - ours) / total, 2)
             if busy0 is not None and busy1 is not None and total > 0 else None)
    if "init" not in stamps:
        raise LinuxBenchError("Linux did not reach /init (QEMU status %d) in %.0f s; "
                              "last output:\n%s" % (code, total, out[-2000:]))

    m = re.search(r"LINUXBENCH tsc hz=(\d+)", out)
    tsc_hz = int(m.group(1)) if m else None
    m = re.search(r"LINUXBENCH init uptime=([\d.]+)", out)
    uptime = float(m.group(1)) if m else None
    common = {"tsc_hz": tsc_hz, "smp": int(smp), "mem": mem,
              "kernel": os.path.basename(kernel),
              "boot_wall_s": round(stamps["first"], 2) if "first" in stamps else None,
              "init_wall_s": round(stamps["init"], 2), "init_uptime_s": uptime,
              "total_wall_s": round(total, 2), "other_qemu": others, "host_idle_pct": idle,
              "host_other_cores": other}

    # Walk the output run by run: each progress line opens a run, and the
    # result (or error) lines after it belong to it.
    got = {}
    current = None
    for line in out.splitlines():
        line = line.strip()
        p = PROGRESS_RE.match(line)
        r = RESULT_RE.match(line)
        e = ERROR_RE.match(line)
        if p:
            current = (p.group(1), int(p.group(2)), int(p.group(3)))
        elif r:
            k = (r.group(1), int(r.group(2)), int(r.group(3)))
            got[k] = dict(zip(["iters", "median", "p99", "min", "mean", "max"],
                              map(int, r.groups()[3:])))
        elif e and current and current not in got:
            got[current] = {"error": e.group(1)}

    results = []
    for a, b in pairs:
        for k in kinds:
            d = {"kind": k, "a": a, "b": b, "iters": iters, "median": None, "p99": None,
                 "min": None, "mean": None, "max": None, "error": None}
            r = got.get((k, a, b))
            if r is None:
                d["error"] = "no result (QEMU status %d after %.0f s)" % (code, total)
            else:
                d.update(r)
            for s in ("median", "p99", "min"):
                d[s + "_ns"] = (round(d[s] * 1e9 / tsc_hz, 1)
                                if d[s] is not None and tsc_hz else None)
            d.update(common)
            results.append(d)
    return results


def format_table(results):
    """One row per pair: every kind's round trip (median, p99)."""
    lines = []
    if results:
        c = results[0]
        lines.append("Linux %s, -smp %d -m %s, TSC %.3f GHz; boot %.1f s to /init "
                     "(Linux uptime %.2f s), %.1f s to the first result, run %.1f s" % (
                         c["kernel"], c["smp"], c["mem"], (c["tsc_hz"] or 0) / 1e9,
                         c["init_wall_s"], c["init_uptime_s"] or 0,
                         c["boot_wall_s"] or 0, c["total_wall_s"]))
        if c["other_qemu"]:
            lines.append("WARNING: %d other QEMU process(es) ran beside this one; "
                         "timings are suspect" % c["other_qemu"])
        if c["host_idle_pct"] is not None and c["host_idle_pct"] < 90:
            lines.append("WARNING: the host was only %.0f%% idle before the start; "
                         "timings are suspect" % c["host_idle_pct"])
        if c["host_other_cores"] is not None and c["host_other_cores"] > 0.2:
            lines.append("WARNING: other processes used %.1f host cores during the run; "
                         "timings are suspect" % c["host_other_cores"])
    lines.append("round trip, median TSC cycles (ns); p99 in cycles")
    lines.append("%-6s %24s %24s %24s %24s" % ("pair", "shm", "pipe", "futex", "eventfd"))
    by = {}
    for r in results:
        by.setdefault((r["a"], r["b"]), {})[r["kind"]] = r

    def med(r):
        if r is None or r["median"] is None:
            return "-"
        return "%d (%s) p99 %d" % (r["median"], "%.0f" % r["median_ns"]
                                   if r["median_ns"] is not None else "?", r["p99"])
    for (a, b), runs in by.items():
        lines.append("%-6s %24s %24s %24s %24s" % (
            "%d-%d" % (a, b), med(runs.get("shm")), med(runs.get("pipe")),
            med(runs.get("futex")), med(runs.get("eventfd"))))
    for r in results:
        if r["error"]:
            lines.append("%s %d-%d: %s" % (r["kind"], r["a"], r["b"], r["error"]))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smp", type=int, default=4)
    ap.add_argument("--mem", default="512M")
    ap.add_argument("--pairs", default="0-1,1-0,0-2")
    ap.add_argument("--iters", type=int, default=2000)
    ap.add_argument("--kinds", default="shm+pipe+futex+eventfd")
    ap.add_argument("--timeout", type=float, default=None)
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--wait-idle", type=float, default=0, metavar="S",
                    help="first wait up to S seconds for no other QEMU and an idle host")
    ap.add_argument("--append", default="", help="more kernel command line")
    ap.add_argument("--verbose", action="store_true", help="print guest lines as they come")
    a = ap.parse_args()
    print("linuxbench: booting Linux, -smp %d, pairs %s, %d iterations each "
          "(about a minute under TCG)" % (a.smp, a.pairs, a.iters), flush=True)
    try:
        results = run_linux(a.smp, a.mem, a.pairs, a.iters, a.timeout,
                            kinds=a.kinds.split("+"), echo=a.verbose,
                            wait_idle=a.wait_idle, append=a.append)
    except ValueError as e:
        print("linuxbench: %s" % e, file=sys.stderr)
        return 2
    except LinuxBenchError as e:
        print("linuxbench: %s" % e, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    print(format_table(results))
    if a.json:
        os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
    return 1 if any(r["error"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
