#!/usr/bin/python3
"""Turn a trace dump from the serial console into a timeline.

Usage: trace.py LOG [--json OUT.json] [--png OUT.png]

LOG is serial output holding `TRACE B/D/E` lines (include/sys/trace.h);
other lines are ignored, so a whole run's log can be passed.  Writes:

  --json  Chrome trace-event JSON (Perfetto UI, chrome://tracing): one
          process per core, one thread per domain plus the CPU driver's;
          syscalls and monitor operations as slices on the domain's
          thread, the domain that runs as slices on the CPU driver's
          thread, interrupts and URPC notify/sleep/wake as instants, and a
          flow arrow from every URPC send to its receive (matched by
          channel area, ring and slot number).
  --png   a timeline with one lane per core (needs python3-matplotlib).

Prints one summary line: `trace: N events, C cores, F flows`.
Also importable: parse(), to_chrome(), plot().
"""
import argparse
import base64
import json
import os
import re
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EV = struct.Struct("<QHHIQQ")  # struct trace_ev

TR = {1: "syscall_enter", 2: "syscall_exit", 3: "irq", 4: "switch", 5: "upcall",
      6: "domain_start", 7: "domain_exit", 16: "urpc_send", 17: "urpc_recv",
      18: "urpc_notify", 19: "urpc_sleep", 20: "urpc_wake", 32: "mon_op"}
SYSCALLS = {1: "print", 2: "yield", 3: "exit", 4: "core_id", 5: "tsc_hz", 6: "frame_alloc",
            7: "frame_free", 8: "map", 9: "unmap", 10: "notify", 11: "wait", 12: "domain_id",
            13: "ipc_send", 14: "ipc_recv", 15: "trace", 16: "console_read",
            17: "console_write", 18: "poweroff", 19: "module_name",
            32: "spawn", 33: "domain_state", 34: "chan_create", 35: "chan_map",
            36: "frame_grant", 37: "frame_revoke", 38: "manifest_done", 39: "core_stop",
            40: "domain_rights", 41: "span_export", 42: "span_create", 43: "span_end",
            44: "span_release", 45: "span_kill", 46: "span_vm", 47: "span_replica",
            48: "domain_info", 49: "core_info", 50: "domain_kill",
            51: "core_restart", 52: "monlink_reset", 53: "core_pulse", 54: "core_fence",
            55: "core_generation"}
VECTORS = {32: "timer", 33: "notify", 34: "stop", 35: "ipc", 36: "trace", 37: "uart"}


def mon_types():
    """MON_* names by value, read from the header generated from if/monitor.if
    (so they stay right; `make` writes it)."""
    names = {}
    try:
        text = open(os.path.join(ROOT, "build", "gen", "if", "monitor.h")).read()
    except OSError:
        return names
    m = re.search(r"enum mon_type\s*{(.*?)}", text, re.S)
    value = 0
    for line in (m.group(1) if m else "").splitlines():
        d = re.match(r"\s*(MON_\w+)\s*(?:=\s*(\d+))?\s*,", line)
        if d:
            value = int(d.group(2)) if d.group(2) else value + 1
            names[value] = d.group(1)[4:]
    return names


def parse(text):
    """Rings from a log: {(core, dom): {"program", "hz", "events": [tuples]}}."""
    rings = {}
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("TRACE "):
            continue
        f = line.split()
        try:
            if f[1] == "B" and len(f) == 8:
                key = (int(f[2]), int(f[3]))
                rings[key] = {"program": f[4], "hz": int(f[5]), "events": [], "raw": b""}
            elif f[1] == "D" and len(f) == 5:
                r = rings.get((int(f[2]), int(f[3])))
                if r is not None:
                    r["raw"] += base64.b64decode(f[4], validate=True)
        except (ValueError, IndexError, base64.binascii.Error):
            continue  # a damaged line: skip it, keep the rest
    for r in rings.values():
        raw = r.pop("raw")
        r["events"] = [EV.unpack_from(raw, i) for i in range(0, len(raw) - EV.size + 1, EV.size)]
    # A domain writes its own ring: keep only events of known types inside
    # the time the CPU drivers' rings (trusted) allow: at most a minute
    # before their first event, none after their last.
    kernel = [e[0] for (c, d), r in rings.items() if d == 0 for e in r["events"] if e[0]]
    if kernel:
        hz = next(iter(rings.values()))["hz"] or 1
        lo, hi = min(kernel) - 60 * hz, max(kernel)
        for (c, d), r in rings.items():
            if d:
                r["events"] = [e for e in r["events"] if e[1] in TR and lo <= e[0] <= hi]
    return rings


