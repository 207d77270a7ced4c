#!/usr/bin/env python3
"""Tracing: `make trace`'s run (ping-pong and soak with trace=on) plus a domain
that attacks its trace ring; the dump must decode into Chrome trace-event JSON
with events from every core and matched URPC send/receive flows."""
import importlib.util
import json
import os

from harness import BUILD, ROOT, boot, check, finish, lines_matching

# tools/trace.py by path: the standard library has a module named trace.
_spec = importlib.util.spec_from_file_location("trace_tool", os.path.join(ROOT, "tools", "trace.py"))
trace_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(trace_tool)

APPS = os.path.join(BUILD, "apps")
SMP = 4

manifest = os.path.join(BUILD, "trace-test.manifest")
with open(manifest, "w") as f:
    f.write(open(os.path.join(ROOT, "tools", "manifests", "trace.manifest")).read())
    f.write("tracebad 1\n")
mods = [os.path.join(APPS, m) for m in ("monitor", "pingpong", "soak", "tracebad")]
code, out = boot(smp=SMP, cmdline="trace=on", modules=mods + [manifest], timeout=600)

check("trace.exit_status_0", code == 0, "exit code %s" % code, out)
check("trace.no_panic", "PANIC" not in out, "", out)
done = lines_matching(out, r"^TRACE done (\d+)$")
check("trace.every_core_dumped", len(done) == 1 and int(done[0].group(1)) == SMP,
      done[0].group(0) if done else "no TRACE done line", out)
check("trace.hostile_refused",
      lines_matching(out, r"^core 1: tracebad: all checks passed; ring scribbled$") and
      not lines_matching(out, r"tracebad: .*WRONG"), "", out)
check("trace.hostile_killed_on_control_write",
      lines_matching(out, r"^core 1: domain \d+ \(tracebad\) killed: exception #PF"), "", out)
check("trace.soak_still_passes", "core 0: soak: result: PASS" in out, "", out)

rings = trace_tool.parse(out)
chrome = trace_tool.to_chrome(rings)
path = os.path.join(BUILD, "trace-test.json")
with open(path, "w") as f:
    json.dump(chrome, f)
with open(path) as f:
    loaded = json.load(f)
evs = loaded.get("traceEvents", [])
check("trace.json_loads", isinstance(evs, list) and evs, "no events")
check("trace.required_fields",
      all("ph" in e and "pid" in e and "tid" in e and ("ts" in e or e["ph"] == "M")
          for e in evs), "an event lacks ph/pid/tid/ts")
cores = {e["pid"] for e in evs if e["ph"] != "M"}
check("trace.events_from_every_core", cores == set(range(SMP)), "cores %s" % sorted(cores))
for cat in ("syscall", "run", "irq", "urpc", "monitor"):
    per = {e["pid"] for e in evs if e.get("cat") == cat}
    check("trace.%s_events_on_every_core" % cat, per == set(range(SMP)),
          "%s on cores %s" % (cat, sorted(per)))
names = {e["name"] for e in evs if e.get("cat") == "monitor"}
check("trace.monitor_spawn_and_liveness",
      "mon SPAWN_REQ" in names and names & {"mon PING", "mon PONG", "mon SUSPECT", "mon REFUTE"},
      "monitor ops %s" % sorted(names))
starts = {e["id"]: e for e in evs if e["ph"] == "s"}
ends = {e["id"]: e for e in evs if e["ph"] == "f"}
check("trace.flows_matched", starts and set(starts) == set(ends),
      "%d starts, %d ends" % (len(starts), len(ends)))
slices = {(e["pid"], e["tid"], e["ts"]) for e in evs if e["ph"] == "X" and e.get("cat") == "urpc"}
check("trace.flows_bound_to_send_and_recv_slices",
      all((e["pid"], e["tid"], e["ts"]) in slices for e in list(starts.values()) + list(ends.values())),
      "a flow end without its slice")
cross = [i for i in starts if i in ends and starts[i]["pid"] != ends[i]["pid"]]
check("trace.cross_core_flows", len(cross) > 0, "no flow between two cores")
finish()
