#!/usr/bin/env python3
"""Where an unmap by messages spends its time: per-stage costs from the trace rings.

Usage: unmap-profile.py [--cores N] [--rounds R] [--mode tree|unicast|seq|lazy] [--keep DIR]

Boots the multikernel with trace=on and `spanvm 0 span=all bench N R MODE`
(docs/13-trace.md, docs/14-programs.md), turns the dump into trace events
with tools/trace.py and prints, over the rounds still in the rings, the
median and 90th percentile of:
  hops      each URPC message of the protocol from its send to its receive
            (flows): domain -> home monitor (VM_REQ), monitor -> monitor
            (VM_FWD), the answer back (VM_FWD_REPLY), home monitor ->
            domain (VM_REPLY) (the domain's own ring may have wrapped: then
            n=0), and the home monitor's whole share, from the request in
            to the answer out;
  wake-up   a core's notification interrupt -> its monitor running;
  work      the system calls: the home's check and unmap (sys_span_vm),
            each core's replica change (sys_span_replica), sys_notify.
The figures depend on the host (TCG, host load): compare stages within one
run, not across runs.
"""
import argparse
import bisect
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu  # noqa: E402

BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))
TYPES = {"VM_REQ": "domain -> home monitor (VM_REQ)",
         "VM_FWD": "monitor -> monitor (VM_FWD)",
         "VM_FWD_REPLY": "monitor -> monitor (VM_FWD_REPLY)",
         "VM_REPLY": "home monitor -> domain (VM_REPLY)"}


def type_numbers():
    """MON_* numbers of the VM messages, from the generated header."""
    nums = {}
    with open(os.path.join(BUILD, "gen", "if", "monitor.h")) as f:
        for line in f:
            parts = line.replace(",", " ").replace("=", " ").split()
            if len(parts) >= 2 and parts[0].startswith("MON_") and parts[1].isdigit():
                nums[parts[0][4:]] = parts[1]
    return {name: nums[name] for name in TYPES if name in nums}


def stats(values):
    v = sorted(values)
    if not v:
        return "n=  0"
    return "n=%4d median %9.1f us  p90 %9.1f us" % (len(v), statistics.median(v),
                                                     v[int(len(v) * 0.9)])


def analyse(events, nums):
    ev = [e for e in events if e.get("ph") in ("X", "i", "s", "f")]
    flows = {}
    for e in ev:
        if e["ph"] in ("s", "f"):
            flows.setdefault(e["id"], {})[e["ph"]] = e
    starts = {}                 # core -> [(flow start ts, latency)], sorted
    for fl in flows.values():
        if "s" in fl and "f" in fl:
            starts.setdefault(fl["s"]["pid"], []).append(
                (fl["s"]["ts"], fl["f"]["ts"] - fl["s"]["ts"]))
    for v in starts.values():
        v.sort()
    print("hops (send -> receive):")
    for name, num in nums.items():
        lat = []
        for e in ev:
            if e["ph"] != "X" or e["name"] != "send type " + num:
                continue
            v = starts.get(e["pid"], [])
            i = bisect.bisect_left(v, (e["ts"] - 0.5,))
            if i < len(v) and abs(v[i][0] - e["ts"]) < 0.5:
                lat.append(v[i][1])
        print("  %-36s %s" % (TYPES[name], stats(lat)))
    if "VM_REQ" in nums and "VM_REPLY" in nums:
        home = sorted((e["ts"], e["name"]) for e in ev if e["ph"] == "X" and e["name"] in
                      ("recv type " + nums["VM_REQ"], "send type " + nums["VM_REPLY"]))
        whole = [b[0] - a[0] for a, b in zip(home, home[1:])
                 if a[1].startswith("recv") and b[1].startswith("send")]
        print("  %-36s %s" % ("home monitor: VM_REQ in -> VM_REPLY out", stats(whole)))
    wake = []
    by_core = {}
    for e in ev:
        by_core.setdefault(e["pid"], []).append(e)
    for core, es in by_core.items():
        es.sort(key=lambda e: e["ts"])
        for i, e in enumerate(es):
            if e["ph"] == "i" and e["name"] == "irq notify":
                nxt = next((x for x in es[i + 1:] if x["ph"] == "X" and x["name"] == "monitor"),
                           None)
                if nxt and nxt["ts"] - e["ts"] < 100000:
                    wake.append(nxt["ts"] - e["ts"])
    print("wake-up:")
    print("  %-36s %s" % ("notify interrupt -> monitor runs", stats(wake)))
    print("work (system calls):")
    for name in ("sys_span_vm", "sys_span_replica", "sys_notify"):
        print("  %-36s %s" % (name, stats([e["dur"] for e in ev
                                          if e["ph"] == "X" and e["name"] == name])))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cores", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--mode", default="tree", choices=("tree", "unicast", "seq", "lazy"))
    ap.add_argument("--keep", help="keep the serial log and the JSON in this directory")
    a = ap.parse_args()
    out_dir = a.keep or tempfile.mkdtemp(prefix="unmap-profile-")
    os.makedirs(out_dir, exist_ok=True)
    man = os.path.join(out_dir, "unmap-profile.manifest")
    with open(man, "w") as f:
        f.write("monitor all\nspanvm 0 span=all bench %d %d %s\n" % (a.cores, a.rounds, a.mode))
    mods = [os.path.join(BUILD, "apps", m) for m in ("monitor", "spanvm")] + [man]
    cmd = qemu.build_command(smp=str(a.cores), mem="1G", cmdline="trace=on", modules=mods)
    code, out = qemu.run(cmd, timeout=600 + 20 * a.cores, echo=False)
    log = os.path.join(out_dir, "serial.log")
    with open(log, "w") as f:
        f.write(out)
    for line in out.splitlines():
        if "spanvm: bench" in line:
            print(line.strip())
    js = os.path.join(out_dir, "trace.json")
    r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "trace.py"), "--json", js,
                        log], capture_output=True, text=True)
    if r.returncode or not os.path.exists(js):
        print("unmap-profile: trace.py failed (exit %s): %s" % (r.returncode, r.stderr.strip()))
        return 1
    with open(js) as f:
        d = json.load(f)
    analyse(d["traceEvents"] if isinstance(d, dict) else d, type_numbers())
    return 0


if __name__ == "__main__":
    sys.exit(main())