def _ts(tsc, t0, hz):
    return (tsc - t0) * 1e6 / hz


def to_chrome(rings):
    """The Chrome trace-event JSON object for parsed rings."""
    mon = mon_types()
    evs = [e for r in rings.values() for e in r["events"] if e[0]]
    if not evs:
        return {"traceEvents": [], "displayTimeUnit": "ns"}
    t0 = min(e[0] for e in evs)
    hz = next(iter(rings.values()))["hz"] or 1
    out = []
    names = {}
    for (core, dom), r in sorted(rings.items()):
        names[(core, dom)] = r["program"]
        out.append({"ph": "M", "name": "process_name", "pid": core, "tid": 0,
                    "args": {"name": "core %d" % core}})
        out.append({"ph": "M", "name": "process_sort_index", "pid": core, "tid": 0,
                    "args": {"sort_index": core}})
        out.append({"ph": "M", "name": "thread_name", "pid": core, "tid": dom,
                    "args": {"name": "CPU driver" if dom == 0 else
                             "%s (domain %d)" % (r["program"], dom)}})
    sends = {}
    recvs = {}
    for (core, dom), r in sorted(rings.items()):
        stack = []
        running = None
        sleeping = {}
        for tsc, typ, edom, a, b, c in r["events"]:
            if not tsc:
                continue
            ts = _ts(tsc, t0, hz)
            name = TR.get(typ, "type %d" % typ)
            tid = dom if dom else 0
            if typ == 1:
                stack.append((ts, a))
            elif typ == 2:
                if stack and stack[-1][1] == a:
                    start, _ = stack.pop()
                    out.append({"ph": "X", "name": "sys_" + SYSCALLS.get(a, str(a)),
                                "cat": "syscall", "pid": core, "tid": edom, "ts": start,
                                "dur": max(ts - start, 0.01), "args": {"result": b}})
            elif typ == 4:
                if running is not None:
                    out.append({"ph": "X", "name": names.get((core, running[1]), "domain %d" %
                                                             running[1]),
                                "cat": "run", "pid": core, "tid": 0, "ts": running[0],
                                "dur": max(ts - running[0], 0.01)})
                running = (ts, a) if a else None
            elif typ in (16, 17):
                key = (b, a)
                mtype = (c >> 48) & 0x7fff
                ev = {"ph": "X", "name": "%s type %d" % ("send" if typ == 16 else "recv", mtype),
                      "cat": "urpc", "pid": core, "tid": tid, "ts": ts, "dur": 0.05,
                      "args": {"channel": "%#x" % (b & ~1), "ring": b & 1, "slot": a,
                               "len": (c >> 32) & 0xffff}}
                out.append(ev)
                (sends if typ == 16 else recvs).setdefault(key, ev)
            elif typ == 32:
                out.append({"ph": "X", "name": "mon " + mon.get(a, "type %d" % a),
                            "cat": "monitor", "pid": core, "tid": tid, "ts": ts, "dur": 0.5,
                            "args": {"src_core": b, "req_id": c}})
            elif typ == 19:
                sleeping[b] = ts
            elif typ == 20 and b in sleeping:
                start = sleeping.pop(b)
                out.append({"ph": "X", "name": "urpc sleep", "cat": "urpc", "pid": core,
                            "tid": tid, "ts": start, "dur": max(ts - start, 0.01)})
            else:
                label = name
                if typ == 3:
                    label = "irq " + VECTORS.get(a, str(a))
                out.append({"ph": "i", "s": "t", "name": label, "cat": name, "pid": core,
                            "tid": tid, "ts": ts, "args": {"a": a, "b": b}})
    flow = 0
    for key, s in sends.items():
        r = recvs.get(key)
        if r is None:
            continue
        flow += 1
        out.append({"ph": "s", "id": flow, "name": "urpc", "cat": "urpc", "pid": s["pid"],
                    "tid": s["tid"], "ts": s["ts"]})
        out.append({"ph": "f", "bp": "e", "id": flow, "name": "urpc", "cat": "urpc",
                    "pid": r["pid"], "tid": r["tid"], "ts": r["ts"]})
    return {"traceEvents": out, "displayTimeUnit": "ns",
            "otherData": {"tsc_hz": hz, "flows": flow}}


def plot(chrome, path):
    """A timeline PNG: one lane per core, what ran, and URPC messages between cores."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    evs = chrome["traceEvents"]
    cores = sorted({e["pid"] for e in evs if e["ph"] != "M"})
    # Each CPU driver's ring holds its last events only: show the window
    # every core's ring covers (the JSON keeps everything).
    first = {}
    for e in evs:
        if e["ph"] != "M" and e["tid"] == 0:
            first[e["pid"]] = min(first.get(e["pid"], e["ts"]), e["ts"])
    start = max(first.values()) if first else 0
    evs = [e for e in evs if e["ph"] == "M" or e["ts"] >= start]
    fig, ax = plt.subplots(figsize=(14, 1.0 + 0.7 * max(len(cores), 1)))
    colors = {}
    palette = plt.get_cmap("tab10")
    bars = {}
    for e in evs:
        if e["ph"] == "X" and e.get("cat") == "run":
            colors.setdefault(e["name"], palette(len(colors) % 10))
            bars.setdefault((e["name"], e["pid"]), []).append((e["ts"] / 1000, e["dur"] / 1000))
    for (name, core), spans in bars.items():
        ax.broken_barh(spans, (core - 0.35, 0.7), facecolors=colors[name], linewidth=0)
    pos = {e["id"]: e for e in evs if e["ph"] == "s"}
    drawn = 0
    for e in evs:
        if e["ph"] == "f" and e["id"] in pos and drawn < 400:
            s = pos[e["id"]]
            if s["pid"] != e["pid"]:
                ax.plot([s["ts"] / 1000, e["ts"] / 1000], [s["pid"], e["pid"]],
                        color="black", linewidth=0.3, alpha=0.5)
                drawn += 1
    for kind, marker, color in (("irq timer", "|", "grey"), ("irq notify", "x", "red")):
        xs = [e["ts"] / 1000 for e in evs if e["ph"] == "i" and e["name"] == kind]
        ys = [e["pid"] + 0.42 for e in evs if e["ph"] == "i" and e["name"] == kind]
        ax.scatter(xs, ys, marker=marker, s=8, color=color, label=kind, linewidths=0.5)
    for name, c in colors.items():
        ax.plot([], [], color=c, linewidth=6, label=name)
    ax.set_yticks(cores)
    ax.set_yticklabels(["core %d" % c for c in cores])
    ax.set_ylim(-0.7, (cores[-1] if cores else 0) + 0.7)
    ax.invert_yaxis()
    ax.set_xlabel("ms (the window every core's ring covers)")
    ax.set_title("What each core ran (bars), URPC messages between cores (lines)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log")
    ap.add_argument("--json")
    ap.add_argument("--png")
    a = ap.parse_args()
    with open(a.log, "rb") as f:
        rings = parse(f.read().decode(errors="replace"))
    if not rings:
        print("trace: no TRACE lines in %s (boot with trace=on)" % a.log, file=sys.stderr)
        return 1
    chrome = to_chrome(rings)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(chrome, f)
    if a.png:
        plot(chrome, a.png)
    n = sum(len(r["events"]) for r in rings.values())
    cores = len({c for c, _ in rings})
    print("trace: %d events, %d cores, %d flows" % (n, cores, chrome["otherData"]["flows"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
